"""Pydantic models for every kind of content entry. Unknown keys are errors."""

from __future__ import annotations

import datetime as dt
import re
from typing import Collection, Dict, List, Optional

from pydantic import BaseModel, Extra, root_validator, validator

from bot.content import opening as opening_hours
from bot.content.vocabulary import ANY, CRISIS_KINDS, NEEDS, SERVICE_AUDIENCES

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
URL_PATTERN = re.compile(r"^https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?(/\S*)?$")
PHONE_PATTERN = re.compile(r"^[0-9][0-9 ]*[0-9]$")
PHONE_DIGIT_COUNTS = {3, 6, 8, 10, 11}
MAX_ANSWER_WORDS = 70
MAX_SUMMARY_WORDS = 25
MAX_GLOSSARY_WORDS = 45

# How sure a source is (docs/research/facts-v2.md): UNVERIFIED is never published.
CONFIDENCE_LABELS = ("VERIFIED", "VERIFIED-OLD", "PARTIAL", "INFERRED")
SOURCE_DATE_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
UNDATED = "undated"
TEXTPHONE_PREFIX = "18001 "

PARTNERSHIP_TOPICS = (
    "about",
    "why_exists",
    "governance",
    "aims",
    "remit",
    "progress",
    "outcomes_plan",
    "history",
    "areas",
    "contact",
    "statistics",
)


class Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        anystr_strip_whitespace = True
        allow_mutation = False


def check_url(value: str) -> str:
    if not URL_PATTERN.match(value):
        raise ValueError(f"{value!r} is not a web address starting with http:// or https://")
    return value


def check_phone(value: str) -> str:
    digits = value.replace(" ", "")
    if not PHONE_PATTERN.match(value) or len(digits) not in PHONE_DIGIT_COUNTS:
        raise ValueError(f"{value!r} is not a UK phone number (digits and spaces, e.g. '0800 254 0088')")
    if len(digits) >= 10 and not digits.startswith("0"):
        raise ValueError(f"{value!r} is not a UK phone number: a full number starts with 0")
    return value


def check_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise ValueError(f"{value!r} is not a valid id (lower case letters, digits and _)")
    return value


def check_short_answer(value: str) -> str:
    words = len(value.split())
    if words > MAX_ANSWER_WORDS:
        raise ValueError(f"is {words} words long; keep short answers to {MAX_ANSWER_WORDS} words or fewer")
    return value


def check_summary(value: str) -> str:
    if ":" in value:
        raise ValueError("a summary follows the name and a colon in a reply: write it without a colon")
    words = len(value.split())
    if words > MAX_SUMMARY_WORDS:
        raise ValueError(
            f"is {words} words long; a summary is read first on a phone: {MAX_SUMMARY_WORDS} words or fewer"
        )
    return value


def check_source_date(value: str) -> str:
    """When the source was published or last updated: YYYY, YYYY-MM, YYYY-MM-DD or 'undated'."""
    value = str(value)
    if value == UNDATED:
        return value
    if not SOURCE_DATE_PATTERN.match(value):
        raise ValueError(f"{value!r} is not a date like 2024, 2024-02 or 2024-02-19 (or 'undated')")
    source_date_latest(value)  # a real date
    return value


def source_date_latest(value: Optional[str]) -> Optional[dt.date]:
    """The last day a source date can mean ('2024' -> 2024-12-31): an age check never flags too early."""
    if not value or value == UNDATED:
        return None
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        year, month = parts
        first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
        return first_of_next - dt.timedelta(days=1)
    return dt.date(parts[0], 12, 31)


def check_confidence(value: str) -> str:
    if value == "UNVERIFIED":
        raise ValueError("UNVERIFIED facts are never published: find a source or leave the fact out")
    if value not in CONFIDENCE_LABELS:
        raise ValueError(f"{value!r} is not one of {', '.join(CONFIDENCE_LABELS)}")
    return value


def check_textphone(value: str) -> str:
    """A textphone or Relay UK number: 18001 followed by the number dialled."""
    if not value.startswith(TEXTPHONE_PREFIX):
        raise ValueError(
            f"{value!r} is not a textphone number: write it as '18001 ' and the number, e.g. '18001 101'"
        )
    check_phone(value[len(TEXTPHONE_PREFIX) :])
    return value


def check_text_instruction(value: str) -> str:
    """How to reach someone by an ordinary text message, as an instruction: 'Text FAMOUT and your message to 60777'."""
    if not value.startswith("Text "):
        raise ValueError(
            f"{value!r}: write a text-message instruction starting 'Text ...' (no 'Text:' label)"
        )
    if re.search(r"textphone|relay|18001", value, re.I):
        raise ValueError(f"{value!r}: a textphone or Relay UK number goes in 'textphone', not 'text'")
    return value


class Sourced(Strict):
    sources: List[str]
    reviewed: dt.date  # when we last checked the entry against its sources
    source_date: Optional[str] = None  # when the source was published or last updated (see check_source_date)
    confidence: Optional[str] = None  # the weakest label of the facts in the entry (CONFIDENCE_LABELS)

    _source_date = validator("source_date", pre=True, allow_reuse=True)(check_source_date)
    _confidence = validator("confidence", allow_reuse=True)(check_confidence)

    @validator("sources")
    def _sources(cls, value: List[str]) -> List[str]:
        if not value:
            raise ValueError("needs at least one source URL")
        return [check_url(url) for url in value]

    @validator("reviewed")
    def _reviewed(cls, value: dt.date) -> dt.date:
        if value > dt.date.today():
            raise ValueError(f"{value} is in the future")
        return value


class Link(Strict):
    label: str  # what people read: a title, with the site in brackets when it is not obvious
    url: str

    @validator("label")
    def _label(cls, value: str) -> str:
        if re.search(r"https?://|www\.", value):
            raise ValueError(f"{value!r}: a link label is a title people read, not a web address")
        return value

    @validator("url")
    def _url(cls, value: str) -> str:
        if value.startswith("tel:"):
            check_phone(value[4:].replace("+44", "0"))
            return value
        return check_url(value)


class Answer(Sourced):
    id: str
    title: str
    answer: str
    detail: Optional[str] = None
    links: List[Link] = []
    see_also: List[str] = []

    _id = validator("id", allow_reuse=True)(check_id)
    _answer = validator("answer", allow_reuse=True)(check_short_answer)

    @validator("links", always=True)
    def _next_step(cls, value: List[Link]) -> List[Link]:
        if not value:
            raise ValueError("needs a next step: at least one link (a web page, or tel: for a phone number)")
        return value


class PartnershipAnswer(Answer):
    topic: str

    @validator("topic")
    def _topic(cls, value: str) -> str:
        if value not in PARTNERSHIP_TOPICS:
            raise ValueError(f"{value!r} is not one of {', '.join(PARTNERSHIP_TOPICS)}")
        return value


class Contact(Strict):
    phone: Optional[str] = None
    phone_note: Optional[str] = (
        None  # said before an unconfirmed number: "An older number (about 2017) that may have changed"
    )
    email: Optional[str] = None
    web: str
    address: Optional[str] = None
    note: Optional[str] = None  # where else to ask, shown last

    _phone = validator("phone", allow_reuse=True)(check_phone)
    _web = validator("web", allow_reuse=True)(check_url)

    @validator("email")
    def _email(cls, value: str) -> str:
        if not re.match(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", value, re.I):
            raise ValueError(f"{value!r} is not an email address")
        return value


class Partnership(Sourced):
    id: str
    name: str
    short_name: str
    council_areas: List[str]
    contact: Contact
    partners_note: Optional[str] = (
        None  # said after the partner list: who else takes part, in the partnership's words
    )
    answers: List[PartnershipAnswer]

    _id = validator("id", allow_reuse=True)(check_id)


class CouncilArea(Sourced):
    id: str
    name: str
    partnership: str
    variants: List[str] = []

    _id = validator("id", allow_reuse=True)(check_id)


class Place(Sourced):
    name: str
    council_area: str
    variants: List[str] = []


class StatutoryPartner(Sourced):
    id: str
    name: str
    role: str
    web: Optional[str] = None

    _id = validator("id", allow_reuse=True)(check_id)
    _web = validator("web", allow_reuse=True)(check_url)


class LocalPartner(StatutoryPartner):
    partnership: str
    kind: str

    @validator("kind")
    def _kind(cls, value: str) -> str:
        if value not in ("statutory", "third_sector", "other"):
            raise ValueError(f"{value!r} is not one of statutory, third_sector, other")
        return value


def _check_subset(values: List[str], allowed: Collection[str], what: str) -> List[str]:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValueError(f"unknown {what} {', '.join(unknown)}; use {', '.join(allowed)}")
    if not values:
        raise ValueError(f"needs at least one {what}")
    return values


def check_publishable(values: dict) -> dict:
    """VERIFIED-OLD contact details carry the place to check them; PARTIAL ones are not published."""
    confidence = values.get("confidence")
    if confidence == "VERIFIED-OLD" and values.get("phone") and not values.get("check_at"):
        raise ValueError(
            "a VERIFIED-OLD phone number needs check_at: the organisation's page where people can check it"
        )
    if confidence == "PARTIAL" and (values.get("phone") or values.get("hours") or values.get("opening")):
        raise ValueError(
            "a PARTIAL source cannot give a phone number or opening hours: leave them out or find a better source"
        )
    return values


class Service(Sourced):
    id: str
    name: str
    what: str
    audiences: List[str]
    needs: List[str]
    areas: List[str]
    summary: Optional[str] = None  # one line for a first reply: what it is, for whom (every service has one)
    phone: Optional[str] = None
    phone_note: Optional[str] = None  # e.g. "free from landlines and mobiles"
    text: Optional[str] = (
        None  # an ordinary text message, as an instruction: "Text FAMOUT and your message to 60777"
    )
    textphone: Optional[str] = None  # textphone or Relay UK: "18001 0800 22 44 88"
    email: Optional[str] = None
    web: Optional[str] = None
    address: Optional[str] = None
    offices: Dict[str, str] = {}  # town -> phone, for a service with an office in several towns
    hours: Optional[str] = None  # opening hours as people read them
    opening: List[str] = []  # the same hours as data: ["Mon-Fri 09:00-17:00"], UK time
    check_at: Optional[str] = None

    _id = validator("id", allow_reuse=True)(check_id)
    _what = validator("what", allow_reuse=True)(check_short_answer)

    @validator("offices")
    def _offices(cls, value: Dict[str, str]) -> Dict[str, str]:
        return {town: check_phone(phone) for town, phone in value.items()}

    _summary = validator("summary", allow_reuse=True)(check_summary)
    _phone = validator("phone", allow_reuse=True)(check_phone)
    _text = validator("text", allow_reuse=True)(check_text_instruction)
    _textphone = validator("textphone", allow_reuse=True)(check_textphone)
    _urls = validator("web", "check_at", allow_reuse=True)(check_url)
    _opening = validator("opening", allow_reuse=True)(opening_hours.check_rules)

    @validator("audiences")
    def _audiences(cls, value: List[str]) -> List[str]:
        return _check_subset(value, SERVICE_AUDIENCES, "audience")

    @validator("needs")
    def _needs(cls, value: List[str]) -> List[str]:
        return _check_subset(value, NEEDS, "need")

    @root_validator(skip_on_failure=True)
    def _reachable(cls, values: dict) -> dict:
        if not values.get("web") and not values.get("phone"):
            raise ValueError("a service needs a phone number or a web address")
        if values.get("opening") and not values.get("hours"):
            raise ValueError("opening hours as data need the same hours in words in 'hours'")
        return check_publishable(values)


class CrisisContact(Sourced):
    id: str
    name: str
    phone: str
    when: str  # what the number is for, as a sentence: "Call 999 if someone is in danger right now ..."
    summary: Optional[str] = None  # the crisis reply's line: what it is for, in a few words (15 or fewer)
    for_others: Optional[str] = None  # the same line when someone writes about another person
    hours: Optional[str] = None  # when it is open, in words; every contact says it
    opening: List[
        str
    ] = []  # hours as data ("Mon-Sun 00:00-24:00" = always open); empty when no times are known
    text: Optional[str] = None  # an ordinary text message, as an instruction
    textphone: Optional[str] = None  # textphone or Relay UK: "18001 101"
    email: Optional[str] = None
    web: Optional[str] = None
    check_at: Optional[str] = None

    _id = validator("id", allow_reuse=True)(check_id)
    _phone = validator("phone", allow_reuse=True)(check_phone)
    _text = validator("text", allow_reuse=True)(check_text_instruction)
    _textphone = validator("textphone", allow_reuse=True)(check_textphone)
    _urls = validator("web", "check_at", allow_reuse=True)(check_url)
    _opening = validator("opening", allow_reuse=True)(opening_hours.check_rules)

    @validator("summary")
    def _summary(cls, value: str) -> str:
        if len(value.split()) > 15:
            raise ValueError(
                f"is {len(value.split())} words long; a crisis line is read in a hurry: 15 words or fewer"
            )
        return value

    @root_validator(skip_on_failure=True)
    def _open_when(cls, values: dict) -> dict:
        if not values.get("hours"):
            raise ValueError(
                "a crisis contact says when it is open in 'hours' (for example '24 hours a day, every day')"
            )
        return check_publishable(values)


class CrisisRoute(Strict):
    """The contacts for one kind of crisis, in the order a reply gives them."""

    kind: str
    contacts: List[str]

    @validator("kind")
    def _kind(cls, value: str) -> str:
        if value not in CRISIS_KINDS:
            raise ValueError(f"{value!r} is not one of {', '.join(CRISIS_KINDS)}")
        return value

    @validator("contacts")
    def _contacts(cls, value: List[str]) -> List[str]:
        if not value:
            raise ValueError("needs at least one crisis contact id")
        return value


class Route(Strict):
    """Which services answer a kind of request first: the editorial choice of "the best route"."""

    id: str
    audience: str  # an audience id, or "any"
    need: str  # a need id, or "any"
    lead: List[str]  # service ids, best first; the first one is named in the first reply
    also: List[str] = []  # service ids worth a line after the lead
    note: Optional[str] = None  # one short sentence of guidance shown with the route
    explain: Optional[str] = (
        None  # an answer id explaining how this works (e.g. the Victim Notification Scheme)
    )

    _id = validator("id", allow_reuse=True)(check_id)

    @validator("audience")
    def _audience(cls, value: str) -> str:
        if value != ANY and value not in SERVICE_AUDIENCES:
            raise ValueError(f"{value!r} is not any, or one of {', '.join(SERVICE_AUDIENCES)}")
        return value

    @validator("need")
    def _need(cls, value: str) -> str:
        if value != ANY and value not in NEEDS:
            raise ValueError(f"{value!r} is not any, or one of {', '.join(NEEDS)}")
        return value

    @validator("lead")
    def _lead(cls, value: List[str]) -> List[str]:
        if not value:
            raise ValueError("needs at least one service id")
        return value


class Prison(Sourced):
    id: str
    name: str
    variants: List[str] = []
    council_area: Optional[str] = None  # only for prisons inside the two partnerships
    holds: str  # who is held there, in plain words
    visits: Optional[str] = None  # how visits are booked there, in plain words
    address: Optional[str] = None
    services: List[str] = []  # service ids for families (visits first)
    web: str
    check_at: Optional[str] = None

    _id = validator("id", allow_reuse=True)(check_id)
    _urls = validator("web", "check_at", allow_reuse=True)(check_url)
    _holds = validator("holds", allow_reuse=True)(check_summary)
    _visits = validator("visits", allow_reuse=True)(check_short_answer)


class GlossaryTerm(Sourced):
    id: str
    term: str
    variants: List[str] = []
    meaning: str
    more: Optional[str] = None  # an answer id that explains it fully

    _id = validator("id", allow_reuse=True)(check_id)

    @validator("id")
    def _term_prefix(cls, value: str) -> str:
        if not value.startswith("term_"):
            raise ValueError(
                f"{value!r}: glossary ids start with 'term_' so they never clash with answer ids"
            )
        return value

    @validator("meaning")
    def _meaning(cls, value: str) -> str:
        words = len(value.split())
        if words > MAX_GLOSSARY_WORDS:
            raise ValueError(
                f"is {words} words long; a glossary meaning is {MAX_GLOSSARY_WORDS} words or fewer"
            )
        return value
