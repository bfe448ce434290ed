"""The coverage table: for each council area, audience and need, how many services a person would be
offered. Empty cells are the gaps people hit.

A cell reads ``national+local``:
- national: services named by the route for that audience and need (``content/routes.yml``, most
  specific route wins). A route that only matches through ``need: any`` counts just the services
  that list the need themselves, because a general route does not answer a specific need.
- local: services of that council area (or its partnership) for that audience that list the need,
  as the conversation adds them from the council area (``Content.local_services``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Tuple

from bot.content.store import Content
from bot.content.vocabulary import ANY, AUDIENCES, NEEDS


@dataclass(frozen=True)
class Cell:
    national: int
    local: int

    @property
    def empty(self) -> bool:
        return self.national + self.local == 0

    def text(self) -> str:
        return "**0**" if self.empty else f"{self.national}+{self.local}"


Table = Dict[Tuple[str, str, str], Cell]  # (area id, audience, need) -> cell


def _national(content: Content, audience: str, need: str) -> int:
    route = content.route_for(audience, need)
    if route is None:
        return 0
    services = [s for s in map(content.service, dict.fromkeys([*route.lead, *route.also])) if s is not None]
    if route.need == ANY:
        services = [s for s in services if need in s.needs]
    return len(services)


def _local(content: Content, audience: str, need: str, area_id: str) -> int:
    area = content.council_area(area_id)
    if area is None:
        return 0
    return sum(
        1
        for s in content.services
        if audience in s.audiences and need in s.needs and (area.id in s.areas or area.partnership in s.areas)
    )


def coverage(content: Content) -> Table:
    table: Table = {}
    for area in content.council_areas:
        for audience in AUDIENCES:
            for need in NEEDS:
                table[(area.id, audience, need)] = Cell(
                    _national(content, audience, need), _local(content, audience, need, area.id)
                )
    return table


def summary(table: Table) -> Dict[str, int]:
    cells = list(table.values())
    return {
        "cells": len(cells),
        "empty": sum(c.empty for c in cells),
        "no_national_route": sum(c.national == 0 for c in cells),
        "no_local_service": sum(c.local == 0 for c in cells),
    }


def markdown(content: Content, table: Table) -> str:
    counts = summary(table)
    lines: List[str] = [
        "# Coverage: audiences × needs × council areas",
        "",
        "Each cell is `national+local`: services named by the route for that audience and need "
        "(`content/routes.yml`; a general `need: any` route counts only services that list the need), "
        "plus local services of that council area or its partnership that list the audience and the need. "
        "**0** marks an empty cell: nothing specific to offer.",
        "",
        f"{counts['cells']} cells: **{counts['empty']} empty**, {counts['no_national_route']} without a "
        f"national route for the need, {counts['no_local_service']} without a local service.",
        "",
    ]
    needs = list(NEEDS)
    for area in content.council_areas:
        empty = sum(table[(area.id, a, n)].empty for a in AUDIENCES for n in needs)
        lines += [f"## {area.name} ({empty} empty)", ""]
        lines.append("| audience | " + " | ".join(NEEDS[n].button for n in needs) + " |")
        lines.append("|---|" + "---|" * len(needs))
        for audience in AUDIENCES:
            cells = " | ".join(table[(area.id, audience, n)].text() for n in needs)
            lines.append(f"| {AUDIENCES[audience].button} | {cells} |")
        lines.append("")
    return "\n".join(lines) + "\n"
