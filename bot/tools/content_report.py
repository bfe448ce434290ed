"""`python -m bot.tools.content_report [path]`: every answer as the assistant gives it, grouped by topic,
with sources, source dates and reviewed dates; the checks to act on (old sources, sources that are only
press or document copies, details to re-check, opening hours, entries due for review); and the coverage
table (audiences x needs x council areas), also written to build/content-coverage.md. Markdown, for staff.
Flags report; they never fail the build."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Iterable, List

from bot.content import load_content, rendering
from bot.content.schema import Sourced
from bot.content.store import Content
from bot.content.vocabulary import AUDIENCES, NEEDS
from bot.tools import content_flags as flags
from bot.tools.content_coverage import coverage
from bot.tools.content_coverage import markdown as coverage_markdown
from bot.tools.content_coverage import summary as coverage_summary

REVIEW_AFTER_DAYS = flags.REVIEW_AFTER_DAYS
COVERAGE_FILE = "content-coverage.md"


def due(entry: Sourced, today: dt.date) -> bool:
    return flags.due_for_review(entry, today)


def provenance(entry: Sourced, today: dt.date) -> List[str]:
    notes = [f"Reviewed {entry.reviewed.isoformat()}"]
    if due(entry, today):
        notes[0] += " **DUE FOR REVIEW**"
    if entry.source_date:
        age = flags.source_age_days(entry, today)
        old = " **SOURCE OLDER THAN 2 YEARS**" if (age or 0) > flags.SOURCE_MAX_AGE_DAYS else ""
        notes.append(f"source dated {entry.source_date}{old}")
    if entry.confidence:
        notes.append(entry.confidence)
    check_at = getattr(entry, "check_at", None)
    if check_at:
        notes.append(f"check at <{check_at}>")
    return [f"*{'; '.join(notes)}. Sources:* " + ", ".join(f"<{url}>" for url in entry.sources), ""]


def quoted(text: str) -> List[str]:
    return [("> " + line) if line else ">" for line in text.splitlines()] + [""]


def _bullets(items: Iterable[str], empty: str = "None.") -> List[str]:
    lines = [f"- {item}" for item in items]
    return (lines or [empty]) + [""]


def checks_section(content: Content, today: dt.date) -> List[str]:
    entries = flags.all_entries(content)
    old = flags.old_sources(entries, today)
    copies = flags.copies_only(entries)
    recheck = flags.to_recheck(entries)
    undated, missing = flags.undated_sources(entries)
    hours = flags.with_opening_hours(content)
    no_phone = flags.routes_without_phone_first(content)
    review = [f for f in entries if due(f.entry, today)]
    lines = ["## Checks to act on", ""]
    lines += [
        f"### Sources older than two years ({len(old)})",
        "",
        "The source's own date (published or last updated), not the date we checked it.",
        "",
    ]
    lines += _bullets(f"{f.name} (`{f.entry_id}`, {f.kind}): source dated {f.entry.source_date}" for f in old)
    lines += [
        f"### Sources that are press reports or copies of documents only ({len(copies)})",
        "",
        "Check these facts on the organisation's own page.",
        "",
    ]
    lines += _bullets(
        f"{f.name} (`{f.entry_id}`, {f.kind}): " + ", ".join(flags.host(u) for u in f.entry.sources)
        for f in copies
    )
    lines += [f"### Details to re-check: VERIFIED-OLD or PARTIAL ({len(recheck)})", ""]
    lines += _bullets(
        f"{f.name} (`{f.entry_id}`, {f.kind}): {f.entry.confidence}"
        + (
            f", people are told to check <{check_at}>"
            if (check_at := getattr(f.entry, "check_at", None))
            else ""
        )
        for f in recheck
    )
    lines += [
        f"### Opening hours ({len(hours)})",
        "",
        "`opening` is the data the assistant uses to say open now or closed now; where it is empty, only the words are shown.",
        "",
        "| entry | hours as people read them | opening (data) | confidence |",
        "|---|---|---|---|",
    ]
    for f in hours:
        entry = f.entry
        lines.append(
            f"| {f.name} (`{f.entry_id}`) | {getattr(entry, 'hours', '') or ''} "
            f"| {', '.join(getattr(entry, 'opening', [])) or '(no times as data)'} "
            f"| {entry.confidence or ''} |"
        )
    lines += ["", f"### Routes whose first choices have no phone number ({len(no_phone)})", ""]
    lines += _bullets(f"`{r}`" for r in no_phone)
    lines += [f"### Source dates not recorded ({len(missing)}; {len(undated)} more are marked undated)", ""]
    lines += _bullets(f"{f.name} (`{f.entry_id}`, {f.kind})" for f in missing)
    lines += [f"### Due for review: reviewed more than {REVIEW_AFTER_DAYS} days ago ({len(review)})", ""]
    lines += _bullets(f"{f.name} (`{f.entry_id}`, {f.kind}), reviewed {f.entry.reviewed}" for f in review)
    return lines


def routes_section(content: Content) -> List[str]:
    lines = [
        "## Support routes",
        "",
        "The first reply names the first `lead` service with a phone; local services of the person's "
        "council area are added after it.",
        "",
    ]
    for route in content.routes:
        who = AUDIENCES[route.audience].button if route.audience in AUDIENCES else route.audience
        what = NEEDS[route.need].button if route.need in NEEDS else route.need
        lead = [content.service(ref) for ref in route.lead]
        lines += [f"### {who} × {what} (`{route.id}`)", ""]
        lines += quoted("\n".join(rendering.service_line(s) for s in lead if s))
        if route.also:
            lines += [
                f"Also: {', '.join(s.name for s in map(content.service, route.also) if s)}.",
                "",
            ]
        if route.note:
            lines += [f"Note: {route.note}", ""]
        if route.explain:
            lines += [f"Explained by `{route.explain}`.", ""]
    return lines


def build_report(today: dt.date, content: Content | None = None) -> str:
    content = content or load_content()
    lines: List[str] = [f"# Content report ({today.isoformat()})", ""]
    entries: List[Sourced] = []

    def section(title: str) -> None:
        lines.extend([f"## {title}", ""])

    def answers(items: Iterable, heading) -> None:
        for item in items:
            entries.append(item)
            lines.extend([f"### {heading(item)}", ""])
            lines.extend(quoted(rendering.answer_text(item)))
            if item.detail:
                lines.extend(["*Tell me more:*", ""] + quoted(item.detail))
            lines.extend(provenance(item, today))

    table = coverage(content)
    lines += checks_section(content, today)
    lines += [
        coverage_markdown(content, table).replace("# Coverage", "## Coverage", 1).replace("\n## ", "\n### ")
    ]
    section("Community justice topics and practical help")
    answers(content.topics, lambda a: f"{a.title} (`{a.id}`)")
    section("The justice journey")
    answers(content.stages, lambda a: f"{a.title} (`{a.id}`)")
    for partnership in content.partnerships:
        section(partnership.name)
        entries.append(partnership)
        lines.extend(
            ["### Contact details", ""]
            + quoted(rendering.contact_text(partnership))
            + provenance(partnership, today)
        )
        answers(partnership.answers, lambda a: f"{a.title} (`{a.id}`, topic {a.topic})")
        lines.extend(["### Partners", ""])
        lines.extend(
            quoted(
                rendering.partners_text(
                    content.statutory_partners, content.local_partners_for(partnership.id), partnership
                )
            )
        )
    section("Partners")
    for partner in [*content.statutory_partners, *content.local_partners]:
        entries.append(partner)
        where = getattr(partner, "partnership", "national (named in the 2016 Act)")
        lines.extend(
            [f"### {partner.name} (`{partner.id}`, {where})", "", partner.role, ""]
            + provenance(partner, today)
        )
    section("Support directory")
    for service in content.services:
        entries.append(service)
        meta = f"For: {', '.join(service.audiences)}. Needs: {', '.join(service.needs)}. Areas: {', '.join(service.areas)}."
        lines.extend([f"### {service.name} (`{service.id}`)", ""] + quoted(rendering.service_line(service)))
        lines.extend(quoted(rendering.service_text(service)) + [meta, ""])
        lines.extend(provenance(service, today))
    lines += routes_section(content)
    section("Prisons")
    for prison in content.prisons:
        entries.append(prison)
        area = content.council_area(prison.council_area)
        where = area.name if area else "outside the two partnerships"
        services = ", ".join(s.name for s in map(content.service, prison.services) if s)
        text = f"Who is held there: {prison.holds}" + (f"\nVisits: {prison.visits}" if prison.visits else "")
        lines.extend(
            [f"### {prison.name} (`{prison.id}`, {where})", ""]
            + quoted(text)
            + [f"Services: {services or 'none'}.", ""]
            + provenance(prison, today)
        )
    section("Glossary")
    for term in content.terms:
        entries.append(term)
        more = f" More: `{term.more}`." if term.more else ""
        lines.extend(
            [
                f"### {term.term} (`{term.id}`)",
                "",
                f"{term.meaning}{more}",
                "",
                f"Also written: {', '.join(term.variants) or '-'}.",
                "",
            ]
            + provenance(term, today)
        )
    section("Crisis contacts")
    for contact in content.crisis_contacts:
        entries.append(contact)
        lines.extend(
            [f"### {contact.name} (`{contact.id}`)", ""] + quoted(rendering.crisis_contact_text(contact))
        )
        lines.extend(provenance(contact, today))
    lines.extend(["### Which contacts each kind of crisis gets, in order", ""])
    lines.extend(_bullets(f"{r.kind}: {', '.join(r.contacts)}" for r in content.crisis_routes))
    section("Places")
    for area in content.council_areas:
        entries.append(area)
        towns = sorted(p.name for p in content.places if p.council_area == area.id)
        lines.extend(
            [f"### {area.name} ({len(towns)} places)", "", ", ".join(towns), ""] + provenance(area, today)
        )
    entries.extend(content.places)

    answer_count = (
        len(content.topics) + len(content.stages) + sum(len(p.answers) for p in content.partnerships)
    )
    cells = coverage_summary(table)
    summary = (
        f"{len(entries)} entries: {answer_count} answers, "
        f"{len(content.statutory_partners) + len(content.local_partners)} partners, {len(content.services)} services, "
        f"{len(content.routes)} routes, {len(content.prisons)} prisons, {len(content.terms)} glossary terms, "
        f"{len(content.crisis_contacts)} crisis contacts, {len(content.places)} places. "
        f"{sum(due(e, today) for e in entries)} due for review (reviewed more than {REVIEW_AFTER_DAYS} days ago); "
        f"{len(flags.old_sources(flags.all_entries(content), today))} with sources older than two years. "
        f"Coverage: {cells['empty']} of {cells['cells']} cells empty."
    )
    lines.insert(2, summary)
    lines.insert(3, "")
    return "\n".join(lines) + "\n"


def main(argv: List[str]) -> None:
    target = Path(argv[1] if len(argv) > 1 else "build/content-report.md")
    target.parent.mkdir(parents=True, exist_ok=True)
    content = load_content()
    report = build_report(dt.date.today(), content)
    target.write_text(report, encoding="utf-8")
    coverage_file = target.parent / COVERAGE_FILE
    coverage_file.write_text(coverage_markdown(content, coverage(content)), encoding="utf-8")
    print(f"Wrote {target} and {coverage_file}: {report.splitlines()[2]}")


if __name__ == "__main__":
    main(sys.argv)
