"""Templates that turn content entries into the text the assistant sends. Shared by actions and the content report."""

from __future__ import annotations

import datetime as dt
from typing import Dict, Iterable, List, Optional

from bot.content.opening import is_open
from bot.content.schema import (
    Answer,
    Contact,
    CrisisContact,
    GlossaryTerm,
    Link,
    LocalPartner,
    Partnership,
    Prison,
    Service,
    StatutoryPartner,
)


def link_text(link: Link) -> str:
    """A link as plain text: its title, with the site in brackets when the title does not say it.
    No raw web addresses: they are hard to read on a phone and noisy for screen readers."""
    if link.url.startswith("tel:") or "(" in link.label:
        return link.label
    return f"{link.label} ({link_label(link.url)})"


def answer_text(answer: Answer, with_detail: bool = False) -> str:
    """The answer, then its next steps as titled links (the widget also gets them from answer_links)."""
    parts = [answer.answer]
    if with_detail and answer.detail:
        parts.append(answer.detail)
    if answer.links:
        parts.append("\n".join(f"• {link_text(link)}" for link in answer.links))
    return "\n\n".join(parts)


def _lines(*lines: Optional[str]) -> str:
    return "\n".join(line for line in lines if line)


TEXTPHONE_WORDS = "Textphone or Relay UK (for people who are deaf, hard of hearing or speech-impaired)"


def service_text(service: Service) -> str:
    """A service in full: what it is, then each way to reach it, labelled once."""
    phone = (
        f"  Phone: {service.phone}" + (f" ({service.phone_note})" if service.phone_note else "")
        if service.phone
        else None
    )
    return _lines(
        f"• {service.name}: {service.what}",
        phone,
        f"  {_sentence(service.text)}" if service.text else None,
        f"  {TEXTPHONE_WORDS}: {service.textphone}" if service.textphone else None,
        f"  Email: {service.email}" if service.email else None,
        f"  Website: {link_label(service.web)}" if service.web else None,
        f"  Address: {service.address}" if service.address else None,
        f"  Open: {service.hours}" if service.hours else None,
        _check_line(service),
    )


def _check_line(service: Service) -> Optional[str]:
    if not service.check_at:
        return None
    if service.check_at == service.web:
        return "  Details can change: please check the website before you call."
    return f"  Details can change: please check {link_label(service.check_at)} before you call."


def crisis_contact_text(contact: CrisisContact) -> str:
    """'• Samaritans: 116 123. Call Samaritans any time ...' then when it is open and other ways in."""
    return _lines(
        f"• {contact.name}: {contact.phone}. {_sentence(contact.when)}",
        f"  Open: {_sentence(contact.hours)}" if contact.hours else None,
        f"  {_sentence(contact.text)}" if contact.text else None,
        f"  {TEXTPHONE_WORDS}: {contact.textphone}" if contact.textphone else None,
    )


def contact_text(partnership: Partnership) -> str:
    """Checked details first (address, website, email); an unconfirmed phone number only after saying so."""
    contact: Contact = partnership.contact
    phone = None
    if contact.phone:
        phone = f"{contact.phone_note}: {contact.phone}" if contact.phone_note else f"Phone: {contact.phone}"
    return _lines(
        f"{partnership.name}",
        f"Address: {contact.address}" if contact.address else None,
        f"Website: {link_label(contact.web)}",
        f"Email: {contact.email}" if contact.email else None,
        phone,
        contact.note,
    )


def partners_text(
    statutory: Iterable[StatutoryPartner], local: List[LocalPartner], partnership: Partnership
) -> str:
    """The partners the 2016 Act names, then the partnership's own members by name, then who else takes part."""
    names = [p.name for p in statutory]
    text = (
        "The law (the Community Justice (Scotland) Act 2016) names these community justice partners: "
        + "; ".join(names)
        + "."
    )
    members = [p.name for p in local if p.kind != "third_sector"]
    third_sector = [p.name for p in local if p.kind == "third_sector"]
    if members:
        text += (
            f"\n\nIn {partnership.short_name}, the partnership brings together: " + "; ".join(members) + "."
        )
    if third_sector:
        text += (
            "\n\nCharities and voluntary organisations (the third sector) in the partnership include: "
            + "; ".join(third_sector)
            + "."
        )
    if partnership.partners_note:
        text += "\n\n" + partnership.partners_note
    return text


# ---------------------------------------------------------------- short forms for first replies
def link_label(url: str) -> str:
    """A web address as people read it: 'familiesoutside.org.uk' for https://www.familiesoutside.org.uk/."""
    host = url.split("://", 1)[-1].split("/", 1)[0]
    return host[4:] if host.startswith("www.") else host


def opening_note(opening: List[str], hours: Optional[str], now: Optional[dt.datetime]) -> Optional[str]:
    """'Monday to Friday, 9am to 5pm (open now)': the hours as written, and open or closed when known."""
    if not opening or now is None:
        return hours
    state = "open now" if is_open(opening, now) else "closed now"
    return f"{hours} ({state})" if hours else state.capitalize()


def service_line(service: Service, now: Optional[dt.datetime] = None) -> str:
    """The route named first: who it is, its number and when it is open."""
    about = service.summary or service.name
    head = service.name if about == service.name else f"{service.name}: {_lower_first(about)}"
    if service.phone:
        line = (
            f"{_sentence(head)} Call {service.phone}"
            + (f" ({service.phone_note})" if service.phone_note else "")
            + "."
        )
    elif service.web:
        line = f"{_sentence(head)} See {link_label(service.web)}."
    else:
        line = _sentence(head)
    hours = opening_note(service.opening, service.hours, now)
    if hours and service.phone and not always_open(service.opening):
        line += f" Open {_lower_first(_sentence(hours))}"
    return line


def service_short(service: Service, area_name: Optional[str] = None) -> str:
    """A further route in one line: its name (with its council area when the name does not say it)
    and how to reach it."""
    name = service.name
    if area_name and area_name.lower() not in name.lower() and "hmp" not in name.lower():
        name = f"{name} ({area_name})"
    if service.phone:
        return f"{name}: {service.phone}" + (f" ({service.phone_note})." if service.phone_note else ".")
    return f"{name}: {link_label(service.web)}." if service.web else _sentence(name)


def always_open(opening: List[str]) -> bool:
    return any(rule.replace(" ", "").lower() in ("mon-sun00:00-24:00",) for rule in opening)


def closed_now(opening: List[str], now: Optional[dt.datetime]) -> bool:
    return bool(opening) and now is not None and not is_open(opening, now)


def service_links(services: Iterable[Service]) -> List[Dict[str, str]]:
    """Titled links for the services named in a reply (the widget shows them as links)."""
    return [{"label": f"{s.name} website", "url": s.web} for s in services if s.web]


def crisis_line(contact: CrisisContact, now: Optional[dt.datetime] = None) -> str:
    """'• Samaritans: 116 123. Someone to listen, any time.' and, when it is closed now, when it opens."""
    line = f"• {contact.name}: {contact.phone}. {_sentence(contact.summary or contact.when)}"
    if closed_now(contact.opening, now):
        line += f" Closed now: open {_lower_first(_sentence(contact.hours or ''))}"
    elif not contact.opening and contact.hours:
        line += f" {_sentence(contact.hours)}"
    return line


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


# Words a summary may start with that read lower case after "Name: "; anything else (North Ayrshire,
# Community Justice Ayrshire, Victim Support's ...) is a name and keeps its capital.
_COMMON_FIRST_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "free",
        "apply",
        "what",
        "legal",
        "how",
        "advice",
        "money",
        "volunteers",
        "government",
        "solicitors",
        "decides",
        "information",
        "mentoring",
        "runs",
        "someone",
        "call",
        "if",
        "grants",
        "for",
        "help",
        "support",
        "practical",
        "guides",
        "homeless",
        "justice",
        "play",
    ]
)


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0].strip(",.;").lower()
    return text[:1].lower() + text[1:] if first in _COMMON_FIRST_WORDS else text


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------- follow-ups
def _textphone_line(name: str, textphone: Optional[str], text: Optional[str], web: Optional[str]) -> str:
    """Without a voice call: textphone or Relay UK, a text number, or the website."""
    ways = []
    if textphone:
        ways.append(f"by textphone or the Relay UK app on {textphone}")
    if text:
        ways.append(f"by text: {_lower_first(_sentence(text)).rstrip('.')}")
    if web:
        ways.append(f"online at {link_label(web)}")
    if not ways:
        return f"I don't have a textphone number, text number or website for {name}."
    return f"You can contact {name} " + ", or ".join(ways).rstrip(".") + "."


def service_detail(
    service: Service, kind: str, now: Optional[dt.datetime] = None, inside: Optional[Prison] = None
) -> str:
    """The answer to 'how do I phone them?', 'where are they?', 'are they open?', 'website?'.
    `inside`: the prison a service works in, whose address answers 'where are they?'."""
    web = f" Their website is {link_label(service.web)}." if service.web else ""
    hours = opening_note(service.opening, service.hours, now)
    if kind == "hours":
        if hours:
            return f"{service.name}: {_sentence(hours)}" + (
                f" Phone {service.phone}." if service.phone else ""
            )
        return f"I don't have opening hours for {service.name}.{web or ' Please check with them.'}"
    if kind == "where":
        if not service.address and inside and inside.address:
            return f"{service.name} is based at {inside.name}, {_sentence(inside.address)}" + (
                f" Phone {service.phone}." if service.phone else ""
            )
        if service.address:
            return f"{service.name} is at {_sentence(service.address)}" + (
                f" Phone {service.phone}." if service.phone else ""
            )
        if service.areas != ["national"]:
            return (
                f"{service.name}: {_sentence(service.what)}"
                + (f" Phone {service.phone}." if service.phone else "")
                + web
            )
        return (
            f"{service.name} works by phone and online, so you can contact them from anywhere."
            + (f" Phone {service.phone}." if service.phone else "")
            + web
        )
    if kind == "textphone":
        return _textphone_line(service.name, service.textphone, service.text, service.web)
    if kind == "web":
        email = f" Email: {service.email}." if service.email else ""
        return f"{service.name}:{web or ' no website listed.'}{email}"
    if kind == "more":
        return service_text(service)
    if service.phone:
        line = (
            f"You can call {service.name} on {service.phone}"
            + (f" ({service.phone_note})" if service.phone_note else "")
            + "."
        )
        if hours:
            line += f" Open: {_sentence(hours)}"
        if service.text:
            line += f" {_sentence(service.text)}"
        return line
    return f"I don't have a phone number for {service.name}.{web or ''}" + (
        f" Email: {service.email}." if service.email else ""
    )


def detail_text(answer: Answer) -> str:
    return answer.detail or answer.answer


def answer_links(answer: Answer) -> List[Dict[str, str]]:
    return [{"label": link.label, "url": link.url} for link in answer.links]


def term_text(term: GlossaryTerm) -> str:
    return f"{term.term}: {_sentence(term.meaning)}"


def prison_visits_text(prison: Prison) -> str:
    """How visits work at one prison, for 'how do I visit him at HMP ...?'."""
    parts = [f"Visiting {prison.name}: {_sentence(prison.visits or '')}"]
    if prison.address:
        parts.append(f"Address: {_sentence(prison.address)}")
    return " ".join(parts)


def crisis_other_ways(contact: CrisisContact) -> Optional[str]:
    """'• Samaritans: email jo@samaritans.org, or samaritans.org.': ways in without a phone call."""
    ways = [
        contact.text,
        f"textphone {contact.textphone}" if contact.textphone else None,
        f"email {contact.email}" if contact.email else None,
        link_label(contact.web) if contact.web else None,
    ]
    found = [w for w in ways if w]
    if not found:
        return None
    return (
        f"• {contact.name}: "
        + (", ".join(found[:-1]) + ", or " + found[-1] if len(found) > 1 else found[0])
        + "."
    )


def crisis_contact_detail(contact: CrisisContact, kind: str, now: Optional[dt.datetime] = None) -> str:
    """'When is it open?' and the like, about a crisis line named in the last reply."""
    hours = opening_note(contact.opening, contact.hours, now)
    if kind == "hours":
        return f"{contact.name}: {_sentence(hours or 'please check their website for times')} Phone {contact.phone}."
    if kind == "textphone":
        return _textphone_line(contact.name, contact.textphone, contact.text, contact.web)
    if kind == "web":
        return f"{contact.name}: " + (
            f"{link_label(contact.web)}." if contact.web else f"phone {contact.phone}."
        )
    return f"You can call {contact.name} on {contact.phone}. {_sentence(contact.summary or contact.when)}" + (
        f" Open {_lower_first(_sentence(hours))}" if hours else ""
    )
