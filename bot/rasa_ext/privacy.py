"""Redact personal details from what visitors type, before it is stored, logged or understood.

Replaced with a label in square brackets (what is caught and what is not: docs/deployment.md):
email addresses (any script), phone numbers (UK and international formats), UK National Insurance
numbers, CHI numbers, payment card numbers (Luhn-checked), sort codes and account numbers, dates
(of birth, and any full numeric date), prisoner numbers, UK postcodes, any other run of six or
more digits, and names that follow "my name is", "I'm called", "his name is", "call me" and the like.

Kept: towns and areas (local answers need them), prisons ("HMP Kilmarnock"), years, short numbers
("2016 Act", "40%", "6 months"), and the public phone numbers of the services the assistant itself
gives (read from content/, domain.yml and actions/*.yml, plus the 116 helplines). Visitors type
those back ("is 0800 254 0088 free?"); they identify an organisation, not a person, and the
assistant needs them to answer.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Callable, FrozenSet, List, Match, Optional, Pattern, Tuple

from bot.content.watch import Signature, signature_of
from bot.settings import get_settings

EMAIL = re.compile(r"[\w.%+'’-]+\s?(?:@|\(at\)|\[at\])\s?[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
NI_NUMBER = re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)
MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
WRITTEN_DATE = (
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\.?,?(?:\s+\d{{2,4}})?"
    rf"|(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{2,4}})?"
)
NUMERIC_DATE = r"\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\d/.-]*\d)"
BIRTH_DATE = re.compile(
    rf"(\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+on)?|birthday(?:\s+is)?)"
    rf"\s*(?:is\s+|was\s+)?[:\-]?\s*)({NUMERIC_DATE}|{WRITTEN_DATE})",
    re.IGNORECASE,
)
ANY_NUMERIC_DATE = re.compile(rf"(?<![\w/.-]){NUMERIC_DATE}")
DATE_PARTS = re.compile(r"(\d+)[/.-](\d+)[/.-](\d+)")
CONTEXT_NUMBERS: List[Tuple[Pattern[str], str]] = [
    (
        re.compile(
            r"(\bprison(?:er)?\s*(?:no\.?|num(?:ber)?|id)\s*(?:is\s+)?[:#]?\s*)"
            r"([A-Z]{0,2}\d{3,}[A-Z]{0,2}|\d{2,}(?:[\s-]\d{2,})+)\b",
            re.IGNORECASE,
        ),
        "[prisoner number]",
    ),
    (
        re.compile(r"(\bsort\s*code\s*(?:is\s+)?[:#]?\s*)(\d{2}[\s-]?\d{2}[\s-]?\d{2})\b", re.IGNORECASE),
        "[sort code]",
    ),
    (
        re.compile(
            r"(\b(?:account|acc|a/c)\.?\s*(?:no\.?|num(?:ber)?)?\s*(?:is\s+)?[:#]?\s*)(\d[\d\s-]{5,}\d)\b",
            re.IGNORECASE,
        ),
        "[account number]",
    ),
    (
        re.compile(
            r"(\bCHI\s*(?:no\.?|num(?:ber)?)?\s*(?:is\s+)?[:#]?\s*)(\d[\d\s-]{8,}\d)\b", re.IGNORECASE
        ),
        "[CHI number]",
    ),
]
PRISON_NUMBER_ENGLAND = re.compile(r"\b[A-Z]\d{4}[A-Z]{2}\b", re.IGNORECASE)  # e.g. A1234BC
# Digits with single spaces, dots, hyphens or brackets between them, optionally after + or 00.
NUMBER_RUN = re.compile(r"(?<![\w+])(?:\+\s?|\(\+?)?\d(?:[ .()-]{0,2}\d){5,}(?:\))?(?![\w])")
US_PHONE = re.compile(r"^\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}$")
SORT_CODE = re.compile(r"^\d{2}[\s-]\d{2}[\s-]\d{2}$")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
LONG_DIGITS = re.compile(r"\d{6,}")
KEPT_BASE = 0xE000  # Unicode private use area
HELPLINES = frozenset({"116123", "116006", "116111", "116117", "116000"})

# Names: the words after one of these, up to three, stopping at any word in NOT_NAMES.
PEOPLE = (
    "son|daughter|brother|sister|partner|husband|wife|boyfriend|girlfriend|friend|mum|dad|mother|father|"
    "child|kid|nephew|niece|cousin|uncle|aunt|auntie|gran|granny|grandson|granddaughter|grandad|neighbour"
)
NAME_INTRO = re.compile(
    r"\b(?:(?:my|his|her|their|our|your)(?:\s+\w+(?:'s|’s)?)?\s+name\s*(?:is|was|'s|’s|:)"
    r"|(?:first|last|full|sur)\s*name\s*(?:is|was|'s|’s|:)"
    r"|\bname\s*:|(?:i|he|she|they|who|{people})\s*(?:'m|’m|'s|’s|'re|’re|\s+am|\s+is|\s+are|\s+was|\s+were)\s+called"
    r"|(?:they|people|everyone)\s+call\s+me"
    r"|known\s+as|named|goes\s+by"
    r"|(?:hi|hello|hiya|hey)\s*[,!.]?\s*(?:i'?m|i’m|i\s+am|it'?s|it’s|this\s+is)(?=\s+(?-i:[A-Z])))\s+".replace(
        "{people}", PEOPLE
    ),
    re.IGNORECASE,
)
NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*")
NOT_NAMES = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "so",
        "if",
        "then",
        "because",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "onto",
        "to",
        "with",
        "without",
        "about",
        "after",
        "before",
        "i",
        "i'm",
        "im",
        "me",
        "my",
        "mine",
        "you",
        "your",
        "he",
        "him",
        "his",
        "she",
        "her",
        "hers",
        "they",
        "them",
        "their",
        "we",
        "us",
        "our",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "is",
        "am",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "shall",
        "not",
        "no",
        "yes",
        "ok",
        "okay",
        "please",
        "thanks",
        "thank",
        "help",
        "need",
        "needs",
        "want",
        "wants",
        "looking",
        "worried",
        "scared",
        "here",
        "there",
        "now",
        "today",
        "back",
        "when",
        "where",
        "what",
        "who",
        "why",
        "how",
        "which",
        "whilst",
        "while",
        "just",
        "also",
        "still",
        "very",
        "really",
        "too",
        "only",
        "again",
        "soon",
        "later",
        "mum",
        "dad",
        "son",
        "daughter",
        "brother",
        "sister",
        "partner",
        "husband",
        "wife",
        "friend",
        "family",
        "child",
        "children",
        "kid",
        "kids",
    ]
)
MAX_NAME_WORDS = 3


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def chi_like(digits: str) -> bool:
    """A CHI number: ten digits starting with a date of birth as DDMMYY."""
    if len(digits) != 10:
        return False
    try:
        date(2000 + int(digits[4:6]), int(digits[2:4]), int(digits[0:2]))
        return True
    except ValueError:
        return False


def uk_form(raw: str) -> str:
    """The digits of a phone number as dialled within the UK (+44 (0)1294 ... -> 01294...)."""
    digits = re.sub(r"\D", "", re.sub(r"\(0\)", "", raw))
    for prefix in ("0044", "44"):
        if raw.lstrip("( ").startswith(("+", "00")) and digits.startswith(prefix):
            return "0" + digits[len(prefix) :]
    return digits


def public_numbers() -> FrozenSet[str]:
    """Phone numbers the assistant itself gives out, in UK form; read again when content/ changes
    (a number published without a restart is kept, not redacted, when a visitor types it back)."""
    return _public_numbers(signature_of(get_settings().content_dir))


@lru_cache(maxsize=2)
def _public_numbers(_content_files: Signature) -> FrozenSet[str]:
    settings = get_settings()
    files = [
        *sorted(settings.content_dir.glob("*.yml")),
        settings.project_root / "domain.yml",
        *sorted((settings.project_root / "actions").glob("*.yml")),
    ]
    found = set(HELPLINES)
    for path in files:
        if path.is_file():
            for match in NUMBER_RUN.finditer(path.read_text(encoding="utf-8")):
                digits = uk_form(match.group(0))
                if (digits.startswith("0") and len(digits) in (10, 11)) or re.fullmatch(
                    r"080[08]\d{4}", digits
                ):
                    found.add(digits)
    return frozenset(found)


def is_public_number(raw: str) -> bool:
    return uk_form(raw) in public_numbers() or re.sub(r"\D", "", raw) in public_numbers()


def classify_number(raw: str) -> Optional[str]:
    """The label for a run of digits, or None to keep it."""
    digits = re.sub(r"\D", "", raw)
    starts = raw.lstrip("(")
    if is_public_number(raw):
        return None
    if 13 <= len(digits) <= 19 and luhn_valid(digits):
        return "[card number]"
    if starts.startswith(("+", "00")) and 7 <= len(digits) <= 15:
        return "[phone number]"
    if chi_like(digits) and re.fullmatch(r"\d{6}[\s-]?\d{4}", raw):
        return "[CHI number]"
    if starts.startswith("0") and 9 <= len(digits) <= 12:
        return "[phone number]"
    if SORT_CODE.match(raw):
        return "[sort code]"
    if US_PHONE.match(raw):
        return "[phone number]"
    if len(digits) >= 9 or LONG_DIGITS.search(raw):
        return "[number]"
    return None


def _numbers(text: str, kept: List[str]) -> str:
    """Runs of digits get their label; public numbers are set aside in `kept` (a private-use
    character stands in for each) so that no later rule touches them."""

    def label(match: Match[str]) -> str:
        raw = match.group(0)
        if is_public_number(raw):
            kept.append(raw)
            return chr(KEPT_BASE + len(kept) - 1)
        return classify_number(raw) or raw

    return NUMBER_RUN.sub(label, text)


def _restore(text: str, kept: List[str]) -> str:
    for index, raw in enumerate(kept):
        text = text.replace(chr(KEPT_BASE + index), raw)
    return text


def _names(text: str) -> str:
    out: List[str] = []
    position = 0
    for intro in NAME_INTRO.finditer(text):
        if intro.start() < position:
            continue
        words_end, count, cursor = intro.end(), 0, intro.end()
        while count < MAX_NAME_WORDS:
            word = NAME_WORD.match(text, cursor)
            if not word or word.group(0).lower().strip("'’") in NOT_NAMES:
                break
            count, words_end = count + 1, word.end()
            gap = re.match(r"[ \t]+", text[word.end() :])
            if not gap:
                break
            cursor = word.end() + gap.end()
        if count:
            out.append(text[position : intro.end()] + "[name]")
            position = words_end
    out.append(text[position:])
    return "".join(out)


def _dates(text: str) -> str:
    """Full numeric dates (day, month and year, either order of day and month) become [date]."""

    def label(match: Match[str]) -> str:
        first, second, _ = (int(part) for part in DATE_PARTS.match(match.group(0)).groups())  # type: ignore[union-attr]
        plausible = (1 <= first <= 31 and 1 <= second <= 12) or (1 <= first <= 12 and 1 <= second <= 31)
        return "[date]" if plausible else match.group(0)

    return ANY_NUMERIC_DATE.sub(label, text)


def _with_prefix(label: str) -> Callable[[Match[str]], str]:
    return lambda match: match.group(1) + label


def redact(text: str) -> str:
    text = EMAIL.sub("[email address]", text)
    text = BIRTH_DATE.sub(_with_prefix("[date of birth]"), text)
    text = _dates(text)
    text = NI_NUMBER.sub("[NI number]", text)
    for pattern, label in CONTEXT_NUMBERS:
        text = pattern.sub(_with_prefix(label), text)
    text = PRISON_NUMBER_ENGLAND.sub("[prisoner number]", text)
    text = POSTCODE.sub("[postcode]", text)
    kept: List[str] = []
    text = _numbers(text, kept)
    text = LONG_DIGITS.sub("[number]", text)
    return _restore(_names(text), kept)
