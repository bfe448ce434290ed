"""Opening hours as data, so a reply can say "open now" or "closed now".

A service lists rules like ``Mon-Fri 09:00-17:00`` or ``Mon-Thu 18:00-02:00`` (an end before the
start runs past midnight into the next day) or ``Sat-Sun 00:00-24:00``. Times are UK local time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, List, Tuple

try:
    from zoneinfo import ZoneInfo

    UK = ZoneInfo("Europe/London")
except Exception:  # no time zone database: fall back to UTC, which is right for half the year
    UK = dt.timezone.utc  # type: ignore[assignment]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RULE = re.compile(
    r"^(?P<first>[A-Za-z]{3})(?:-(?P<last>[A-Za-z]{3}))?\s+(?P<start>\d{2}:\d{2})-(?P<end>\d{2}:\d{2})$"
)


@dataclass(frozen=True)
class Rule:
    days: Tuple[int, ...]  # 0 = Monday
    start: int  # minutes after midnight
    end: int  # minutes after midnight; <= start means the next day

    def windows(self) -> Iterable[Tuple[int, int]]:
        """Open spans in minutes from Monday 00:00 (a week is 10080 minutes)."""
        for day in self.days:
            begin = day * 1440 + self.start
            finish = day * 1440 + (self.end if self.end > self.start else self.end + 1440)
            yield begin, finish


def _minutes(text: str) -> int:
    hours, minutes = (int(x) for x in text.split(":"))
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise ValueError(f"{text!r} is not a time between 00:00 and 24:00")
    return hours * 60 + minutes


def parse_rule(text: str) -> Rule:
    match = RULE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not like 'Mon-Fri 09:00-17:00'")
    first, last = match["first"].lower(), (match["last"] or match["first"]).lower()
    if first not in DAYS or last not in DAYS:
        raise ValueError(f"{text!r}: days are Mon, Tue, Wed, Thu, Fri, Sat, Sun")
    a, b = DAYS.index(first), DAYS.index(last)
    days = tuple(range(a, b + 1)) if a <= b else (*range(a, 7), *range(0, b + 1))
    start, end = _minutes(match["start"]), _minutes(match["end"])
    if start == end:
        raise ValueError(f"{text!r}: opening and closing times are the same")
    return Rule(days, start, end)


def check_rules(values: List[str]) -> List[str]:
    for value in values:
        parse_rule(value)
    return values


def is_open(rules: Iterable[str], when: dt.datetime) -> bool:
    local = when.astimezone(UK) if when.tzinfo else when
    now = local.weekday() * 1440 + local.hour * 60 + local.minute
    for rule in map(parse_rule, rules):
        for begin, finish in rule.windows():
            # a span may run past Sunday midnight into Monday
            if begin <= now < finish or begin <= now + 10080 < finish:
                return True
    return False


def uk_now() -> dt.datetime:
    return dt.datetime.now(UK)
