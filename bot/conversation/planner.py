"""Decide the reply to a turn: answer first, refine after.

Whatever the message says (who needs help, what with, where, which prison) is used at once: the
first reply to a request for help names the best route with its phone number, adds a local
service when the place is known, and only then offers optional refinements. At most one question
is asked, and only when the message said nothing at all about who or what; its answer is never
asked for twice. Follow-ups ("how do I phone them?") and corrections ("no, it's for me") use what
the conversation remembers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Pattern, Sequence, Tuple

from bot.content import rendering
from bot.content.opening import is_open
from bot.content.schema import Answer, CrisisContact, Partnership, Prison, Service
from bot.content.store import Content
from bot.content.vocabulary import AUDIENCES, CRISIS_KINDS
from bot.conversation.intents import (
    INTENT_AUDIENCE,
    INTENT_TITLES,
    NOT_SUGGESTED,
    SUPPORT_INTENTS,
    TOPIC_INTENTS,
    UNSPECIFIC_INTENTS,
)
from bot.conversation.turn import Memory, Turn
from bot.conversation.wording import Wording
from bot.understanding.patterns import PRISON_WORDS
from bot.understanding.signals import Signals


@dataclass
class Message:
    text: str
    buttons: List[Dict[str, str]] = field(default_factory=list)
    links: List[Dict[str, str]] = field(default_factory=list)
    response: Optional[str] = None  # the domain response this text came from, if it is one unchanged


@dataclass
class Reply:
    messages: List[Message]
    memory: Memory
    entry_ids: List[str] = field(
        default_factory=list
    )  # content entries the reply was built from (staff view)


@dataclass
class Place:
    partnership: str
    area: Optional[str]


@dataclass
class Asked:
    """One turn as the planner's rules read it: what was said, what the conversation remembers, where."""

    turn: Turn
    memory: Memory
    place: Place
    now: Optional[dt.datetime]
    named: List[Service]  # services the message names or clearly describes
    prison_entry: Optional[Prison]  # the prison last named, or the area's when the message says "prison"
    asked_about: Optional[Prison]  # the prison this message names, else prison_entry
    last_service: Optional[Service]  # the service named first in the last reply

    @property
    def s(self) -> Signals:
        return self.turn.signals

    @property
    def intent(self) -> str:
        return self.turn.intent or ""


class Planner:
    def __init__(self, content: Content, wording: Wording, default_partnership: str) -> None:
        self.content, self.wording, self.default_partnership = content, wording, default_partnership

    # ------------------------------------------------------------------ entry points
    def reply(self, turn: Turn, now: Optional[dt.datetime] = None) -> Reply:
        memory, place = self._locate(turn)
        if memory.pending and not self._starts_something_new(turn):
            return self._pending_answer(turn, memory, place, now)
        s = turn.signals
        memory = memory.but(pending=None)
        prison_entry = self.content.prison(memory.prison)
        if prison_entry is None and re.search(r"\b(?:prison|jail)\b", s.text):
            prison_entry = self.content.prison_in_area(place.area)
        asked = Asked(
            turn,
            memory,
            place,
            now,
            named=self.content.services_named(turn.text, place.area, s.prisons[0] if s.prisons else None),
            prison_entry=prison_entry,
            asked_about=self.content.prison(s.prisons[0]) if s.prisons else prison_entry,
            last_service=self.content.service(memory.service),
        )
        # Follow-ups on what the conversation is about come first, in this order; each rule answers
        # or passes. Then the intent decides.
        for rule in (
            self._after_a_crisis,
            self._out_of_hours,
            self._need_mid_journey,
            self._named_service_asked_about,
            self._without_a_call,
            self._about_the_last_service,
            self._one_in_that_town,
            self._topic_the_rules_read,
            self._about_the_prison,
            self._walk_in,
            self._topic_follow_up,
            self._booking_a_visit,
            self._what_to_bring,
            self._how_it_works,
        ):
            found = rule(asked)
            if found is not None:
                return found
        return self._by_intent(asked)

    # ------------------------------------------------------------------ follow-ups, in the order above
    def _after_a_crisis(self, a: Asked) -> Optional[Reply]:
        turn, memory, place, now, s = a.turn, a.memory, a.place, a.now, a.s
        if self._past_the_danger(turn, memory):
            return self._route("victim_witness", s.need, memory, place, now, turn)
        after_crisis = self._last_crisis(memory)
        if after_crisis and self._stays_with_the_crisis(turn, after_crisis):
            return self._crisis_follow_up(turn, memory, place, now, after_crisis)
        return None

    def _out_of_hours(self, a: Asked) -> Optional[Reply]:
        """ "what about at weekends?", "what if the office is shut", "are the housing folk open on a
        Sunday": the out-of-hours lines first."""
        memory, s = a.memory, a.s
        if (
            TONIGHT.search(s.text)
            and memory.audience
            and (s.follow_up != "hours" or WHAT_IF.search(s.text) or s.needs)
            and not ((s.audience and s.audience != memory.audience) or s.topics or s.prisons or a.named)
            and (a.intent not in TOPIC_INTENTS or WHAT_IF.search(s.text))
        ):
            need = s.need or memory.need or ("housing" if memory.audience == "leaving_prison" else None)
            return self._route(memory.audience, need, memory, a.place, a.now, a.turn)
        return None

    def _need_mid_journey(self, a: Asked) -> Optional[Reply]:
        """ "whit about a hoose for him": a need named in the middle of getting help, not a topic."""
        memory, s = a.memory, a.s
        if (
            s.needs
            and memory.audience
            and not (s.topics or s.prisons or a.named or (s.audience and s.audience != memory.audience))
            and a.intent in TOPIC_INTENTS
            and len(s.text.split()) <= 8
        ):
            return self._route(memory.audience, s.need, memory, a.place, a.now, a.turn)
        return None

    def _named_service_asked_about(self, a: Asked) -> Optional[Reply]:
        if a.named and (a.s.follow_up or _asks_for_a_number(a.s.text)):
            return self._service_detail(a.turn, a.memory.but(service=a.named[0].id), a.place, a.now)
        return None

    def _without_a_call(self, a: Asked) -> Optional[Reply]:
        """ "she hates the phone, she'd rather text somebody": the same service without a call."""
        memory, s, last = a.memory, a.s, a.last_service
        if (
            last
            and (last.text or last.textphone or last.web)
            and NOT_BY_PHONE.search(s.text)
            and not IN_TOUCH_WITH_THEM.search(s.text)  # "can I email him": the person inside, not the service
            and not re.search(r"\be-?mail\b", s.text)  # "what's the email": the service's email, later
            and not (s.topics or s.prisons or a.named or (s.audience and s.audience != memory.audience))
        ):
            return self._service_detail(a.turn, memory, a.place, a.now, kind="textphone")
        return None

    def _about_the_last_service(self, a: Asked) -> Optional[Reply]:
        """ "how much do they give you?": what the service says about itself, in full."""
        memory, s = a.memory, a.s
        if (
            a.last_service
            and SERVICE_QUESTION.search(s.text)
            and a.intent in UNSPECIFIC_INTENTS | {"ask_service_detail", "ask_more"}
            and not (
                s.topics or s.prisons or a.named or s.audience or s.needs or a.turn.places or memory.topic
            )
        ):
            return self._service_detail(a.turn, memory, a.place, a.now, kind="more")
        return None

    def _one_in_that_town(self, a: Asked) -> Optional[Reply]:
        """ "is there one in stranraer, i might stay at my pals": that town's office on the same route."""
        memory, s = a.memory, a.s
        if (
            s.towns
            and (memory.audience or memory.need)
            and ONE_IN_TOWN.search(s.text)
            and not (s.audience or s.topics or s.prisons or a.named)
        ):
            return self._place_follow_up(a.turn, memory, a.place, a.now)
        return None

    def _topic_the_rules_read(self, a: Asked) -> Optional[Reply]:
        s = a.s
        if (
            s.topics
            and not s.follow_up
            and not (s.audience and (s.help_seeking or set(s.needs) & {"visiting", "find_prison"}))
            and a.intent not in SUPPORT_INTENTS
        ):
            answer = self._topic_answer(s.topics[0], a.place.partnership)
            if answer:
                return self._topic(a.turn, s.topics[0], a.memory, a.place, a.now, answer=answer)
        return None

    def _about_the_prison(self, a: Asked) -> Optional[Reply]:
        """ "is there a number for the prison itself", "where is the jail", "what's the address"."""
        memory, s, prison_entry, asked_about = a.memory, a.s, a.prison_entry, a.asked_about
        last_service = a.last_service
        asks_where_prison = re.search(
            r"\bwhere(?:'s| is|abouts is| exactly is)\b.{0,25}\b(?:prison|jail|it)\b", s.text
        )
        # "what's the address" after letters or visits: the prison's, when the service named has none
        asks_address = (
            s.follow_up == "where" and not (last_service and last_service.address) and "address" in s.text
        )
        if (
            asked_about
            and ASKS_PRISON_NUMBER.search(s.text)
            and not (s.audience and s.audience != "family")
            and memory.audience in (None, "family")  # a victim's "prison team" is the notification team
        ):
            own = self.content.own_lines(asked_about)[:2]
            if own:
                text = " ".join(rendering.service_short(x) for x in own)
                return Reply(
                    [Message(f"{asked_about.name}: {text}", links=rendering.service_links(own))],
                    memory.but(service=own[0].id),
                    [x.id for x in own],
                )
        if prison_entry and (asks_where_prison or asks_address) and not s.prisons:
            address = f" It is at {prison_entry.address}." if prison_entry.address else ""
            return Reply(
                [
                    Message(
                        f"{prison_entry.name}: {rendering._sentence(prison_entry.holds)}{address}",
                        links=[{"label": f"{prison_entry.name} (sps.gov.uk)", "url": prison_entry.web}],
                    )
                ],
                memory,
                [prison_entry.id],
            )
        return None

    def _walk_in(self, a: Asked) -> Optional[Reply]:
        """ "is there anywhere I can just walk in": a local service that takes people without a call."""
        memory, place = a.memory, a.place
        if WALK_IN.search(a.s.text) and (memory.audience or memory.need) and place.area:
            walk_in = [
                x
                for x in self.content.local_services(memory.audience, memory.need, place.area, limit=20)
                if WALK_IN.search(f"{x.name} {x.summary or ''} {x.what or ''}".lower())
                and x.id not in self._other_prisons_services(memory.prison)
            ][:2]
            if walk_in:
                text = "\n\n".join(rendering.service_text(x) for x in walk_in)
                return Reply(
                    [Message(text, links=rendering.service_links(walk_in))], memory, [x.id for x in walk_in]
                )
        return None

    def _topic_follow_up(self, a: Asked) -> Optional[Reply]:
        """After a topic answer or in the middle of getting help: "how long does it last?", "where
        can I read it?", "do I have to tell them?", "and for all Scotland?", "can I email him
        instead?", "how do I claim it?"."""
        turn, memory, place, now, s, named = a.turn, a.memory, a.place, a.now, a.s, a.named
        last_topic = self.content.answer(memory.topic or "")
        if (
            last_topic
            and last_topic.detail
            and a.intent in ("nlu_fallback", "out_of_scope", "ask_more")
            and TOPIC_FOLLOW_UP.search(s.text)
            and not (s.audience or s.needs or s.topics or s.prisons or named or turn.places)
        ):
            return self._answer_reply(last_topic, memory, specific=True)
        if (
            last_topic
            and last_topic.links
            and READ_IT.search(s.text)
            and not (s.audience or s.needs or s.topics or s.prisons or named)
        ):  # the answer's own sources, by name
            labels = "; ".join(link.label for link in last_topic.links[:3])
            return Reply(
                [Message(f"{last_topic.title}: {labels}.", links=rendering.answer_links(last_topic))],
                memory,
                [last_topic.id],
            )
        if (
            memory.need in ("employment", "legal_disclosure")
            and TELL_THEM.search(s.text)
            and not (s.audience or s.topics or s.prisons)
        ):  # while looking for work with a record
            return self._topic(turn, "ask_disclosure", memory, place, now)
        national = self._national_counterpart(memory.topic)
        if national and ACROSS_SCOTLAND.search(s.text) and not (s.audience or s.needs or s.prisons):
            return self._answer_reply(national, memory, specific=True)
        in_touch = self.content.answer("keeping_in_touch")
        if (
            in_touch
            and memory.audience == "family"
            and IN_TOUCH_WITH_THEM.search(s.text)
            and set(s.needs) <= {"visiting"}
            and not (s.audience or s.topics or named)
        ):
            return self._answer_reply(in_touch, memory, specific=True)
        if (
            CLAIM.search(s.text)
            and memory.audience
            and set(s.needs) <= {memory.need}
            and not (s.topics or s.prisons or s.audience or named)
        ):
            return self._how_to_claim(a)
        return None

    def _how_to_claim(self, a: Asked) -> Optional[Reply]:
        """ "how do I claim it": the service in this route that takes claims; "the grant thing": the
        one whose name or summary has the word asked about."""
        memory = a.memory
        route = self.content.route_for(memory.audience, memory.need)
        ids = [*(route.lead if route else []), *(route.also if route else [])]
        claimables = [
            x
            for x in map(self.content.service, ids)
            if x and CLAIM.search(f"{x.summary or ''} {x.what}".lower())
        ]
        asked = set(re.findall(r"[a-z]{4,}", a.s.text)) - CLAIM_WORDS
        claimables.sort(
            key=lambda x: (
                0 if asked & set(re.findall(r"[a-z]{4,}", f"{x.name} {x.summary or ''}".lower())) else 1
            )
        )
        if not claimables:
            return None
        claimable = claimables[0]
        text = rendering.service_detail(claimable, "more", a.now)
        return Reply(
            [Message(text, links=rendering.service_links([claimable]))],
            memory.but(service=claimable.id),
            [claimable.id],
        )

    def _booking_a_visit(self, a: Asked) -> Optional[Reply]:
        """ "and whats the number to book the visit itself": the prison's visits line."""
        memory, place, s = a.memory, a.place, a.s
        booked_at = self._visited(a, a.asked_about)
        visits_line = self._visits_line(booked_at) if booked_at else None
        if (
            visits_line
            and booked_at is not None
            and BOOK_VISIT.search(s.text)
            and ("visiting" in s.needs or memory.need == "visiting" or memory.service in booked_at.services)
            and not s.audience  # a new request goes the family's route, which has the visits line
            and bool(memory.audience or memory.need or memory.service or memory.prison)  # a follow-up
        ):
            return self._service_detail(a.turn, memory.but(service=visits_line.id), place, a.now)
        return None

    def _what_to_bring(self, a: Asked) -> Optional[Reply]:
        """ "what do I need to take wi me": ID rules are in the prison's visits text."""
        memory, s = a.memory, a.s
        if VISIT_BRING.search(s.text) and not s.says_who_or_what and memory.audience in ("family", None):
            visited = self._visited(a, a.prison_entry)
            if visited and visited.visits:
                return Reply([Message(rendering.prison_visits_text(visited))], memory, [visited.id])
        return None

    def _visited(self, a: Asked, named: Optional[Prison]) -> Optional[Prison]:
        """The prison a visit question is about: the one named or talked about, else, while the
        conversation is about visiting, the prison in the person's area."""
        if named is None and a.memory.need == "visiting":
            return self.content.prison_in_area(a.place.area)
        return named

    def _how_it_works(self, a: Asked) -> Optional[Reply]:
        """ "how does it work?" after a prison's visits or a route: how visits work, or the next part."""
        memory, s = a.memory, a.s
        if (
            s.asks_how
            and s.follow_up in (None, "more")
            and not s.says_who_or_what
            and a.intent in UNSPECIFIC_INTENTS | {"ask_service_detail", "ask_more"}
        ):
            prison_entry = self.content.prison(memory.prison)
            if (
                prison_entry
                and prison_entry.visits
                and memory.need in ("visiting", None)
                and not _sub_topic(s.text)
            ):
                return Reply([Message(rendering.prison_visits_text(prison_entry))], memory, [prison_entry.id])
            if memory.more:
                return self._more(memory, a.place, a.now)
        return None

    # ------------------------------------------------------------------ then what the intent says
    def _by_intent(self, a: Asked) -> Reply:
        turn, memory, place, now, s, named = a.turn, a.memory, a.place, a.now, a.s, a.named
        intent = a.intent
        more_please = intent == "ask_more" or s.follow_up == "more"
        if not more_please and (
            # not "will her weans be able to visit", not "any help wi the bus fare"
            (intent == "ask_service_detail" and (s.follow_up or not (s.needs or _sub_topic(s.text))))
            or (s.follow_up and intent in UNSPECIFIC_INTENTS | {"ask_contact"} and memory.service)
        ):
            return self._service_detail(turn, memory, place, now)
        if intent == "correct_audience" or (
            s.correction and (s.audience or s.self_reference) and memory.audience
        ):
            return self._correction(turn, memory, place, now)
        if more_please and not s.says_who_or_what:
            return self._more(memory, place, now)
        if intent == "ask_local":  # "anything near me": ask the town only when nobody has said it
            if s.says_who_or_what:
                return self._support_request(turn, memory, place, now)
            if turn.places or turn.partnerships or place.area:
                return self._place_follow_up(turn, memory, place, now)
            return self._ask(memory.but(pending="area"), "utter_ask_area")
        if intent == "ask_other_help" and _sub_topic(s.text) and (memory.audience or memory.prison):
            # "any other help wi the bus fare": that help, on the route already taken
            return self._route(
                memory.audience or "family", memory.need, memory, place, now, turn, prison=memory.prison
            )
        if intent == "ask_other_help":
            return self._ask(memory.but(pending="need"), "utter_ask_need")
        if intent == "ask_meaning" or (s.asks_meaning and s.terms and not s.audience):
            return self._meaning(turn, memory, place, now)
        if (
            s.topics
            and s.topics[0] != intent
            and (
                intent in TOPIC_INTENTS
                or intent in ("ask_partners", "nlu_fallback", "out_of_scope", "inform")
            )
            and not (s.audience and s.help_seeking and intent not in TOPIC_INTENTS)
        ):
            intent = s.topics[0]  # the rules read the question more precisely than the classifier
        if intent in TOPIC_INTENTS and not s.topics and s.audience and s.needs and turn.confidence < 0.6:
            # the classifier half-reads a topic the rules do not see, in a request for help ("whats the
            # number to report a crime thats not an emergency" is not a question about statistics)
            return self._support_request(turn, memory, place, now)
        if intent in TOPIC_INTENTS and s.audience == "family" and set(s.needs) & {"visiting", "find_prison"}:
            # "he got 8 months at Dumfries, where will he go and can I visit him": the family's route
            return self._support_request(turn, memory, place, now)
        if intent in TOPIC_INTENTS:
            return self._topic(turn, intent, memory, place, now)
        if intent in ("ask_contact", "ask_partners") and (s.audience or s.prisons):
            return self._support_request(turn, memory, place, now)
        if intent == "ask_partners":
            return self._partners(memory, place)
        if (
            intent in ("ask_contact", "ask_for_human")
            and memory.audience
            and not (s.partnerships or ABOUT_THE_PARTNERSHIP.search(s.text))
        ):  # "who can we speak to about it" while getting help: the people for that, not the partnership
            return self._same_route_again(turn, memory, place, now)
        if intent in ("ask_contact", "ask_for_human"):
            return self._contact(intent, memory, place, now, s.towns)
        if (
            intent == "inform"
            and (turn.places or turn.partnerships)
            and not (s.audience or s.needs or s.prisons)
        ):
            return self._place_follow_up(turn, memory, place, now)
        if intent in SUPPORT_INTENTS or s.says_who_or_what or named:
            return self._support_request(turn, memory, place, now)
        if (
            intent in ("nlu_fallback", "out_of_scope")
            and (turn.places or turn.partnerships)
            and (memory.audience or memory.need or memory.topic)
        ):
            return self._place_follow_up(turn, memory, place, now)  # "what about Kilmarnock instead"
        unclear = intent in ("nlu_fallback", "out_of_scope") or (
            intent in ("affirm", "deny") and len(s.text.split()) > 4  # "n wat if im no on his list"
        )
        if unclear and not memory.audience and memory.prison and _sub_topic(s.text):
            # "any help wi the bus fare" after a prison's visits: the families' route for that
            return self._route("family", memory.need, memory, place, now, turn, prison=memory.prison)
        if unclear and memory.audience and not s.topics:
            # in the middle of getting help ("he got 2 year if that matters", "ma phone is nearly deid"):
            # the same route's numbers again, not a menu
            return self._same_route_again(turn, memory, place, now)
        if intent == "nlu_fallback":
            return self._did_you_mean(turn, memory, place)
        if intent == "out_of_scope":
            return Reply([self._response("utter_out_of_scope")], memory)
        if intent in ("affirm", "deny"):
            return Reply([self._response("utter_anything_else")], memory)
        if memory.audience and not s.topics:  # an "inform" that adds nothing new: the same help again
            return self._same_route_again(turn, memory, place, now)
        return self._did_you_mean(turn, memory, place)

    def crisis(self, turn: Turn, now: Optional[dt.datetime] = None) -> Reply:
        """Crisis numbers first, for every kind of crisis the message shows, then a way on."""
        memory, place = self._locate(turn)
        memory = memory.but(pending=None)
        if self._past_the_danger(turn, memory):  # the classifier still hears danger; the rules do not
            return self._route("victim_witness", turn.signals.need, memory, place, now, turn)
        kinds = [k for k in CRISIS_KINDS if k in turn.crisis_kinds] or [_kind_of(turn.intent) or "danger"]
        someone_else = turn.signals.about_someone_else and not turn.signals.self_reference
        lines = [
            self.wording.text(
                f"utter_crisis_{kinds[0]}"
                + ("_other" if someone_else and self.wording.has(f"utter_crisis_{kinds[0]}_other") else "")
            )
        ]
        contacts = self._crisis_contacts(kinds)
        lines += [rendering.crisis_line(c, now) for c in contacts]
        messages = [Message("\n".join(lines))]
        entry_ids = [c.id for c in contacts]
        memory = memory.but(service=_first_line(contacts))  # what follow-ups read the crisis from
        audience = turn.signals.audience
        if audience and audience in AUDIENCES:
            route_services = self._route_services(audience, None, None, place)
            if route_services:
                lead = route_services[0]
                messages.append(
                    Message(
                        self.wording.text("utter_when_ready") + " " + rendering.service_short(lead),
                        links=rendering.service_links([lead]),
                    )
                )
                entry_ids.append(lead.id)
                memory = memory.but(audience=audience)
        held_in = (
            self.content.prison(turn.signals.prisons[0]) if turn.signals.prisons and someone_else else None
        )
        prison_line = self._worry_line(held_in) if held_in else None
        if (
            held_in and prison_line
        ):  # "my son phoned from Kilmarnock jail and said he doesn't want to be here"
            messages.append(
                Message(
                    self.wording.text("utter_crisis_tell_the_prison", prison=held_in.name)
                    + " "
                    + rendering.service_short(prison_line),
                    links=rendering.service_links([prison_line]),
                )
            )
            entry_ids.append(prison_line.id)
        need = turn.signals.need
        if need and need not in ("emotional_support", "mental_health"):
            helper_audience = (
                audience
                if audience in AUDIENCES
                else ("victim_witness" if set(kinds) & {"domestic_abuse", "sexual_violence"} else None)
            )
            needed = [x for x in self._route_services(helper_audience, need, None, place, now) if x.phone][:2]
            if needed:
                messages.append(
                    Message(
                        " ".join(rendering.service_short(x) for x in needed),
                        links=rendering.service_links(needed),
                    )
                )
                entry_ids += [x.id for x in needed]
        messages.append(self._response("utter_crisis_after"))
        return Reply(messages, memory, entry_ids)

    def _same_route_again(
        self, turn: Turn, memory: Memory, place: Place, now: Optional[dt.datetime]
    ) -> Reply:
        """The route this conversation is on, again (for a message that adds nothing new)."""
        return self._route(memory.audience, memory.need, memory, place, now, turn, prison=memory.prison)

    def _past_the_danger(self, turn: Turn, memory: Memory) -> bool:
        """After a reply to danger or abuse: "police are here now. what do I do after this" asks for
        support with what happened, unless the message itself shows danger (the rules)."""
        s = turn.signals
        return bool(
            set(self._last_crisis(memory)) & {"danger", "domestic_abuse", "sexual_violence"}
            and AFTER_THE_DANGER.search(s.text)
            and not s.crisis  # the rules read no danger in this message itself
            and not (s.audience and s.audience != "victim_witness")
        )

    def _crisis_contacts(self, kinds: Sequence[str]) -> List[CrisisContact]:
        """Every contact for these kinds of crisis, in order, each once."""
        contacts: List[CrisisContact] = []
        for kind in kinds:
            contacts += [c for c in self.content.crisis_contacts_for(kind) if c not in contacts]
        return contacts

    def _last_crisis(self, memory: Memory) -> List[str]:
        """The kinds of crisis the last reply answered (its first line is remembered as the service)."""
        if not memory.service or self.content.service(memory.service):
            return []

        return [  # Samaritans is in every kind's list: the kind is the one whose first line it was
            k for k in CRISIS_KINDS if _first_line(self.content.crisis_contacts_for(k)) == memory.service
        ]

    def _stays_with_the_crisis(self, turn: Turn, kinds: List[str]) -> bool:
        """After a crisis reply, 'I don't want to phone anyone', 'I'm 17, is that ok', 'I'm in
        Kilmarnock if that matters', 'what if it's at night': the same help again, not a new topic."""
        s, intent = turn.signals, turn.intent or ""
        if s.topics or s.prisons:
            return False
        leaving_home = bool(set(kinds) & {"domestic_abuse"}) and set(s.needs) <= {
            "housing",
            "emotional_support",
        }
        if s.needs and not leaving_home and not set(s.needs) <= {"emotional_support", "mental_health"}:
            return False
        if NOT_BY_PHONE.search(s.text) or TONIGHT.search(s.text):
            return True
        if intent in TOPIC_INTENTS or intent in ("greet", "goodbye", "thank") or s.follow_up == "hours":
            return False
        if s.audience and s.audience != "victim_witness":
            return False
        return bool(
            intent in ("nlu_fallback", "out_of_scope", "inform", "ask_local", "ask_contact", "ask_for_human")
            or (s.follow_up == "where" and "domestic_abuse" in kinds)
            or leaving_home
            or turn.places
            or bool(s.needs)  # "I just want to talk to somebody about it"
        )

    def _crisis_follow_up(
        self, turn: Turn, memory: Memory, place: Place, now: Optional[dt.datetime], kinds: List[str]
    ) -> Reply:
        contacts = self._crisis_contacts(kinds)
        if NOT_BY_PHONE.search(turn.signals.text):
            ways = [w for w in map(rendering.crisis_other_ways, contacts) if w]
            if ways:
                text = "\n".join([self.wording.text("utter_crisis_other_ways"), *ways])
                return Reply([Message(text)], memory, [c.id for c in contacts])
        lines = [self.wording.text("utter_crisis_again"), *(rendering.crisis_line(c, now) for c in contacts)]
        messages = [Message("\n".join(lines))]
        entry_ids = [c.id for c in contacts]
        if "domestic_abuse" in kinds and place.area:  # somewhere to stay: the local lines, night ones first
            local = self.content.local_services(None, "housing", place.area, limit=4)
            local.sort(key=lambda x: 0 if OUT_OF_HOURS.search(f"{x.name} {x.hours or ''}") else 1)
            local = [x for x in local if x.phone][:2]
            if local:
                messages.append(
                    Message(
                        " ".join(
                            [
                                self.wording.text("utter_crisis_safe_place"),
                                *(rendering.service_short(x, self._area_name(x)) for x in local),
                            ]
                        ),
                        links=rendering.service_links(local),
                    )
                )
                entry_ids += [x.id for x in local]
        return Reply(messages, memory, entry_ids)

    # ------------------------------------------------------------------ where the person is
    def _locate(self, turn: Turn) -> Tuple[Memory, Place]:
        memory = turn.memory
        content = self.content
        if turn.places:
            area = content.council_area(turn.places[0])
            if area:
                # the town is remembered for later turns ("and somewhere to stay?" after "im back in
                # Stranraer"); naming only another area forgets it
                town = turn.signals.towns[0] if turn.signals.towns else None
                if town is None and area.id == memory.council_area:
                    town = memory.town
                memory = memory.but(council_area=area.id, partnership=area.partnership, town=town)
                return memory, Place(area.partnership, area.id)
        if turn.partnerships and content.partnership(turn.partnerships[0]):
            named = turn.partnerships[0]
            area = content.council_area(memory.council_area)
            kept = area is not None and area.partnership == named
            memory = memory.but(
                partnership=named,
                council_area=area.id if area and kept else None,
                town=memory.town if kept else None,
            )
            return memory, Place(named, memory.council_area)
        partnership = self._partnership(memory.partnership or turn.page_partnership).id
        area = content.council_area(memory.council_area)
        if area is None or area.partnership != partnership:
            areas = self._partnership(partnership).council_areas
            area = (
                content.council_area(areas[0])
                if len(areas) == 1 and (memory.partnership or turn.page_partnership)
                else None
            )
        return memory, Place(partnership, area.id if area else None)

    # ------------------------------------------------------------------ support
    def _support_request(self, turn: Turn, memory: Memory, place: Place, now: Optional[dt.datetime]) -> Reply:
        s = turn.signals
        # What the message says wins; then what this conversation is already about; then the
        # classifier's reading of who the message is from.
        audience = (
            s.audience
            or (memory.audience if memory.audience and not s.self_reference else None)
            or INTENT_AUDIENCE.get(turn.intent or "")
        )
        if not audience and set(self._last_crisis(memory)) & {"danger", "domestic_abuse", "sexual_violence"}:
            audience = "victim_witness"  # "is there anyone who helps after something like this"
        need = s.need
        prison = s.prisons[0] if s.prisons else None
        if (
            audience
            and memory.audience == audience
            and not need
            and (not s.says_who_or_what or s.correction or (s.prisons and not s.needs))
        ):
            need = (
                memory.need
            )  # "and my brother too?", "sorry I meant Dumfries jail" keep what was asked about
        named = self.content.services_named(turn.text, place.area, prison)
        if not (audience or need or prison or named):
            if turn.places and (memory.audience or memory.need):
                return self._route(memory.audience, memory.need, memory, place, now, turn)
            return self._ask(memory.but(pending="audience"), "utter_ask_audience", crisis_line=True)
        route = self._route(audience, need, memory, place, now, turn, prison=prison, named=named)
        topic = self._topic_also_asked(turn, place)
        if topic:
            detail = bool(SPECIFIC_QUESTION.search(s.text) or _asks_for_detail(s.text, topic)) and bool(
                topic.detail
            )
            route.messages.insert(
                0,
                Message(
                    rendering.answer_text(topic, with_detail=detail), links=rendering.answer_links(topic)
                ),
            )
            route.entry_ids.insert(0, topic.id)
        return route

    def _topic_also_asked(self, turn: Turn, place: Place) -> Optional[Answer]:
        """A question about the justice system inside a request for help ("he got 3 years, when will
        he get out?"): the classifier's best topic, if it is a close second and this is a question."""
        s = turn.signals
        for name in s.topics:
            answer = self._topic_answer(name, place.partnership)
            if answer:
                return answer
        if not (s.asks_how or "?" in turn.text or _WH_QUESTION.search(s.text)):
            return None
        if _asks_for_a_number(s.text):  # "what's the number to report a crime": a number, not a topic
            return None
        for name, confidence in turn.ranking[:3]:
            if name in TOPIC_INTENTS and confidence >= TOPIC_ALSO_CONFIDENCE:
                return self._topic_answer(name, place.partnership)
        return None

    def _route(
        self,
        audience: Optional[str],
        need: Optional[str],
        memory: Memory,
        place: Place,
        now: Optional[dt.datetime],
        turn: Optional[Turn] = None,
        prison: Optional[str] = None,
        lead_in: Optional[str] = None,
        named: Optional[List[Service]] = None,
    ) -> Reply:
        """The answer-first reply: warm line, the best route with its number, a local service, buttons.
        When the message asks how something works, how it works follows as a second message."""
        s = turn.signals if turn else None
        towns = (s.towns if s else []) or ([memory.town] if memory.town else [])
        prison = prison or (memory.prison if audience == "family" and memory.audience == "family" else None)
        about_release = bool(s and s.release_context) or (
            audience == "family" and memory.about_release and not (s and s.needs)
        )
        keeping_in_touch = bool(s and KEEPING_IN_TOUCH.search(s.text))
        if s:  # what the message asks about within the need: the service for that, named first
            for wanted, service_name, for_whom in SUB_TOPICS:
                if wanted.search(s.text) and (for_whom is None or audience in for_whom):
                    here = {"national", place.area or "", place.partnership}  # not another area's service
                    named = [
                        x
                        for x in self.content.services
                        if service_name.search(x.name) and here & set(x.areas)
                    ][:1] + list(named or [])
        if (
            audience == "family"
            and prison is None
            and s
            and not about_release
            and need in ("find_prison", "visiting")
            and re.search(r"\bcourt\b", s.text)
            and not FEMALE_RELATIVE.search(s.text)
        ):  # "sentenced at Dumfries Sheriff Court, can I visit him": the prison that serves those courts
            prison = next(
                (
                    p.id
                    for p in self.content.prisons
                    if (area := self.content.council_area(p.council_area))
                    and area.partnership == place.partnership
                ),
                None,
            )
        held_at_line = ""
        if (
            audience == "family"
            and prison is None
            and s
            and not about_release
            and need in (None, "find_prison", "visiting", "emotional_support", "children")
            and FEMALE_RELATIVE.search(s.text)
            and re.search(rf"\b{PRISON_WORDS}\b", s.text)
        ):  # "my daughter got sentenced at Ayr": women go to the women's prison, not the local one
            women = self.content.prison(self.content.prison_id_named("women's prison"))
            if women:
                prison = women.id
                held_at_line = self.wording.text("utter_women_prison_line", prison=women.name)
        services = self._route_services(
            audience,
            need,
            prison,
            place,
            now,
            named or [],
            about_release,
            keeping_in_touch,
            s.text if s else "",
            towns,
        )
        second_need = s.needs[1] if s and len(s.needs) > 1 else None
        extra: List[Service] = []
        if second_need:  # the second need's own lead service ("no bed, no cooker": the welfare fund)
            second_route = self.content.route_for(audience, second_need)
            lead_ids = second_route.lead if second_route and second_route.need == second_need else []
            extra = [x for x in map(self.content.service, lead_ids) if x and x.phone][
                :1
            ] or self._route_services(audience, second_need, None, place, now)[:1]
        if (
            s
            and s.audience == "victim_witness"
            and memory.audience == "family"
            and HARMED_BY_THEM.search(s.text)
        ):
            extra = [x for x in self.content.services if "domestic abuse" in x.name.lower()][:1] + list(extra)
        others = self._other_prisons_services(prison)
        shown = self._pick(
            services,
            audience,
            place,
            [x for x in named or [] if x.id not in others],
            [x for x in extra if x.id not in others],
            about_release,
            towns,
        )
        if towns:
            shown = [_at_office(x, towns) for x in shown]
        if held_at_line and len(shown) > 2:
            shown = shown[:2]  # room for where she is held, in a reply still short enough for a phone
        teams_line = ""
        if shown and not any(x.phone for x in shown):  # a number in every first reply
            if place.area is None and audience in ("convicted", "leaving_prison"):
                teams_line = self._local_teams_line(place, audience)
            spare = next((x for x in services if x.phone and x not in shown), None)
            if spare:
                shown.append(spare)
        lines = [lead_in] if lead_in else []
        if not (memory.audience == audience and memory.service):  # said once, not at every follow-up
            lines.append(self._warm(audience, s))
        if shown:
            lines.append(rendering.service_line(shown[0], now))
            if (
                s and NOT_BY_PHONE.search(s.text) and shown[0].text
            ):  # "somewhere I can text rather than phone"
                lines.append(rendering._sentence(shown[0].text))
            samaritans = self.content.crisis_contact("samaritans")
            if (
                rendering.closed_now(shown[0].opening, now)
                and samaritans
                and shown[0].phone != samaritans.phone
            ):
                lines.append(
                    self.wording.text("utter_closed_now_line", name=samaritans.name, phone=samaritans.phone)
                )
                shown = [shown[0], *(x for x in shown[1:] if x.phone != samaritans.phone)]  # said once
        lines += [rendering.service_short(x, self._area_name(x)) for x in shown[1:]]
        lines.append(held_at_line)
        lines.append(teams_line)
        route = self.content.route_for(audience, need)
        if route and route.note and not (audience or need):
            lines.append(route.note)
        emergency = self.content.crisis_contact("emergency_999")
        if emergency and audience in ("victim_witness", None):
            lines.append(self.wording.text("utter_danger_line", phone=emergency.phone))
        explain = self.content.answer(route.explain) if route and route.explain else None
        if (
            (need == "visiting" or (audience == "family" and need is None))
            and s
            and KEEPING_IN_TOUCH.search(s.text)
            and self.content.answer("keeping_in_touch")
        ):
            explain = self.content.answer("keeping_in_touch")
        prison_entry = self.content.prison(prison)
        how = bool(
            s and (s.asks_how or "?" in s.text or _WH_QUESTION.search(s.text) or DONT_KNOW.search(s.text))
        )
        buttons = []
        if place.area is None:
            buttons += self.wording.buttons("utter_button_near_me")
        if explain and not how:
            buttons += self.wording.buttons("utter_button_more")
        buttons += self.wording.buttons("utter_button_other_help")
        messages = [
            Message(" ".join(line for line in lines if line), buttons, rendering.service_links(shown))
        ]
        entry_ids = [x.id for x in shown]
        keeping_in_touch = bool(s and KEEPING_IN_TOUCH.search(s.text))
        if (
            how
            and prison_entry
            and prison_entry.visits
            and need in ("visiting", None)
            and not keeping_in_touch
        ):
            messages.append(Message(rendering.prison_visits_text(prison_entry)))
            entry_ids.append(prison_entry.id)
        elif how and explain:
            detail = bool(s and _asks_about_children(s.text, explain))  # a witness: "I've got 2 kids"
            messages.append(
                Message(
                    rendering.answer_text(explain, with_detail=detail), links=rendering.answer_links(explain)
                )
            )
            entry_ids.append(explain.id)
        about_release = about_release or audience == "leaving_prison"
        memory = memory.but(
            audience=audience,
            need=need,
            service=shown[0].id if shown else memory.service,
            prison=prison,
            about_release=about_release if audience else memory.about_release,
            topic=explain.id if explain and how else None,
            more=explain.id if explain and not how else None,
        )
        return Reply(messages, memory, entry_ids)

    def _route_services(
        self,
        audience: Optional[str],
        need: Optional[str],
        prison: Optional[str],
        place: Place,
        now: Optional[dt.datetime] = None,
        named: Optional[List[Service]] = None,
        about_release: bool = False,
        keeping_in_touch: bool = False,
        text: str = "",
        towns: Optional[List[str]] = None,
    ) -> List[Service]:
        """The services to name, best first: the route's lead (with a phone number), the named
        prison's for visits or worry, a service the message names, then local services (open ones
        first), then the rest of the route."""
        content = self.content
        sub_topic_ids = {
            x.id
            for x in named or []
            for wanted, name, _ in SUB_TOPICS
            if wanted.search(text) and name.search(x.name)
        }
        route = content.route_for(audience, need)
        lead = [x for x in (content.service(i) for i in (route.lead if route else [])) if x]
        also = [x for x in (content.service(i) for i in (route.also if route else [])) if x]
        prison_entry = content.prison(prison)
        prison_services = (
            [x for x in (content.service(i) for i in prison_entry.services) if x] if prison_entry else []
        )
        if prison_services:
            wanted = need if need and need != "find_prison" else "emotional_support"
            if need == "find_prison" and re.search(r"\b(?:visit|see)\b", text):
                wanted = "visiting"  # "where will he go and can I visit him"
            prison_services.sort(key=lambda x: 0 if wanted in x.needs else 1)
        local = content.local_services(audience if audience in AUDIENCES else None, need, place.area, limit=3)
        in_prisons = {i for p in content.prisons for i in p.services}
        if towns:  # "in Stranraer": the Stranraer office among them, even when it is not in the first three
            in_town = [
                x
                for x in content.local_services(
                    audience if audience in AUDIENCES else None, need, place.area, limit=12
                )
                if x.id not in in_prisons and _in_towns(x, towns)
            ]
            if in_town and in_town[0] not in local:
                local = [in_town[0], *local[:2]]
        if audience == "family" and about_release:
            # the person coming out will need the local throughcare or social work team
            local = content.local_services("leaving_prison", need, place.area, limit=2) + local
        # what is open now first; the office in the town named before that ("is there one in Stranraer",
        # not a prison's service), and the night line when the night is asked about, before all
        if now is not None:
            local.sort(key=lambda x: 0 if _answers_now(x, now) else 1)
        if towns:
            local.sort(key=lambda x: 0 if x.id not in in_prisons and _in_towns(x, towns or []) else 1)
        if TONIGHT.search(text):  # "nowhere to stay the night": the out-of-hours line, whatever the time now
            local.sort(key=lambda x: 0 if OUT_OF_HOURS.search(f"{x.name} {x.hours or ''}") else 1)
        social_work: List[Service] = []
        if audience in ("leaving_prison", "convicted") or (audience == "family" and about_release):
            social_work = [
                x
                for x in content.local_services(
                    "leaving_prison" if audience == "family" else audience, None, place.area, limit=8
                )
                if JUSTICE_SOCIAL_WORK.search(x.name)
            ]
            if about_release:
                social_work = [x for x in prison_services if JUSTICE_SOCIAL_WORK.search(x.name)] + social_work
            if towns:  # "at Stranraer sheriff court": the Stranraer team first
                social_work.sort(key=lambda x: 0 if _in_towns(x, towns or []) else 1)
            local = [x for x in local if x not in social_work]
        ordered: List[Service] = []
        if prison_services and audience in ("family", None) and need == "visiting" and not keeping_in_touch:
            ordered += prison_services[:1]
        with_phone = [x for x in lead if x.phone]
        nearby = local + (
            social_work
            if audience in ("leaving_prison", "convicted") or (audience == "family" and about_release)
            else []
        )
        if not with_phone and any(x.phone for x in nearby):
            ordered += [x for x in nearby if x.phone][:1]  # a local number before a national website
        ordered += [x for x in named or [] if x.id in sub_topic_ids and x.phone][:1]  # what was asked about
        ordered += with_phone[:1] or lead[:1]
        if (
            prison_services
            and audience in ("family", None)
            and need in (None, "find_prison", "emotional_support")
        ):
            ordered += prison_services[:1]
        if prison_entry:  # the visits line of another prison is no help
            others = {i for p in content.prisons if p.id != prison_entry.id for i in p.services}
            local = [x for x in local if x.id not in others]
        ordered += named or []
        ordered += local[:2]
        if audience in ("leaving_prison", "convicted") or (audience == "family" and about_release):
            ordered += social_work[:1]
        ordered += lead + also
        others = self._other_prisons_services(prison)
        unique: List[Service] = []
        for service in ordered:
            if service not in unique and service.id not in others:  # not another prison's play sessions
                unique.append(service)
        return unique

    def _national_counterpart(self, answer_id: Optional[str]) -> Optional[Answer]:
        """For a partnership's own answer (its figures, its progress), the same subject for all Scotland."""
        answer = self.content.answer(answer_id or "")
        topic = getattr(answer, "topic", None)
        if not topic:
            return None
        national = next((n for t, n in TOPIC_INTENTS.values() if t == topic), None)
        return self.content.answer(national) if national else None

    def _other_prisons_services(self, prison: Optional[str]) -> set:
        """With a prison known, the services only other prisons have are no help."""
        entry = self.content.prison(prison)
        if entry is None:
            return set()
        return {i for p in self.content.prisons if p.id != entry.id for i in p.services} - set(entry.services)

    def _pick(
        self,
        services: List[Service],
        audience: Optional[str],
        place: Place,
        named: List[Service],
        extra: Sequence[Service] = (),
        about_release: bool = False,
        towns: Sequence[str] = (),
    ) -> List[Service]:
        """The route named first, then one line each for: a service the message names, a local one, the
        route of a second need, the families' helpline for families, the justice social work team for
        people leaving prison. Two more lines at most (three when a family's relative is coming out)."""
        if not services:
            return []
        lead, rest = services[0], services[1:]
        local = [x for x in rest if "national" not in x.areas]
        social_work = [x for x in local if JUSTICE_SOCIAL_WORK.search(x.name)]
        home = self._audience_home(audience)
        also_needed = [x for x in extra if x not in (lead, home)]
        candidates = [
            *named,
            *[x for x in local if x not in social_work][:1],
            *also_needed[:1],
            *([home] if home else []),
            *social_work[:1],
            *rest,
        ]
        most = (
            4
            if audience == "family" and about_release
            else 3
            if (place.area or audience == "family" or local)
            else 2
        )
        shown = [lead]
        for service in candidates:
            if service not in shown:
                shown.append(service)
            if len(shown) == most:
                break
        if home and home not in shown:  # a family always gets the families' helpline
            shown.append(home)
        return shown

    def _area_name(self, service: Service) -> Optional[str]:
        """The council area of a service of one council area ("Ayr Housing Advice Centre": South Ayrshire)."""
        areas = [self.content.council_area(a) for a in service.areas]
        found = [a for a in areas if a is not None]
        return found[0].name if len(found) == 1 and len(service.areas) == 1 else None

    def _justice_team(self, place: Place, towns: Sequence[str]) -> Optional[Service]:
        """The area's justice social work team with a phone, the office in the town named first."""
        teams = [
            x
            for x in self.content.local_services(None, None, place.area, limit=30)
            if x.phone and JUSTICE_SOCIAL_WORK.search(x.name) and not PRISON_NAME.search(x.name.lower())
        ]
        teams.sort(key=lambda x: (0 if _in_towns(x, towns) else 1, bool(SPECIALIST_TEAM.search(x.name))))
        return teams[0] if teams else None

    def _local_teams_line(self, place: Place, audience: str) -> str:
        """Each council area's justice social work number, when the town is not known yet."""
        teams = []
        for area_id in self._partnership(place.partnership).council_areas:
            area = self.content.council_area(area_id)
            found = [
                x
                for x in self.content.services
                if area_id in x.areas and x.phone and JUSTICE_SOCIAL_WORK.search(x.name)
            ]
            # the team for this audience; the general (fieldwork, throughcare) team before specialist ones
            found.sort(key=lambda x: (audience not in x.audiences, bool(SPECIALIST_TEAM.search(x.name))))
            if area and found:
                teams.append(f"{area.name} {found[0].phone}")
        return self.wording.text("utter_local_teams_line", teams="; ".join(teams)) if teams else ""

    def _audience_home(self, audience: Optional[str]) -> Optional[Service]:
        """The service an audience's general route leads with (for families, Families Outside)."""
        if audience != "family":
            return None
        route = self.content.route_for(audience, None)
        return self.content.service(route.lead[0]) if route and route.lead else None

    def _warm(self, audience: Optional[str], signals) -> str:
        someone_else = bool(signals and signals.about_someone_else and not signals.self_reference)
        name = f"utter_warm_{audience or 'general'}" + ("_other" if someone_else else "")
        if not self.wording.has(name):
            name = f"utter_warm_{audience or 'general'}"
        return self.wording.text(name) if self.wording.has(name) else ""

    def _ask(self, memory: Memory, response: str, crisis_line: bool = False) -> Reply:
        """The one question, with a number already in it so nobody has to answer to get help."""
        text = self.wording.text(response)
        meanwhile = self._meanwhile() if crisis_line else None
        if meanwhile:
            text += " " + meanwhile
        return Reply([Message(text, self.wording.buttons(response))], memory)

    def _pending_answer(self, turn: Turn, memory: Memory, place: Place, now: Optional[dt.datetime]) -> Reply:
        """The answer to the one question: used if it can be, else the best general route: never asked again."""
        s, question = turn.signals, memory.pending
        memory = memory.but(pending=None)
        audience = (
            s.audience
            or INTENT_AUDIENCE.get(turn.intent or "")
            or (memory.audience if question != "audience" else None)
        )
        need = s.need or (memory.need if question != "need" else None)
        prison = s.prisons[0] if s.prisons else None
        if question == "area" and not place.area:
            lead_in = self.wording.text("utter_unknown_place")
            return self._route(audience, need, memory, place, now, turn, prison=prison, lead_in=lead_in)
        return self._route(audience, need, memory, place, now, turn, prison=prison)

    def _starts_something_new(self, turn: Turn) -> bool:
        """A clear question of its own, not an answer to the question asked."""
        intent = turn.intent or ""
        if intent in TOPIC_INTENTS or intent in (
            "ask_partners",
            "ask_contact",
            "ask_for_human",
            "ask_meaning",
            "what_can_you_do",
        ):
            return turn.confidence >= 0.6
        return intent in ("greet", "goodbye", "thank")

    def _place_follow_up(self, turn: Turn, memory: Memory, place: Place, now: Optional[dt.datetime]) -> Reply:
        """'And in Dumfries?': the last answer again, for the place named (and its prison)."""
        topic = self.content.answer(memory.topic or "")
        if memory.audience or memory.need or not topic:
            prison = None
            named_prison = self.content.prison(turn.signals.prisons[0]) if turn.signals.prisons else None
            if named_prison and named_prison.council_area:  # "sorry I meant Dumfries jail, no Kilmarnock"
                area = self.content.council_area(named_prison.council_area)
                if area:
                    place = Place(area.partnership, area.id)
                    memory = memory.but(council_area=area.id, partnership=area.partnership)
                prison = named_prison.id
            elif memory.prison:
                prison = getattr(self.content.prison_in_area(place.area), "id", None)
            memory = memory.but(prison=prison)
            return self._route(memory.audience, memory.need, memory, place, now, turn, prison=prison)
        partnership_answer = getattr(topic, "topic", None)
        if partnership_answer:
            answer = self.content.partnership_answer(place.partnership, partnership_answer)
            if answer:
                return self._answer_reply(answer, memory)
        return self._route(None, None, memory, place, now, turn)

    def _correction(self, turn: Turn, memory: Memory, place: Place, now: Optional[dt.datetime]) -> Reply:
        s = turn.signals
        audience: Optional[str]
        if s.audience and not (s.self_reference and s.audience == "family"):
            audience = s.audience
        elif s.self_reference:
            audience = self._own_audience(memory)
        else:
            audience = memory.audience  # "not my son, my nephew": the same kind of help
        need = s.need or memory.need
        return self._route(audience, need, memory, place, now, turn)

    @staticmethod
    def _own_audience(memory: Memory) -> str:
        """'No, it's for me': the person is the one the family answer was about."""
        if memory.audience == "family":
            return "leaving_prison" if memory.about_release else "convicted"
        return memory.audience or "convicted"

    # ------------------------------------------------------------------ follow-ups on what was said
    def _service_detail(
        self, turn: Turn, memory: Memory, place: Place, now: Optional[dt.datetime], kind: Optional[str] = None
    ) -> Reply:
        kind = kind or turn.signals.follow_up or ("web" if "email" in turn.signals.text else "phone")
        service = self.content.service(memory.service)
        if service is None:
            contact = self.content.crisis_contact(memory.service or "")
            if contact:
                messages = [Message(rendering.crisis_contact_detail(contact, kind, now))]
                return Reply(messages + self._when_shut(kind, contact.opening), memory, [contact.id])
            return self._contact("ask_contact", memory, place, now)
        inside = next(  # a team that works inside a prison (not a national service it lists)
            (p for p in self.content.prisons if service.id in p.services and "national" not in service.areas),
            None,
        )
        text = rendering.service_detail(service, kind, now, inside)
        if not service.phone and place.area and set(service.audiences) & {"convicted", "leaving_prison"}:
            team = self._justice_team(place, turn.signals.towns or ([memory.town] if memory.town else []))
            if team:  # "where do I go for my unpaid work?": a number, not only a website
                text += " " + rendering.service_short(team)
        messages = [Message(text, links=rendering.service_links([service]))]
        if memory.audience:  # "are they open at night?" while getting help: who is, when they are not
            messages += self._when_shut(kind, service.opening)
        return Reply(messages, memory, [service.id])

    def _when_shut(self, kind: str, opening: List[str]) -> List[Message]:
        """Asked about the hours of a line that is not always open: the 999 and Samaritans line too."""
        if kind != "hours" or rendering.always_open(opening):
            return []
        meanwhile = self._meanwhile()
        return [Message(meanwhile)] if meanwhile else []

    def _more(self, memory: Memory, place: Place, now: Optional[dt.datetime]) -> Reply:
        following = self.content.answer(memory.more or "")
        if following:
            reply = self._answer_reply(following, memory.but(more=None))
            reply.memory = reply.memory.but(service=memory.service)
            return reply
        service = self.content.service(memory.service)
        answer = self.content.answer(memory.topic or "")
        if answer and answer.detail and (not service or memory.topic):
            return Reply(
                [Message(rendering.detail_text(answer), links=rendering.answer_links(answer))],
                memory,
                [answer.id],
            )
        if service:
            return Reply(
                [Message(rendering.service_text(service), links=rendering.service_links([service]))],
                memory,
                [service.id],
            )
        return Reply([self._response("utter_what_can_you_do")], memory)

    # ------------------------------------------------------------------ information
    def _topic(
        self,
        turn: Turn,
        intent: str,
        memory: Memory,
        place: Place,
        now: Optional[dt.datetime],
        answer: Optional[Answer] = None,
    ) -> Reply:
        answer = answer or self._topic_answer(intent, place.partnership)
        if answer is None:
            return Reply([self._response("utter_default")], memory)
        asked_again = memory.topic == answer.id  # the same answer twice in a row helps nobody: its detail
        reply = self._answer_reply(
            answer,
            memory,
            specific=asked_again
            or bool(SPECIFIC_QUESTION.search(turn.signals.text))
            or _asks_for_detail(turn.signals.text, answer),
        )
        s = turn.signals
        named = self.content.services_named(
            turn.text, place.area, s.prisons[0] if s.prisons else None, limit=1
        )
        if named and not (s.audience and s.help_seeking):
            reply.messages.append(
                Message(rendering.service_short(named[0]), links=rendering.service_links(named))
            )
            reply.memory = reply.memory.but(service=named[0].id)
        if s.audience and not s.help_seeking:
            reply.memory = reply.memory.but(audience=s.audience, need=s.need or reply.memory.need)
            home = self._audience_home(s.audience)
            if home and home.phone and home.id not in reply.entry_ids and home.phone not in text_of(reply):
                # "ma boy got lifted and naebdy will tell us": how custody works, and who helps families
                reply.messages.append(
                    Message(rendering.service_short(home), links=rendering.service_links([home]))
                )
                reply.entry_ids.append(home.id)
                if not reply.memory.service:
                    reply.memory = reply.memory.but(service=home.id)
        if s.audience and s.audience in AUDIENCES and s.help_seeking:
            route = self._route(
                s.audience,
                s.need,
                reply.memory.but(topic=answer.id),
                place,
                now,
                turn,
                prison=s.prisons[0] if s.prisons else None,
            )
            reply.messages += route.messages
            reply.memory = route.memory.but(topic=answer.id)
            reply.entry_ids += route.entry_ids
        return reply

    def _topic_answer(self, intent: str, partnership_id: str) -> Optional[Answer]:
        if intent not in TOPIC_INTENTS:
            return self.content.answer(intent)  # a content answer asked for by the rules (bot/understanding)
        partnership_topic, general_id = TOPIC_INTENTS[intent]
        if partnership_topic:
            answer = self.content.partnership_answer(partnership_id, partnership_topic)
            if answer:
                return answer
        return self.content.answer(general_id)

    def _answer_reply(self, answer: Answer, memory: Memory, specific: bool = False) -> Reply:
        """A content answer; its detail too when the question is a specific one ("how long until...")."""
        with_detail = specific and bool(answer.detail)
        buttons = self.wording.buttons("utter_button_more") if answer.detail and not with_detail else []
        message = Message(
            rendering.answer_text(answer, with_detail=with_detail), buttons, rendering.answer_links(answer)
        )
        mentioned = self.content.services_named(answer.answer, limit=1)  # "how do I phone them?" next
        said = answer.answer.lower().replace(" ", "")
        service = (  # only a service the answer really names, by name or number ("a lawyer" is not SLAB)
            mentioned[0].id
            if mentioned
            and mentioned[0].phone
            and (
                mentioned[0].name.lower().replace(" ", "") in said
                or mentioned[0].phone.replace(" ", "") in said
            )
            else None
        )
        if service is None:  # the number the answer's own links offer ("Call for help paying online on ...")
            dialled = {re.sub(r"\D", "", link.url) for link in answer.links if link.url.startswith("tel:")}
            service = next(
                (x.id for x in self.content.services if x.phone and re.sub(r"\D", "", x.phone) in dialled),
                None,
            )
        return Reply([message], memory.but(topic=answer.id, service=service, more=None), [answer.id])

    def _meaning(self, turn: Turn, memory: Memory, place: Place, now: Optional[dt.datetime]) -> Reply:
        terms = [t for t in map(self.content.term, turn.signals.terms) if t is not None]
        if not terms:
            for name, _ in turn.ranking:
                if name in TOPIC_INTENTS:
                    return self._topic(turn, name, memory, place, now)
            return Reply([self._response("utter_unknown_term")], memory)
        messages = [Message(rendering.term_text(t)) for t in terms[:2]]
        more = self.content.answer(terms[0].more or "")
        memory = memory.but(topic=more.id if more else memory.topic, service=None)
        if more and more.detail:
            messages[-1].buttons = self.wording.buttons("utter_button_more")
        return Reply(messages, memory, [t.id for t in terms[:2]])

    def _partners(self, memory: Memory, place: Place) -> Reply:
        content = self.content
        partnership = self._partnership(place.partnership)
        text = rendering.partners_text(
            content.statutory_partners, content.local_partners_for(partnership.id), partnership
        )
        return Reply([Message(text)], memory, [partnership.id])

    def _contact(
        self, intent: str, memory: Memory, place: Place, now: Optional[dt.datetime], towns: Sequence[str] = ()
    ) -> Reply:
        partnership = self._partnership(place.partnership)
        messages = []
        if intent == "ask_for_human":
            messages.append(self._response("utter_no_live_handoff"))
        messages.append(
            Message(
                rendering.contact_text(partnership),
                links=[{"label": f"{partnership.name} website", "url": partnership.contact.web}],
            )
        )
        # "is there someone in Stranraer I can speak to": the council's office in that town
        in_town = [
            x
            for x in self.content.local_services(None, None, place.area, limit=20)
            if towns and x.phone and JUSTICE_SOCIAL_WORK.search(x.name) and _in_towns(x, towns)
        ][:1]
        if in_town:
            messages.append(
                Message(
                    rendering.service_short(in_town[0], self._area_name(in_town[0])),
                    links=rendering.service_links(in_town),
                )
            )
        meanwhile = self._meanwhile()
        if meanwhile:
            messages.append(Message(meanwhile))
        return Reply(messages, memory.but(service=None), [partnership.id])

    # ------------------------------------------------------------------ not understood
    def _did_you_mean(self, turn: Turn, memory: Memory, place: Place) -> Reply:
        buttons = []
        for name, _ in turn.ranking:
            title = self._intent_title(name, place.partnership)
            if title and name not in NOT_SUGGESTED:
                buttons.append({"title": title, "payload": f"/{name}"})
            if len(buttons) == 2:
                break
        if not buttons:
            return Reply([self._response("utter_default")], memory)
        buttons += self.wording.buttons("utter_button_something_else")
        return Reply([Message(self.wording.text("utter_did_you_mean"), buttons)], memory)

    def _intent_title(self, intent: str, partnership_id: str) -> Optional[str]:
        if intent in INTENT_TITLES:
            return INTENT_TITLES[intent]
        if intent in TOPIC_INTENTS:
            answer = self._topic_answer(intent, partnership_id)
            return answer.title if answer else None
        return None

    def _worry_line(self, prison: Prison) -> Optional[Service]:
        """The prison's own line for a family's worries (the Family Contact Officer, the prison's
        social work team), not its visits booking line or a national helpline it lists."""
        own = [x for x in self.content.own_lines(prison) if "visit" not in x.id]
        own.sort(key=lambda x: 0 if "emotional_support" in x.needs else 1)
        return own[0] if own else None

    def _visits_line(self, prison: Prison) -> Optional[Service]:
        """The prison's own line for visits (HMP Dumfries visits, HMP Kilmarnock Visitors Centre)."""
        return next((x for x in self.content.own_lines(prison) if "visit" in x.id), None)

    def _meanwhile(self) -> Optional[str]:
        """'If anyone is in danger now, call 999. To talk to someone any time, call Samaritans ...'"""
        samaritans = self.content.crisis_contact("samaritans")
        emergency = self.content.crisis_contact("emergency_999")
        if not (samaritans and emergency):
            return None
        return self.wording.text(
            "utter_meanwhile_line",
            emergency=emergency.phone,
            samaritans=samaritans.phone,
            samaritans_name=samaritans.name,
        )

    def _partnership(self, partnership_id: Optional[str]) -> Partnership:
        """A partnership that exists: the one named, else the default one."""
        found = self.content.partnership(partnership_id) or self.content.partnership(self.default_partnership)
        if found is None:
            raise LookupError(
                f"no partnership '{partnership_id}' and no default one in content/partnerships.yml"
            )
        return found

    def _response(self, name: str) -> Message:
        return Message(self.wording.text(name), self.wording.buttons(name), response=name)


TOPIC_ALSO_CONFIDENCE = 0.15
HARMED_BY_THEM = re.compile(
    r"\b(?:hitting|hit|battering|battered|beating|beat|hurting|hurt|assaulting|attacked|abusing|abused|strangled|choked)\s+me\b"
)
# A question, at the start or after a comma ("got a fine at Ayr, whats going to happen")
_WH_QUESTION = re.compile(
    r"(?:^|[,;.!]\s*|\band\s+|\bbut\s+)(?:when|how|what|whats|what's|where|wheres|will|can|does|do|is|are|who|why)\b"
)
_NUMBER_REQUEST = re.compile(
    r"\b(?:number|number for|contact (?:details|number)|email address|their address"
    r"|how (?:do|can) (?:i|we) (?:contact|phone|call|ring|reach|get in touch with|get hold of)|who (?:deals with|do i (?:phone|call|contact)))\b"
)
# What a message asks about within a need, the service that answers it best (named first), and for
# whom (None: anyone).
SUB_TOPICS: Tuple[Tuple[Pattern[str], Pattern[str], Optional[Tuple[Optional[str], ...]]], ...] = (
    (
        re.compile(
            r"\b(?:fares?|travel|bus|buses|train|taxis?|cabs?|petrol|diesel|fuel|mileage|round trip"
            r"|cost(?:s)? (?:of|to) (?:visit|get)|afford to visit"
            r"|no car|(?:getting|get|got) (?:up|down|over) there)\b"
        ),
        re.compile(r"cost of prison visits", re.I),
        None,
    ),
    (
        re.compile(
            r"\b(?:play|toys|kids|children|weans)\b.{0,40}\b(?:prison|inside|visit)\b"
            r"|\bplay (?:sessions?|stuff|area|things?|room)\b|\b(?:kids|children|weans)\b.{0,30}\bplay\b"
        ),
        re.compile(r"play sessions", re.I),
        None,
    ),
    (  # meeting the person who did it: restorative justice
        re.compile(
            r"\brestorative\b|\b(?:meet|face|talk to|speak to|sit down with)\s+(?:the|that|him|her|them)\b.{0,40}"
            r"\b(?:who|that)\s+(?:burgled|broke|robbed|attacked|assaulted|hurt|stole|mugged|vandalised)\b"
        ),
        re.compile(r"restorative justice", re.I),
        None,
    ),
    (  # abuse by a partner or ex that is not an emergency now ("is that abuse?"): the helpline first
        re.compile(
            r"\b(?:domestic abuse|domestic violence|coercive control|controlling (?:me|behaviour|relationship))\b"
            r"|\b(?:my|an?)\s+(?:ex|partner|boyfriend|girlfriend|husband|wife|bf|gf|man|fella)\b.{0,40}"
            r"\b(?:keeps|kept|won't stop|wont stop|always)\s+(?:turning up|showing up|following|checking|texting|"
            r"phoning|calling|taking my phone|watching|tracking)\b"
            r"|\b(?:checks?|checking|goes through|taking|takes)\s+my phone\b|\bis (?:that|this|it) abuse\b"
        ),
        re.compile(r"domestic abuse", re.I),
        ("victim_witness", None),
    ),
    (  # telling someone without giving a name: Crimestoppers first
        re.compile(
            r"\b(?:anonymous(?:ly)?|without (?:giving|leaving|saying) (?:my|a|your) name|(?:won't|wont|don't|dont) "
            r"(?:know|find out) (?:it was|it's|its) me"
            r"|(?:finding out|find out|know|knowing) (?:it was|it's|its|that it was) me)\b"
        ),
        re.compile(r"crimestoppers", re.I),
        None,
    ),
    (  # sexual violence that is not a crisis now (long ago, going to trial): the specialist line first
        re.compile(
            r"\b(?:sexual(?:ly)? (?:assault|assaulted|abuse|abused|violence|attack|attacked)|rape|raped|molested)\b"
        ),
        re.compile(r"rape crisis", re.I),
        ("victim_witness",),
    ),
    (  # "someone to meet me at the gate": mentoring from before release
        re.compile(
            r"\b(?:meet (?:me|him|her|them) at the (?:gate|gates)|at the gates?|a mentor|mentors?|mentoring)\b"
        ),
        re.compile(r"new routes|mentoring", re.I),
        ("leaving_prison", "convicted", "family", None),
    ),
    (  # "120 hours community service": the local unpaid work team
        re.compile(r"\b(?:unpaid work|community service|community payback)\b"),
        re.compile(r"unpaid work|community payback|community sentences", re.I),
        ("convicted", "leaving_prison", None),
    ),
)
KEEPING_IN_TOUCH = re.compile(
    r"\b(?:email|e mail|letters?|write|writing|phone calls?|calls?|voicemail|video|virtual|money|parcel|photos?|in touch)\b"
    r"|\b(?:phone|ring|call|text|speak to|talk to)\s+(?:him|her|them|me|my)\b"
)


PRISON_NAME = re.compile(r"\bhmp(?:\s*(?:&|and)\s*yoi)?\s+\w+")


def _in_towns(service: Service, towns: Sequence[str]) -> bool:
    """The service's name or address names one of the towns ('Ashwood House, Stranraer'); a prison's
    name does not count ('at HMP Dumfries' is not an office in Dumfries)."""
    where = PRISON_NAME.sub("", f"{service.name} {service.address or ''} {' '.join(service.offices)}".lower())
    return any(t in where for t in towns)


def _at_office(service: Service, towns: Sequence[str]) -> Service:
    """A service with offices in several towns, with the phone of the office in the town named."""
    for town, phone in service.offices.items():
        if town.lower() in towns:
            return service.copy(update={"phone": phone, "phone_note": f"{town} office"})
    return service


SPECIALIST_TEAM = re.compile(r"unpaid work|dtto|court|prison-based", re.I)
JUSTICE_SOCIAL_WORK = re.compile(
    r"justice (?:social work|services)|social work|social services|throughcare", re.I
)
SPECIFIC_QUESTION = re.compile(
    r"\b(?:how long|when|how many|how much|what age|how old|how far|until|still|yet|list|which ones|what are (?:the|its|their|your))\b"
    r"|\b\d+\s*(?:years?|months?|weeks?|hours?)\b"
)
TONIGHT = re.compile(
    r"\b(?:tonight|the ni(?:ght|cht)|at ni(?:ght|cht)|overnight|this evening|(?:friday|saturday|sunday) night|"
    r"weekends?|(?:on a|this|on) (?:saturday|sunday)|out of hours|after hours|"
    r"(?:office|place|they)(?:'s|s| is| are| was)? (?:shut|closed)|"
    r"(?:till|until|no till|not till|not until) after (?:[5-9]|1[0-2])|(?:gets?|getting|let) (?:\w+ )?out late)\b"
)
TOPIC_FOLLOW_UP = re.compile(
    r"\b(?:how long|how much|how often|how many|what happens (?:if|when|after)|whit happens|what if|"
    r"can (?:i|he|she|they) (?:still|also)|do (?:i|we|they) have to|does (?:it|that) (?:mean|include|cost))\b"
)
ABOUT_THE_PARTNERSHIP = re.compile(r"\b(?:partnership|community justice|cja|the team|you|yous|your)\b")
READ_IT = re.compile(
    r"\bwhere (?:can|do|could) (?:i|we|you) (?:read|find|see|get|look at|download)\b|\b(?:a )?link (?:to|for) (?:it|that|the report)\b"
    r"|\b(?:the )?(?:latest|last|newest) (?:one|report|return|plan)\b"
)
TELL_THEM = re.compile(
    r"\b(?:have to|need to|should i|must i|do i|got to) (?:tell|say to|let (?:them|him|her) know)\b"
    r"(?: (?:them|him|her|my (?:new )?(?:boss|employer|work)|employers?|the job))?"
)
ACROSS_SCOTLAND = re.compile(
    r"\b(?:(?:the )?whole of scotland|all of scotland|across scotland|for scotland|nationally|national (?:figure|rate|average))\b"
)
CLAIM = re.compile(r"\b(?:claim|claims|claiming|apply|applying|application)\b")
WALK_IN = re.compile(r"\b(?:walk|drop)[ -]?in\b|\bturn up\b|\bwithout an appointment\b")
WHAT_IF = re.compile(r"\bwhat (?:if|about|happens if|do i do if)\b|\band if\b")
DONT_KNOW = re.compile(r"\b(?:don'?t|dont|do not|dinnae|not sure|no idea)\s+(?:know|ken|understand)\b")
IN_TOUCH_WITH_THEM = re.compile(
    r"\b(?:email|e-mail|e mail|write to|send|video call|phone|call|ring|text)\s+(?:him|her)\b"  # not 'them': a service
    r"|\b(?:letters? to (?:him|her)|email a prisoner|prison voicemail|video visits?)\b"
    r"|\b(?:put|get|be put|got) through to (?:him|her)\b"  # "phone the jail and get put through to him"
)
VISIT_BRING = re.compile(
    r"\bwhat (?:do|should|can|will|must) (?:i|we) (?:need to |have to |got to )?(?:take|bring)\b"
    r"|\b(?:take|bring|need)\b.{0,20}\b(?:id|i\.d|identification|passport|proof of address)\b"
    r"|\bwhat id\b|\bdress code\b|\bwhat (?:to|should i|can i) wear\b"
)
FEMALE_RELATIVE = re.compile(
    r"\b(?:my|our|ma)\s+(?:\w+\s+)?(?:daughter|wife|sister|mum|mother|mam|maw|girlfriend|gf|auntie|aunt|niece|"
    r"granddaughter|gran|granny|grandmother|stepdaughter|stepmum|lassie|missus|fiancee)\b"
)
AFTER_THE_DANGER = re.compile(
    r"\b(?:police|polis|cops|officers?)\b.{0,15}\b(?:are here|is here|here now|came|have come|arrived|took him|"
    r"have (?:him|her|taken)|arrested)\b|\bwhat (?:do i do|should i do|happens) (?:after this|now|next)\b|"
    r"\bafter (?:this|tonight)\b.{0,20}\b(?:help|support|do)\b"
)
ONE_IN_TOWN = re.compile(
    r"\b(?:one|any|anything|anyone|anybody|somebody|someone|somewhere|an office|a place|a team)\b.{0,20}"
    r"\b(?:in|near|at|roond|round|around)\b"
)
CLAIM_WORDS = {
    "apply",
    "claim",
    "thing",
    "what",
    "with",
    "that",
    "this",
    "have",
    "does",
    "them",
    "they",
    "where",
}
SERVICE_QUESTION = re.compile(
    r"\bhow (?:much|long|many|often)\b|\bwho (?:can|gets|is it for)\b|\bam i (?:allowed|entitled|eligible)\b|"
    r"\b(?:do|would|will) (?:i|we|they|he|she) (?:qualify|get anything)\b|\bwhat (?:do|does|will) (?:it|they) "
    r"(?:pay|give|cover)\b"
)
ASKS_PRISON_NUMBER = re.compile(  # "is there a number for the prison itself"
    r"\b(?:number|phone number|contact number|contact details|phone no)\b.{0,15}\b(?:for|of|at) "
    r"(?:the )?(?:prison|jail|hmp \w+)\b(?! number)"  # not "his prison number" (the person's own)
    r"|\b(?:phone|call|ring|contact) (?:the )?(?:prison|jail)\b(?! service| and ask| to (?:ask|find out|check))"
)
KIDS = re.compile(r"\b(?:kids?|children|child|weans?|toddlers?|bairns?|babies|baby|little ones)\b")
BOOK_VISIT = re.compile(r"\bbook(?:ing|ed)?\b.{0,25}\b(?:visits?|it|one|in)\b|\bvisits?\b.{0,25}\bbook")
NOT_BY_PHONE = re.compile(
    r"\b(?:don'?t|dont|do not|dinnae|cant|can'?t|cannae|cannot|not|never)\s+(?:want|wanna|face|manage|bear|do|be|"
    r"feel like|talk|speak|phone|call|ring)\b.{0,30}\b(?:phone|call|calls|ring|on the phone)\b|"
    r"\b(?:cant|can'?t|cannae|cannot)\s+(?:talk|speak)\b(?!\s+to\b)|"
    r"\b(?:no|nae|won'?t|wont|will not|willnae|winnae)\s+(?:be\s+)?(?:phone|phoning|call|calling|ring|ringing)\b"
    r"(?!\s*(?:number|no\b|nos?\b|line))|"
    r"\b(?:text|texting|email|e-mail|webchat|web chat|chat online|online chat|message them|write to)\b"
)
OUT_OF_HOURS = re.compile(r"out.of.hours|standby|24.hour|emergency helpline|night", re.I)


def _asks_for_detail(text: str, answer: Answer) -> bool:
    """The message asks about something only the answer's detail covers ("is childcare provided?")."""
    if not answer.detail:
        return False
    if _asks_about_children(text, answer):
        return True
    said, more = answer.answer.lower(), answer.detail.lower()
    # names in the detail (Dumfries, Sheriff Court, Ayrshire) are where, not what, a message asks about
    names = {w.lower() for w in re.findall(r"\b[A-Z][a-z]{6,}", answer.detail)}
    return any(
        w in more and w[:6] not in said and w not in names for w in re.findall(r"[a-z]{7,}", text.lower())
    )


def _asks_about_children(text: str, answer: Answer) -> bool:
    """The message mentions children and only the answer's detail does ("I've got 2 kids": courts
    have no childcare)."""
    if not answer.detail or not KIDS.search(text):
        return False
    return "child" in answer.detail.lower() and "child" not in answer.answer.lower()


def _first_line(contacts: Sequence[CrisisContact]) -> Optional[str]:
    """The first contact after 999: what a crisis reply is remembered by."""
    return next((c.id for c in contacts if c.id != "emergency_999"), None)


def _sub_topic(text: str) -> bool:
    return any(wanted.search(text) for wanted, _, _ in SUB_TOPICS)


def text_of(reply: Reply) -> str:
    return " ".join(m.text for m in reply.messages)


def _answers_now(service: Service, now: dt.datetime) -> bool:
    """Open now: from its hours when content has them; an out-of-hours line outside office hours;
    any other local office during them."""
    if service.opening:
        return is_open(service.opening, now)
    office_hours = is_open(["Mon-Fri 09:00-17:00"], now)
    return (
        not office_hours if OUT_OF_HOURS.search(f"{service.name} {service.summary or ''}") else office_hours
    )


def _asks_for_a_number(text: str) -> bool:
    return bool(_NUMBER_REQUEST.search(text))


def _kind_of(intent: Optional[str]) -> Optional[str]:
    if intent and intent.startswith("crisis_") and intent[len("crisis_") :] in CRISIS_KINDS:
        return intent[len("crisis_") :]
    return None
