"""Quality flags for the content report: old sources, sources that are only press or document copies,
unconfirmed contact details, opening hours, and routes whose first choice has no phone. These report;
they never fail the build (content_check fails only on invalid content)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, List, Optional, Tuple

from bot.content.schema import Sourced, source_date_latest
from bot.content.store import Content

SOURCE_MAX_AGE_DAYS = 2 * 365
REVIEW_AFTER_DAYS = 365

# Sites that copy other organisations' pages or documents, or report on them: a fact seen only there
# should be checked on the organisation's own page.
MIRROR_HOSTS = (
    "wired-gov.net",
    "docslib.org",
    "readkong.com",
    "fdocuments.net",
    "legalize.dev",
    "friendlywiki.com",
    "quizgecko.com",
    "cdn.staging.content.citizensadvice.org.uk",
    "lunaria-design.com",
    "docplayer.net",
)
PRESS_HOSTS = (
    "heraldscotland.com",
    "eveningtimes.co.uk",
    "dng24.co.uk",
    "ardrossanherald.com",
    "irvinetimes.com",
    "dgwgo.com",
    "bbci.co.uk",
    "bbc.co.uk",
    "nen.press",
    "thepavement.org.uk",
    "martinwhitfieldmsp.com",
    "disabilityequality.scot",
    "vhscotland.org.uk",
    "parentingacrossscotland.org",
    "crime.scot",
    "scottishlegal.com",
)


def host(url: str) -> str:
    name = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    return name[4:] if name.startswith("www.") else name


def is_copy_or_press(url: str) -> bool:
    name = host(url)
    return any(name == h or name.endswith("." + h) for h in (*MIRROR_HOSTS, *PRESS_HOSTS))


@dataclass(frozen=True)
class Flagged:
    kind: str  # "service", "answer", ...
    entry_id: str
    name: str
    entry: Sourced


def all_entries(content: Content) -> List[Flagged]:
    entries: List[Flagged] = []
    entries += [Flagged("answer", a.id, a.title, a) for a in [*content.topics, *content.stages]]
    for partnership in content.partnerships:
        entries.append(Flagged("partnership", partnership.id, partnership.name, partnership))
        entries += [Flagged("answer", a.id, a.title, a) for a in partnership.answers]
    entries += [
        Flagged("partner", p.id, p.name, p) for p in [*content.statutory_partners, *content.local_partners]
    ]
    entries += [Flagged("service", s.id, s.name, s) for s in content.services]
    entries += [Flagged("crisis contact", c.id, c.name, c) for c in content.crisis_contacts]
    entries += [Flagged("prison", p.id, p.name, p) for p in content.prisons]
    entries += [Flagged("glossary", t.id, t.term, t) for t in content.terms]
    return entries


def source_age_days(entry: Sourced, today: dt.date) -> Optional[int]:
    latest = source_date_latest(entry.source_date)
    return (today - latest).days if latest else None


def old_sources(entries: Iterable[Flagged], today: dt.date) -> List[Flagged]:
    return [f for f in entries if (source_age_days(f.entry, today) or 0) > SOURCE_MAX_AGE_DAYS]


def undated_sources(entries: Iterable[Flagged]) -> Tuple[List[Flagged], List[Flagged]]:
    """(marked 'undated', no source_date at all)."""
    entries = list(entries)
    return (
        [f for f in entries if f.entry.source_date == "undated"],
        [f for f in entries if not f.entry.source_date],
    )


def copies_only(entries: Iterable[Flagged]) -> List[Flagged]:
    return [f for f in entries if f.entry.sources and all(is_copy_or_press(u) for u in f.entry.sources)]


def to_recheck(entries: Iterable[Flagged]) -> List[Flagged]:
    """VERIFIED-OLD or PARTIAL entries: published with a place to check, or without contact details."""
    return [f for f in entries if f.entry.confidence in ("VERIFIED-OLD", "PARTIAL")]


def due_for_review(entry: Sourced, today: dt.date) -> bool:
    return (today - entry.reviewed).days > REVIEW_AFTER_DAYS


def with_opening_hours(content: Content) -> List[Flagged]:
    entries = [Flagged("service", s.id, s.name, s) for s in content.services if s.hours or s.opening]
    entries += [Flagged("crisis contact", c.id, c.name, c) for c in content.crisis_contacts]
    return entries


def routes_without_phone_first(content: Content) -> List[str]:
    """Routes whose lead services have no phone number: the first reply can only give a web address."""
    return [
        r.id for r in content.routes if not any((s := content.service(ref)) and s.phone for ref in r.lead)
    ]
