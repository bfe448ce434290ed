"""The validated content, with the questions actions ask of it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Tuple

from bot.content.schema import (
    Answer,
    CouncilArea,
    CrisisContact,
    CrisisRoute,
    GlossaryTerm,
    LocalPartner,
    Partnership,
    PartnershipAnswer,
    Place,
    Prison,
    Route,
    Service,
    StatutoryPartner,
)
from bot.content.vocabulary import ANY, CRISIS_KINDS

NATIONAL = "national"
NAMED_SERVICE_SCORE = 1.0  # one word only this service's name has, or several shared ones
IN_AREA_SCORE = 0.6  # a local service of the named area needs less: "social work in East Ayrshire"
# Words too common in service names or questions to name a service.
NAME_STOPWORDS = {
    "the",
    "a",
    "an",
    "of",
    "and",
    "for",
    "at",
    "in",
    "on",
    "to",
    "with",
    "by",
    "from",
    "your",
    "my",
    "is",
    "s",
    "scotland",
    "scottish",
    "service",
    "services",
    "council",
    "north",
    "south",
    "east",
    "ayrshire",
    "dumfries",
    "galloway",
    "people",
    "support",
    "help",
    "line",
    "helpline",
    "prison",
    "hmp",
    "justice",
    "team",
    "advice",
    "community",
    "information",
    "about",
    "who",
    "what",
    "how",
    "where",
    "number",
    "phone",
    "contact",
    "there",
    "someone",
    "anyone",
    "get",
    "can",
    "do",
    "does",
    "i",
    "me",
    "you",
    "it",
    "this",
    "that",
    "or",
    "work",
    "stay",
    "hours",
    "hour",
    "out",
    "cost",
    "way",
    "time",
    "times",
    "today",
    "tonight",
    "day",
    "week",
    "night",
    "free",
    "new",
    "routes",
    "based",
    "expect",
    "when",
    "just",
    "all",
    "any",
    "our",
    "their",
    "we",
    "are",
    "they",
    "them",
    "he",
    "she",
    "his",
    "her",
    "him",
    "be",
    "been",
    "was",
    "were",
    "has",
    "have",
    "had",
    "if",
    "so",
    "no",
    "not",
    "yes",
    "ok",
    "open",
    "weekend",
    "weekends",
    "will",
    "would",
    "should",
    "could",
    "here",
    "now",
    "still",
    "also",
    "only",
    "very",
    "really",
    "please",
    "thanks",
    "want",
    "need",
    "know",
    "tell",
    "said",
    "say",
    "go",
    "going",
    "got",
    "one",
    "two",
    "more",
    "other",
    "than",
    "then",
    "too",
    "up",
    "down",
    "off",
    "after",
    "before",
    "into",
    "over",
    "under",
    "again",
    "son",
    "daughter",
    "husband",
    "wife",
    "partner",
    "mum",
    "dad",
    "partnership",
    "partnerships",
    "partners",
    "delivery",
    "person",
    "anybody",
    "somebody",
    "deals",
    "touch",
    "keeping",
    "keep",
    "drop",
    "letter",
    "letters",
    "visit",
    "visits",
    "visiting",
    "book",
    "booking",
    "money",
    "housing",
    "home",
    "homeless",
    "option",
    "options",
    "child",
    "children",
    "family",
    "families",
    "talk",
    "speak",
    "call",
    "ring",
    "court",
    "sheriff",
    "worker",
    "staff",
    "office",
    "centre",
}


@lru_cache(maxsize=1)
def _common_words() -> frozenset:
    from bot.understanding.normalise import known_words

    return known_words()


def _name_phrases(name: str) -> List[str]:
    """The ways a service's name may be written in full: 'Families Outside', 'Breathing Space', the
    part before a dash or a bracket. Single everyday words are left out."""
    parts = [name, *re.split(r"\s+-\s+|\s*\(", name)]
    phrases = []
    for part in parts:
        words = re.findall(r"[a-z0-9]+", part.lower().replace("'", ""))
        short = [
            w for w in words if w not in ("scotland", "scottish", "the")
        ]  # "Victim Support" for Victim Support Scotland
        for candidate in (words, short):
            if len(candidate) >= 2 or (
                len(candidate) == 1 and candidate[0] not in _common_words() and len(candidate[0]) > 3
            ):
                phrases.append(" ".join(candidate))
    return sorted(set(phrases), key=len, reverse=True)


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _name_words(text: str, ignore: frozenset = frozenset()) -> List[str]:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
    return [_stem(w) for w in words if w not in NAME_STOPWORDS and w not in ignore]


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
    crisis_routes: List[CrisisRoute]
    routes: List[Route]
    prisons: List[Prison]
    terms: List[GlossaryTerm]
    _place_index: Dict[str, CouncilArea] = field(default_factory=dict, init=False, repr=False, compare=False)
    _town_names: Dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _answer_index: Dict[str, Answer] = field(default_factory=dict, init=False, repr=False, compare=False)
    _service_index: Dict[str, Service] = field(default_factory=dict, init=False, repr=False, compare=False)
    _service_words: Dict[str, set] = field(default_factory=dict, init=False, repr=False, compare=False)
    _word_weight: Dict[str, float] = field(default_factory=dict, init=False, repr=False, compare=False)
    _place_words: frozenset = field(default_factory=frozenset, init=False, repr=False, compare=False)
    _service_phrases: Dict[str, List[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _prison_index: Dict[str, Prison] = field(default_factory=dict, init=False, repr=False, compare=False)
    _term_index: Dict[str, GlossaryTerm] = field(default_factory=dict, init=False, repr=False, compare=False)

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
        town_names = {
            normalise_place(n): normalise_place(a.name) for a in self.council_areas for n in a.variants
        }
        for place in self.places:
            for name in [place.name, *place.variants]:
                town_names.setdefault(normalise_place(name), normalise_place(place.name))
        object.__setattr__(self, "_town_names", town_names)
        answers: Dict[str, Answer] = {a.id: a for a in [*self.topics, *self.stages]}
        for partnership in self.partnerships:
            answers.update({a.id: a for a in partnership.answers})
        object.__setattr__(self, "_answer_index", answers)
        object.__setattr__(self, "_service_index", {s.id: s for s in self.services})
        service_words = {s.id: set(_name_words(s.name)) for s in self.services}
        counts: Dict[str, int] = {}
        for found in service_words.values():
            for word in found:
                counts[word] = counts.get(word, 0) + 1
        object.__setattr__(self, "_service_words", service_words)
        place_names = [n for p in self.places for n in [p.name, *p.variants]] + [
            n for a in self.council_areas for n in [a.name, *a.variants]
        ]
        object.__setattr__(
            self,
            "_place_words",
            frozenset(w for n in place_names for w in re.findall(r"[a-z0-9]+", n.lower().replace("'", ""))),
        )
        ignore = self._place_words | {"hmp", "yoi"}
        object.__setattr__(
            self,
            "_service_phrases",
            {
                s.id: [p for p in _name_phrases(s.name) if set(p.split()) - NAME_STOPWORDS - ignore]
                for s in self.services
            },
        )
        object.__setattr__(self, "_word_weight", {w: 1.0 / n for w, n in counts.items()})
        object.__setattr__(
            self,
            "_prison_index",
            {
                normalise_place(name): prison
                for prison in self.prisons
                for name in [prison.name, *prison.variants]
            },
        )
        object.__setattr__(
            self,
            "_term_index",
            {normalise_place(name): term for term in self.terms for name in [term.term, *term.variants]},
        )

    # ---- lookups -------------------------------------------------------
    def answer(self, answer_id: str) -> Optional[Answer]:
        return self._answer_index.get(answer_id)

    def service(self, service_id: Optional[str]) -> Optional[Service]:
        return self._service_index.get(service_id or "")

    def prison(self, prison_id: Optional[str]) -> Optional[Prison]:
        return next((p for p in self.prisons if p.id == prison_id), None)

    def prison_in_area(self, area_id: Optional[str]) -> Optional[Prison]:
        """The prison in a council area (HMP Kilmarnock in East Ayrshire), if it has one."""
        return next((p for p in self.prisons if area_id and p.council_area == area_id), None)

    def own_lines(self, prison: Prison) -> List[Service]:
        """A prison's own services with a phone, not the national helplines it lists."""
        return [x for x in map(self.service, prison.services) if x and x.phone and NATIONAL not in x.areas]

    def term(self, term_id: Optional[str]) -> Optional[GlossaryTerm]:
        return next((t for t in self.terms if t.id == term_id), None)

    def prison_names(self) -> Dict[str, Prison]:
        """Every name and variant of every prison, normalised, for finding prisons in text."""
        return dict(self._prison_index)

    def term_names(self) -> Dict[str, GlossaryTerm]:
        """Every glossary term and variant, normalised, for finding terms in text."""
        return dict(self._term_index)

    def route_for(self, audience: Optional[str], need: Optional[str]) -> Optional[Route]:
        """The most specific route: this audience and need, then the audience, then the need, then any."""
        wanted = [(audience, need), (audience, ANY), (ANY, need), (ANY, ANY)]
        for key in wanted:
            if None in key:
                continue
            route = next((r for r in self.routes if (r.audience, r.need) == key), None)
            if route:
                return route
        return None

    def local_services(
        self, audience: Optional[str], need: Optional[str], council_area_id: Optional[str], limit: int = 2
    ) -> List[Service]:
        """Services of this council area (or its partnership) for the audience, best match first."""
        area = self.council_area(council_area_id)
        if area is None:
            return []

        def fits(service: Service) -> bool:
            return audience is None or audience in service.audiences

        local = [s for s in self.services if fits(s) and (area.id in s.areas or area.partnership in s.areas)]
        if need:
            local = [s for s in local if need in s.needs]  # a local service for something else is no help
        else:  # nobody said housing: a homelessness line is not the local help to offer first
            local = [s for s in local if s.needs != ["housing"]]
        # without a need, a homelessness line is no first answer
        local.sort(
            key=lambda s: (
                0 if area.id in s.areas else 1,
                0 if need or s.needs != ["housing"] else 1,
                0 if s.phone else 1,
                len(s.audiences),
            )
        )
        return local[:limit]

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
            if key.startswith(prefix) and key[len(prefix) :] in self._place_index:
                return self._place_index[key[len(prefix) :]]
        return None

    def services_named(
        self, text: str, area_id: Optional[str] = None, prison_id: Optional[str] = None, limit: int = 2
    ) -> List[Service]:
        """Services a message names or clearly describes ("the DTTO team in Saltcoats", "family
        contact officer at HMP Kilmarnock", "justice social work in East Ayrshire"): words of their
        names, weighted by how few names share them, and a bonus for the named area."""
        words = set(_name_words(text, self._place_words))
        plain = " " + " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))) + " "
        if not words:
            return []
        area = self.council_area(area_id)
        prison = self.prison(prison_id)
        scored = []
        for service in self.services:
            national = NATIONAL in service.areas
            here = area is not None and (area.id in service.areas or area.partnership in service.areas)
            if any(f" {name} " in plain for name in self._service_phrases[service.id]) and (national or here):
                scored.append((3.0, service))  # named in full: "Families Outside", "Breathing Space"
                continue
            shared = words & self._service_words[service.id]
            if not shared:
                continue
            weights = [self._word_weight[w] for w in shared]
            score = sum(weights)
            if prison and service.id in prison.services:
                score += 1.0
            elif area and area.id in service.areas:
                score += 0.5
            elif area and area.partnership in service.areas:
                score += 0.3
            elif area and NATIONAL not in service.areas:
                continue  # a local service of another area
            elif max(weights) < 0.5:
                continue  # words many services share do not name one
            elif len(shared) == 1 and next(iter(shared)) in _common_words():
                continue  # one everyday word ("living", "space") is not a name
            scored.append((score, service))
        scored.sort(key=lambda pair: -pair[0])
        return [
            service
            for score, service in scored
            if score >= (NAMED_SERVICE_SCORE if not area else IN_AREA_SCORE)
        ][:limit]

    # names as people type them -> ids (bot.understanding.signals.NameLookup)
    def town_named(self, name: str) -> Optional[str]:
        """The place as content spells it ('stranraer' for 'in Stranrar'), to find it in addresses."""
        if self.find_council_area(name) is None:
            return None
        key = normalise_place(name)
        for prefix in ("", "the ", "in ", "near "):
            if key.startswith(prefix) and key[len(prefix) :] in self._place_index:
                bare = key[len(prefix) :]
                return self._town_names.get(bare, bare)
        return None

    def area_id_named(self, name: str) -> Optional[str]:
        area = self.find_council_area(name)
        return area.id if area else None

    def prison_id_named(self, name: str) -> Optional[str]:
        prison = self._prison_index.get(normalise_place(name))
        return prison.id if prison else None

    def partnership_id_named(self, name: str) -> Optional[str]:
        """'Ayrshire', 'Community Justice Ayrshire', 'D&G', 'Dumfries': the partnership meant."""
        key = normalise_place(name)
        for partnership in self.partnerships:
            names = {normalise_place(partnership.name), normalise_place(partnership.short_name)}
            if key in names or key in {f"{n} partnership" for n in names}:
                return partnership.id
        area = self.find_council_area(name)
        return area.partnership if area else None

    def term_id_named(self, name: str) -> Optional[str]:
        term = self._term_index.get(normalise_place(name))
        return term.id if term else None

    def partnership_of_area(self, area_id: Optional[str]) -> Optional[Partnership]:
        area = self.council_area(area_id)
        return self.partnership(area.partnership) if area else None

    def local_partners_for(self, partnership_id: str) -> List[LocalPartner]:
        return [p for p in self.local_partners if p.partnership == partnership_id]

    def crisis_contact(self, contact_id: str) -> Optional[CrisisContact]:
        return next((c for c in self.crisis_contacts if c.id == contact_id), None)

    def crisis_contacts_for(self, kind: Optional[str]) -> List[CrisisContact]:
        """Contacts for one kind of crisis in the order content/crisis_contacts.yml gives them;
        every contact when kind is None."""
        if kind is None:
            return list(self.crisis_contacts)
        route = next((r for r in self.crisis_routes if r.kind == kind), None)
        contacts = [self.crisis_contact(c) for c in (route.contacts if route else [])]
        return [c for c in contacts if c is not None]

    def services_for(
        self,
        audience: Optional[str],
        need: Optional[str],
        council_area_id: Optional[str],
        limit: int = 4,
    ) -> List[Service]:
        """The most specific services for an audience, need and area: those that list the need first
        (for anyone, before the audience's services that do not), then local before national, then the
        order content/routes.yml gives them, then those with a phone."""
        area = self.council_area(council_area_id)
        area_rank = {NATIONAL: 2}
        if area:
            area_rank.update({area.partnership: 1, area.id: 0})
        route = self.route_for(audience, need)
        route_order = list(dict.fromkeys([*route.lead, *route.also])) if route else []

        def rank(service: Service) -> Tuple[int, int, int, int, int]:
            need_rank = 0 if need and need in service.needs else 1
            local = min(area_rank.get(a, 9) for a in service.areas)
            in_route = route_order.index(service.id) if service.id in route_order else len(route_order)
            return (need_rank, local, in_route, 0 if service.phone else 1, len(service.audiences))

        reachable = [s for s in self.services if any(a in area_rank for a in s.areas)]
        candidates = [s for s in reachable if audience is None or audience in s.audiences]
        if need and not any(need in s.needs for s in candidates):
            # never drop the need silently: services for that need, whoever they are for
            candidates = [s for s in reachable if need in s.needs] or candidates
        elif need:
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
            ("routes", "routes.yml", self.routes),
            ("prisons", "prisons.yml", self.prisons),
            ("terms", "glossary.yml", self.terms),
        ):
            for entry in entries:
                claim(entry.id, f"content/{file_name}: {kind} entry '{entry.id}'")
        for partnership in self.partnerships:
            for partnership_answer in partnership.answers:
                claim(
                    partnership_answer.id,
                    f"content/partnerships.yml: partnership '{partnership.id}' answer '{partnership_answer.id}'",
                )

        partnership_ids = {p.id for p in self.partnerships}
        area_ids = {a.id for a in self.council_areas}
        answer_ids = set(self._answer_index)

        def dangling(where: str, field_name: str, value: str, known: Iterable[str], what: str) -> None:
            if value not in known:
                problems.append(f"{where}: field '{field_name}': '{value}' is not a known {what}")

        for partnership in self.partnerships:
            where = f"content/partnerships.yml: partnerships entry '{partnership.id}'"
            for area_id in partnership.council_areas:
                dangling(where, "council_areas", area_id, area_ids, "council area id (content/places.yml)")
            topics = [a.topic for a in partnership.answers]
            for topic in {t for t in topics if topics.count(t) > 1}:
                problems.append(f"{where}: field 'answers': topic '{topic}' is answered more than once")
        for area in self.council_areas:
            dangling(
                f"content/places.yml: council_areas entry '{area.id}'",
                "partnership",
                area.partnership,
                partnership_ids,
                "partnership id (content/partnerships.yml)",
            )
        place_names: Dict[str, str] = {}
        for place in self.places:
            where = f"content/places.yml: places entry '{place.name}'"
            dangling(where, "council_area", place.council_area, area_ids, "council area id")
            for name in [place.name, *place.variants]:
                key = normalise_place(name)
                if key in place_names and place_names[key] != place.name:
                    problems.append(
                        f"{where}: field 'variants': '{name}' is also a name of '{place_names[key]}'"
                    )
                place_names[key] = place.name
        for partner in self.local_partners:
            dangling(
                f"content/partners.yml: local_partners entry '{partner.id}'",
                "partnership",
                partner.partnership,
                partnership_ids,
                "partnership id",
            )
        known_areas = {NATIONAL, *partnership_ids, *area_ids}
        for service in self.services:
            for area_id in service.areas:
                dangling(
                    f"content/support_services.yml: services entry '{service.id}'",
                    "areas",
                    area_id,
                    known_areas,
                    "area (national, a partnership id or a council area id)",
                )
        for answer in self._answer_index.values():
            for ref in answer.see_also:
                dangling(f"content: answer '{answer.id}'", "see_also", ref, answer_ids, "answer id")
        contact_ids = {c.id for c in self.crisis_contacts}
        for crisis_route in self.crisis_routes:
            for ref in crisis_route.contacts:
                dangling(
                    f"content/crisis_contacts.yml: crisis_routes entry '{crisis_route.kind}'",
                    "contacts",
                    ref,
                    contact_ids,
                    "crisis contact id",
                )
        for kind in CRISIS_KINDS:
            if kind not in {r.kind for r in self.crisis_routes}:
                problems.append(f"content/crisis_contacts.yml: crisis_routes: no entry for kind '{kind}'")
        service_ids = set(self._service_index)
        for service in self.services:
            if not service.summary:
                problems.append(
                    f"content/support_services.yml: services entry '{service.id}': field 'summary': is required "
                    f"(what it is and for whom, read first on a phone)"
                )
        for route in self.routes:
            where = f"content/routes.yml: routes entry '{route.id}'"
            for field_name in ("lead", "also"):
                for ref in getattr(route, field_name):
                    dangling(where, field_name, ref, service_ids, "service id")
                    named = self._service_index.get(ref)
                    if named and NATIONAL not in named.areas:
                        problems.append(
                            f"{where}: field '{field_name}': '{ref}' is a local service; routes name national "
                            f"services (local ones are added from the person's council area)"
                        )
            steps = [self._service_index.get(ref) for ref in [*route.lead, *route.also]]
            if not any(s and (s.phone or s.web) for s in steps):
                problems.append(f"{where}: needs a next step: a service with a phone number or a web address")
            if route.explain:
                dangling(where, "explain", route.explain, answer_ids, "answer id")
        keys = [(r.audience, r.need) for r in self.routes]
        for duplicate in {k for k in keys if keys.count(k) > 1}:
            problems.append(
                f"content/routes.yml: more than one route for audience '{duplicate[0]}' and need '{duplicate[1]}'"
            )
        if (ANY, ANY) not in keys:
            problems.append(
                "content/routes.yml: needs a route for audience 'any' and need 'any' (the general route)"
            )
        for prison in self.prisons:
            where = f"content/prisons.yml: prisons entry '{prison.id}'"
            if prison.council_area:
                dangling(where, "council_area", prison.council_area, area_ids, "council area id")
            for ref in prison.services:
                dangling(where, "services", ref, service_ids, "service id")
        term_names: Dict[str, str] = {}
        for term in self.terms:
            where = f"content/glossary.yml: terms entry '{term.id}'"
            if term.more:
                dangling(where, "more", term.more, answer_ids, "answer id")
            for name in {normalise_place(n) for n in [term.term, *term.variants]}:
                if name in term_names and term_names[name] != term.id:
                    problems.append(
                        f"{where}: field 'variants': '{name}' is also a name of '{term_names[name]}'"
                    )
                term_names.setdefault(name, term.id)
        return problems
