"""Templates that turn content entries into the text the assistant sends. Shared by actions and the content report."""
from __future__ import annotations

from typing import Iterable, List, Optional

from bot.content.schema import Answer, Contact, CrisisContact, LocalPartner, Partnership, Service, StatutoryPartner


def answer_text(answer: Answer, with_detail: bool = False) -> str:
    parts = [answer.answer]
    if with_detail and answer.detail:
        parts.append(answer.detail)
    if answer.links:
        parts.append("\n".join(f"{link.label}: {link.url}" for link in answer.links))
    return "\n\n".join(parts)


def _lines(*lines: Optional[str]) -> str:
    return "\n".join(line for line in lines if line)


def service_text(service: Service) -> str:
    return _lines(
        f"• {service.name}: {service.what}",
        f"  Phone: {service.phone}" if service.phone else None,
        f"  Text: {service.text}" if service.text else None,
        f"  Email: {service.email}" if service.email else None,
        f"  Web: {service.web}" if service.web else None,
        f"  Open: {service.hours}" if service.hours else None,
        _check_line(service),
    )


def _check_line(service: Service) -> Optional[str]:
    if not service.check_at:
        return None
    if service.check_at == service.web:
        return "  Details can change: please check the website before you call."
    return f"  Details can change: check {service.check_at}"


def crisis_contact_text(contact: CrisisContact) -> str:
    return _lines(
        f"• {contact.name}: {contact.phone}. {contact.when}",
        f"  {contact.hours}" if contact.hours else None,
        f"  Text: {contact.text}" if contact.text else None,
    )


def contact_text(partnership: Partnership) -> str:
    contact: Contact = partnership.contact
    return _lines(
        f"{partnership.name}",
        f"Phone: {contact.phone}" if contact.phone else None,
        f"Email: {contact.email}" if contact.email else None,
        f"Address: {contact.address}" if contact.address else None,
        f"Website: {contact.web}",
        contact.note,
    )


def partners_text(statutory: Iterable[StatutoryPartner], local: List[LocalPartner], partnership: Partnership) -> str:
    names = [p.name for p in statutory]
    text = (
        "The law (the Community Justice (Scotland) Act 2016) names these community justice partners: "
        + "; ".join(names)
        + "."
    )
    if local:
        statutory_local = [p.name for p in local if p.kind != "third_sector"]
        third_sector = [p.name for p in local if p.kind == "third_sector"]
        if statutory_local:
            text += f"\n\nIn {partnership.short_name}, the partnership brings together: " + "; ".join(statutory_local) + "."
        if third_sector:
            text += "\n\nThird-sector (voluntary and charity) partners include: " + "; ".join(third_sector) + "."
    return text
