"""The validated content, with the questions actions ask of it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Tuple

from bot.content.schema import (
    Answer,
    CouncilArea,
    CrisisContact,
    LocalPartner,
    Partnership,
    PartnershipAnswer,
    Place,
    Service,
    StatutoryPartner,
)

NATIONAL = "national"


def normalise_place(text: str) -> str:
    text = re.sub(r"[^a-z0-9&' ]+", " ", text.lower().replace("’", "'"))
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Content:
    topics: List[Answer]
    stages: List[Answer]
    partnerships: List[Partnership]
    council_areas: List[CouncilArea]
    places: List[Place]
    statutory_partners: List[StatutoryPartner]
    local_partners: List[LocalPartner]
    services: List[Service]
    crisis_contacts: List[CrisisContact]
    _place_index: Dict[str, CouncilArea] = field(default_factory=dict, init=False, repr=False, compare=False)
    _answer_index: Dict[str, Answer] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        areas = {area.id: area for area in self.council_areas}
        index: Dict[str, CouncilArea] = {}
        for area in self.council_areas:
            for name in [area.name, *area.variants]:
                index[normalise_place(name)] = area
        for place in self.places:
            if place.council_area in areas:
                for name in [place.name, *place.variants]:
                    index.setdefault(normalise_place(name), areas[place.council_area])
        object.__setattr__(self, "_place_index", index)
        answers: Dict[str, Answer] = {a.id: a for a in [*self.topics, *self.stages]}
        for partnership in self.partnerships:
            answers.update({a.id: a for a in partnership.answers})
        object.__setattr__(self, "_answer_index", answers)

    # ---- lookups -------------------------------------------------------
    def answer(self, answer_id: str) -> Optional[Answer]:
        return self._answer_index.get(answer_id)

    def partnership(self, partnership_id: Optional[str]) -> Optional[Partnership]:
        return next((p for p in self.partnerships if p.id == partnership_id), None)

    def partnership_answer(self, partnership_id: str, topic: str) -> Optional[PartnershipAnswer]:
        partnership = self.partnership(partnership_id)
        if partnership is None:
            return None
        return next((a for a in partnership.answers if a.topic == topic), None)

    def council_area(self, area_id: Optional[str]) -> Optional[CouncilArea]:
        return next((a for a in self.council_areas if a.id == area_id), None)

    def find_council_area(self, text: Optional[str]) -> Optional[CouncilArea]:
        """The council area of a town, village or area name as a user typed it, or None."""
        if not text:
            return None
        key = normalise_place(text)
        if key in self._place_index:
            return self._place_index[key]
        for prefix in ("the ", "in ", "near "):
            if key.startswith(prefix) and key[len(prefix):] in self._place_index:
                return self._place_index[key[len(prefix):]]
        return None

    def partnership_of_area(self, area_id: Optional[str]) -> Optional[Partnership]:
        area = self.council_area(area_id)
        return self.partnership(area.partnership) if area else None

    def local_partners_for(self, partnership_id: str) -> List[LocalPartner]:
        return [p for p in self.local_partners if p.partnership == partnership_id]

    def crisis_contacts_for(self, kind: Optional[str]) -> List[CrisisContact]:
        """Contacts for one kind of crisis, always led by 999; all contacts when kind is None."""
        if kind is None:
            return list(self.crisis_contacts)
        return [c for c in self.crisis_contacts if kind in c.kinds]

    def services_for(
        self,
        audience: Optional[str],
        need: Optional[str],
        council_area_id: Optional[str],
        limit: int = 4,
    ) -> List[Service]:
        """The most specific services for an audience, need and area: local before national."""
        area = self.council_area(council_area_id)
        area_rank = {NATIONAL: 2}
        if area:
            area_rank.update({area.partnership: 1, area.id: 0})

        def rank(service: Service) -> Tuple[int, int, int]:
            need_rank = 0 if need and need in service.needs else 1
            local = min(area_rank.get(a, 9) for a in service.areas)
            return (need_rank, local, len(service.audiences))

        candidates = [
            s for s in self.services
            if (audience is None or audience in s.audiences) and any(a in area_rank for a in s.areas)
        ]
        if need and any(need in s.needs for s in candidates):
            candidates = [s for s in candidates if need in s.needs]
        return sorted(candidates, key=rank)[:limit]

    # ---- cross-file checks ----------------------------------------------
    def reference_problems(self) -> List[str]:
        problems: List[str] = []
        seen: Dict[str, str] = {}

        def claim(entry_id: str, where: str) -> None:
            if entry_id in seen:
                problems.append(f"{where}: duplicate id '{entry_id}' (already used in {seen[entry_id]})")
            else:
                seen[entry_id] = where

        for kind, file_name, entries in (
            ("topics", "topics.yml", self.topics),
            ("stages", "justice_journey.yml", self.stages),
            ("partnerships", "partnerships.yml", self.partnerships),
            ("council_areas", "places.yml", self.council_areas),
            ("statutory_partners", "partners.yml", self.statutory_partners),
            ("local_partners", "partners.yml", self.local_partners),
            ("services", "support_services.yml", self.services),
            ("crisis_contacts", "crisis_contacts.yml", self.crisis_contacts),
        ):
            for entry in entries:
                claim(entry.id, f"content/{file_name}: {kind} entry '{entry.id}'")
        for partnership in self.partnerships:
            for answer in partnership.answers:
                claim(answer.id, f"content/partnerships.yml: partnership '{partnership.id}' answer '{answer.id}'")

        partnership_ids = {p.id for p in self.partnerships}
        area_ids = {a.id for a in self.council_areas}
        answer_ids = set(self._answer_index)

        def dangling(where: str, field_name: str, value: str, known: Iterable[str], what: str) -> None:
            if value not in known:
                problems.append(f"{where}: field '{field_name}': '{value}' is not a known {what}")

        for partnership in self.partnerships:
            where = f"content/partnerships.yml: partnerships entry '{partnership.id}'"
            for area in partnership.council_areas:
                dangling(where, "council_areas", area, area_ids, "council area id (content/places.yml)")
            topics = [a.topic for a in partnership.answers]
            for topic in {t for t in topics if topics.count(t) > 1}:
                problems.append(f"{where}: field 'answers': topic '{topic}' is answered more than once")
        for area in self.council_areas:
            dangling(f"content/places.yml: council_areas entry '{area.id}'", "partnership", area.partnership,
                     partnership_ids, "partnership id (content/partnerships.yml)")
        place_names: Dict[str, str] = {}
        for place in self.places:
            where = f"content/places.yml: places entry '{place.name}'"
            dangling(where, "council_area", place.council_area, area_ids, "council area id")
            for name in [place.name, *place.variants]:
                key = normalise_place(name)
                if key in place_names and place_names[key] != place.name:
                    problems.append(f"{where}: field 'variants': '{name}' is also a name of '{place_names[key]}'")
                place_names[key] = place.name
        for partner in self.local_partners:
            dangling(f"content/partners.yml: local_partners entry '{partner.id}'", "partnership", partner.partnership,
                     partnership_ids, "partnership id")
        known_areas = {NATIONAL, *partnership_ids, *area_ids}
        for service in self.services:
            for area in service.areas:
                dangling(f"content/support_services.yml: services entry '{service.id}'", "areas", area, known_areas,
                         "area (national, a partnership id or a council area id)")
        for answer in self._answer_index.values():
            for ref in answer.see_also:
                dangling(f"content: answer '{answer.id}'", "see_also", ref, answer_ids, "answer id")
        return problems
