"""`python -m bot.tools.content_report [path]`: every answer as the assistant gives it, grouped by topic,
with sources and reviewed dates, flagging entries due for review. Written as Markdown for staff."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Iterable, List

from bot.content import rendering
from bot.content import load_content
from bot.content.schema import Sourced

REVIEW_AFTER_DAYS = 365


def due(entry: Sourced, today: dt.date) -> bool:
    return (today - entry.reviewed).days > REVIEW_AFTER_DAYS


def provenance(entry: Sourced, today: dt.date) -> List[str]:
    flag = " **DUE FOR REVIEW**" if due(entry, today) else ""
    return [
        f"*Reviewed {entry.reviewed.isoformat()}{flag}. Sources:* " + ", ".join(f"<{url}>" for url in entry.sources),
        "",
    ]


def quoted(text: str) -> List[str]:
    return [("> " + line) if line else ">" for line in text.splitlines()] + [""]


def build_report(today: dt.date) -> str:
    content = load_content()
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

    section("Community justice topics")
    answers(content.topics, lambda a: f"{a.title} (`{a.id}`)")
    section("The justice journey")
    answers(content.stages, lambda a: f"{a.title} (`{a.id}`)")
    for partnership in content.partnerships:
        section(partnership.name)
        entries.append(partnership)
        lines.extend(["### Contact details", ""] + quoted(rendering.contact_text(partnership)) + provenance(partnership, today))
        answers(partnership.answers, lambda a: f"{a.title} (`{a.id}`, topic {a.topic})")
        lines.extend(["### Partners", ""])
        lines.extend(quoted(rendering.partners_text(content.statutory_partners, content.local_partners_for(partnership.id), partnership)))
    section("Partners")
    for partner in [*content.statutory_partners, *content.local_partners]:
        entries.append(partner)
        where = getattr(partner, "partnership", "national (named in the 2016 Act)")
        lines.extend([f"### {partner.name} (`{partner.id}`, {where})", "", partner.role, ""] + provenance(partner, today))
    section("Support directory")
    for service in content.services:
        entries.append(service)
        meta = f"For: {', '.join(service.audiences)}. Needs: {', '.join(service.needs)}. Areas: {', '.join(service.areas)}."
        lines.extend([f"### {service.name} (`{service.id}`)", ""] + quoted(rendering.service_text(service)) + [meta, ""])
        lines.extend(provenance(service, today))
    section("Crisis contacts")
    for contact in content.crisis_contacts:
        entries.append(contact)
        lines.extend([f"### {contact.name} (`{contact.id}`)", ""] + quoted(rendering.crisis_contact_text(contact)))
        lines.extend(provenance(contact, today))
    section("Places")
    for area in content.council_areas:
        entries.append(area)
        towns = sorted(p.name for p in content.places if p.council_area == area.id)
        lines.extend([f"### {area.name} ({len(towns)} places)", "", ", ".join(towns), ""] + provenance(area, today))
    entries.extend(content.places)

    due_count = sum(due(e, today) for e in entries)
    summary = (
        f"{len(entries)} entries: {len(content.topics) + len(content.stages) + sum(len(p.answers) for p in content.partnerships)} answers, "
        f"{len(content.statutory_partners) + len(content.local_partners)} partners, {len(content.services)} services, "
        f"{len(content.crisis_contacts)} crisis contacts, {len(content.places)} places. "
        f"{due_count} due for review (reviewed more than {REVIEW_AFTER_DAYS} days ago)."
    )
    lines.insert(2, summary)
    lines.insert(3, "")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "build/content-report.md")
    target.parent.mkdir(parents=True, exist_ok=True)
    report = build_report(dt.date.today())
    target.write_text(report, encoding="utf-8")
    print(f"Wrote {target}: {report.splitlines()[2]}")
