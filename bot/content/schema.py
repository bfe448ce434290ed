"""Pydantic models for every kind of content entry. Unknown keys are errors."""
from __future__ import annotations

import datetime as dt
import re
from typing import List, Optional

from pydantic import BaseModel, Extra, root_validator, validator

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
URL_PATTERN = re.compile(r"^https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?(/\S*)?$")
PHONE_PATTERN = re.compile(r"^[0-9][0-9 ]*[0-9]$")
PHONE_DIGIT_COUNTS = {3, 6, 8, 10, 11}
MAX_ANSWER_WORDS = 70

AUDIENCES = ("family", "victim_witness", "convicted", "leaving_prison", "crisis")
NEEDS = (
    "housing",
    "money",
    "mental_health",
    "drugs_alcohol",
    "employment",
    "visiting",
    "emotional_support",
    "legal_disclosure",
)
CRISIS_KINDS = ("danger", "suicidal", "domestic_abuse")
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


class Sourced(Strict):
    sources: List[str]
    reviewed: dt.date

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
    label: str
    url: str

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


class PartnershipAnswer(Answer):
    topic: str

    @validator("topic")
    def _topic(cls, value: str) -> str:
        if value not in PARTNERSHIP_TOPICS:
            raise ValueError(f"{value!r} is not one of {', '.join(PARTNERSHIP_TOPICS)}")
        return value


class Contact(Strict):
    phone: Optional[str] = None
    email: Optional[str] = None
    web: str
    address: Optional[str] = None
    note: Optional[str] = None

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


def _check_subset(values: List[str], allowed: tuple, what: str) -> List[str]:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValueError(f"unknown {what} {', '.join(unknown)}; use {', '.join(allowed)}")
    if not values:
        raise ValueError(f"needs at least one {what}")
    return values


class Service(Sourced):
    id: str
    name: str
    what: str
    audiences: List[str]
    needs: List[str]
    areas: List[str]
    phone: Optional[str] = None
    text: Optional[str] = None
    email: Optional[str] = None
    web: Optional[str] = None
    hours: Optional[str] = None
    check_at: Optional[str] = None

    _id = validator("id", allow_reuse=True)(check_id)
    _what = validator("what", allow_reuse=True)(check_short_answer)
    _phone = validator("phone", allow_reuse=True)(check_phone)
    _urls = validator("web", "check_at", allow_reuse=True)(check_url)

    @validator("audiences")
    def _audiences(cls, value: List[str]) -> List[str]:
        return _check_subset(value, AUDIENCES, "audience")

    @validator("needs")
    def _needs(cls, value: List[str]) -> List[str]:
        return _check_subset(value, NEEDS, "need")

    @root_validator(skip_on_failure=True)
    def _reachable(cls, values: dict) -> dict:
        if not values.get("web") and not values.get("phone"):
            raise ValueError("a service needs a phone number or a web address")
        return values


class CrisisContact(Sourced):
    id: str
    name: str
    phone: str
    when: str
    hours: Optional[str] = None
    text: Optional[str] = None
    web: Optional[str] = None
    kinds: List[str]

    _id = validator("id", allow_reuse=True)(check_id)
    _phone = validator("phone", allow_reuse=True)(check_phone)
    _web = validator("web", allow_reuse=True)(check_url)

    @validator("kinds")
    def _kinds(cls, value: List[str]) -> List[str]:
        return _check_subset(value, CRISIS_KINDS, "crisis kind")
