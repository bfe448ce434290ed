"""The reply planner (bot/conversation/planner.py): answer first, at most one question, follow-ups and
corrections from memory. Behaviour a person would notice, with a fixed clock."""

import datetime as dt
from typing import Optional

import pytest

from bot.content import load_content
from bot.content.opening import UK
from bot.conversation.planner import Planner, Reply
from bot.conversation.turn import Memory, Turn
from bot.conversation.wording import domain_wording
from bot.understanding.signals import read

CONTENT = load_content()
WEEKDAY_MORNING = dt.datetime(2026, 12, 1, 10, 0, tzinfo=UK)  # a Tuesday
SUNDAY_NIGHT = dt.datetime(2026, 12, 6, 23, 0, tzinfo=UK)
FIRST_REPLY_WORDS = 90  # about 60 words plus the names of services; a phone screen without scrolling


class Conversation:
    def __init__(self, page: Optional[str] = None, now: dt.datetime = WEEKDAY_MORNING):
        self.planner = Planner(CONTENT, domain_wording(), "ayrshire")
        self.memory, self.page, self.now = Memory(), page, now

    def say(self, text: str, intent: str, confidence: float = 0.9) -> Reply:
        signals = read(text, CONTENT)
        turn = Turn(
            text,
            intent,
            confidence,
            [(intent, confidence)],
            signals,
            self.memory,
            places=signals.council_areas,
            partnerships=signals.partnerships,
            page_partnership=self.page,
            crisis_kinds=signals.crisis,
        )
        reply = (
            self.planner.crisis(turn, self.now)
            if intent.startswith("crisis_")
            else self.planner.reply(turn, self.now)
        )
        self.memory = reply.memory
        return reply


def text(reply: Reply) -> str:
    return "\n".join(m.text for m in reply.messages)


def words(reply: Reply) -> int:
    return len(reply.messages[0].text.split())


def phone(service_id: str) -> str:
    return CONTENT.service(service_id).phone


def asks_a_question(reply: Reply) -> bool:
    return any(m.text.rstrip().endswith("?") or "Who is it for?" in m.text for m in reply.messages)


@pytest.mark.parametrize(
    "message, intent, service",
    [
        (
            "my daughter has just been jailed, who can help the family",
            "request_support_family",
            "families_outside",
        ),
        ("I was burgled and I'm struggling", "request_support_victim", "victim_support_scotland"),
        (
            "just out of prison and nowhere to sleep tonight",
            "request_support_release",
            "shelter_scotland_helpline",
        ),
        (
            "will my conviction show up when I apply for jobs",
            "request_support_convicted",
            "disclosure_scotland",
        ),
    ],
)
def test_the_first_reply_names_the_route_with_its_number_and_asks_nothing(message, intent, service):
    reply = Conversation().say(message, intent)
    assert phone(service) in text(reply)
    assert not asks_a_question(reply)
    assert words(reply) <= FIRST_REPLY_WORDS


def test_a_bare_request_gets_one_question_with_numbers_in_it_and_is_never_asked_again():
    chat = Conversation()
    first = chat.say("I need help", "request_support")
    assert "116 123" in text(first) and "999" in text(first)
    second = chat.say("dunno really", "nlu_fallback")
    assert not asks_a_question(second)
    assert any(ch.isdigit() for ch in text(second))


def test_an_answer_in_words_to_the_question_is_used():
    chat = Conversation()
    chat.say("can you help", "request_support")
    assert phone("families_outside") in text(chat.say("its my brother, he's on remand", "nlu_fallback"))


def test_a_named_prison_is_used_not_asked_for():
    reply = Conversation().say("how do I visit my partner in HMP Dumfries", "request_support_family")
    assert phone("hmp_dumfries_visits") in text(reply)
    assert "which town" not in text(reply).lower()


def test_follow_ups_answer_from_the_last_service():
    chat = Conversation()
    chat.say("who supports prisoners' families", "request_support_family")
    assert phone("families_outside") in text(chat.say("how do I phone them?", "ask_service_detail"))
    hours = text(chat.say("are they open at weekends?", "ask_service_detail"))
    assert "Monday to Friday" in hours


def test_and_in_dumfries_gives_the_same_kind_of_help_there():
    chat = Conversation()
    chat.say("my son is in prison", "request_support_family")
    reply = chat.say("and in Dumfries?", "inform")
    assert chat.memory.council_area == "dumfries_and_galloway"
    assert phone("families_outside") in text(reply)


def test_a_correction_re_routes_without_starting_over():
    chat = Conversation()
    chat.say("my son got lifted last night", "request_support_family")
    reply = chat.say("no wait, he was the one who got attacked", "correct_audience")
    assert phone("victim_support_scotland") in text(reply)
    chat = Conversation()
    chat.say("my brother gets out next week and has nowhere to go", "request_support_family")
    assert chat.say("no, it's for me", "correct_audience").memory.audience == "leaving_prison"


def test_distress_in_the_middle_of_a_question_gets_the_crisis_route():
    chat = Conversation()
    chat.say("I need help", "request_support")
    reply = chat.say("I can't go on, I want to end it", "crisis_suicidal")
    assert CONTENT.crisis_contact("samaritans").phone in text(reply)
    assert reply.memory.pending is None


def test_suicidal_crisis_gives_samaritans_first_and_says_when_breathing_space_is_closed():
    reply = Conversation(now=WEEKDAY_MORNING).say("I want to die", "crisis_suicidal")
    lines = text(reply)
    assert lines.index("116 123") < lines.index("999")
    assert "Closed now" in lines.split("Breathing Space")[1].split("•")[0]


def test_the_page_partnership_answers_about_the_partnership_unless_a_place_is_named():
    dg = Conversation(page="dumfries_galloway")
    assert "Dumfries and Galloway" in text(dg.say("how do I contact the partnership", "ask_contact"))
    assert "Ayrshire" in text(dg.say("what about in Kilmarnock", "ask_contact"))


def test_a_closed_helpline_comes_with_one_that_is_open():
    reply = Conversation(now=SUNDAY_NIGHT).say(
        "my dad is in prison and I'm not coping", "request_support_family"
    )
    assert "116 123" in text(reply)


def test_a_meaning_question_is_answered_from_the_glossary():
    reply = Conversation().say("what does remand mean", "ask_meaning")
    term = CONTENT.term(CONTENT.term_id_named("remand"))
    assert term.meaning.split()[0] in text(reply)


def test_after_a_domestic_abuse_reply_a_town_brings_the_helpline_again_and_somewhere_to_stay():
    chat = Conversation(page="dumfries_galloway", now=SUNDAY_NIGHT)
    chat.say("my partner hit me again last night, i need to get out", "crisis_domestic_abuse")
    reply = chat.say("where would i even go, i stay in newton stewart", "nlu_fallback", 0.3)
    assert "0800 027 1234" in text(reply)
    assert "0303 333 3001" in text(reply)  # the council's out-of-hours homeless line, at night
    assert "Families Outside" not in text(reply)


def test_after_a_suicidal_crisis_not_wanting_to_phone_gets_other_ways_in():
    chat = Conversation()
    chat.say("i want to kill myself", "crisis_suicidal")
    reply = chat.say("i dont want to phone anyone", "ask_for_human", 0.6)
    assert "jo@samaritans.org" in text(reply)
    assert "Community Justice Ayrshire" not in text(reply)


def test_and_in_stranraer_names_the_stranraer_office():
    chat = Conversation(page="dumfries_galloway")
    chat.say("im on licence and just moved back to Dumfries, who do i report to?", "request_support_release")
    reply = chat.say("and in Stranraer?", "nlu_fallback", 0.3)
    assert "01776 888400" in text(reply)


def test_a_woman_sent_to_prison_is_said_to_be_held_at_the_womens_prison():
    reply = Conversation().say(
        "my daughter got sentenced at ayr today, who can help", "request_support_family"
    )
    assert "Stirling" in text(reply)
    assert "HMP Kilmarnock" not in text(reply)
    assert words(reply) <= FIRST_REPLY_WORDS


def test_someone_harmed_by_the_person_named_is_a_victim_not_a_family_member():
    reply = Conversation(page="dumfries_galloway").say(
        "guy who assaulted me got 9 months at dumfries. can i be told when he gets out", "request_support"
    )
    assert "0131 330 3664" in text(reply)  # the victim notification scheme
    assert "Families Outside" not in text(reply)


def test_what_to_bring_to_a_visit_comes_from_the_prison():
    chat = Conversation(page="dumfries_galloway")
    chat.say("how do i visit my son in dumfries prison", "request_support_family")
    reply = chat.say("what do i need to take wi me", "nlu_fallback", 0.3)
    assert "photo ID" in text(reply)


def test_what_if_the_office_is_shut_gives_the_out_of_hours_line():
    chat = Conversation(page="ayrshire")
    chat.say(
        "im due out next week, i used to stay in irvine but my mum wont have me back",
        "request_support_release",
    )
    reply = chat.say("what if i get out late and the office is shut", "ask_service_detail", 0.5)
    assert "0800 0196 500" in text(reply)  # North Ayrshire's homeless out-of-hours service


def test_a_walk_in_question_names_the_local_walk_in_service():
    chat = Conversation(page="dumfries_galloway")
    chat.say("worried ill go back on the gear when i get out of HMP dumfries", "request_support_release")
    assert "Shirley Road" in text(chat.say("is there anywhere i can just walk in", "nlu_fallback", 0.3))


def test_emailing_the_person_in_prison_is_answered_from_keeping_in_touch():
    chat = Conversation()
    chat.say(
        "can i phone my boyfriend in kilmarnock jail or does he have to phone me", "request_support_family"
    )
    assert "Email a Prisoner" in text(chat.say("can i email him instead", "ask_contact", 0.5))


def test_the_same_question_twice_gets_the_detail_not_the_same_answer():
    chat = Conversation()
    first = text(chat.say("who runs community justice nationally", "ask_national_picture"))
    second = text(chat.say("whats the national strategy about", "ask_national_picture"))
    assert second != first
    assert "diversion" in second


def test_a_service_with_offices_in_several_towns_gives_the_named_towns_number():
    chat = Conversation(page="dumfries_galloway")  # a weekday morning: the homeless offices are open
    chat.say("nowhere to stay, just got out, im in Dumfries", "request_support_release")
    reply = text(chat.say("and in Stranraer?", "nlu_fallback", 0.3))
    assert "01776 888312" in reply  # the Stranraer homeless office, not the Dumfries one
    assert "01387 260783" not in reply


def test_an_unclear_message_in_the_middle_of_getting_help_brings_the_numbers_again():
    chat = Conversation(page="dumfries_galloway")
    chat.say("bf in hmp dumfries wen r visits n how do i book 1", "request_support_family")
    reply = text(chat.say("n wat if im no on his list", "deny", 0.5))
    assert "01387 261218" in reply  # the HMP Dumfries visits line, not "anything else?"


def test_a_family_member_asking_how_custody_works_also_gets_the_families_helpline():
    reply = Conversation(page="ayrshire").say(
        "ma boy got lifted by the polis last nite in irvine an naebdy will tell us whits happenin",
        "ask_arrest_custody",
    )
    assert phone("families_outside") in text(reply)


def test_the_prisons_own_number_is_given_when_asked_for():
    chat = Conversation(page="ayrshire")
    chat.say("my partner is in hmp kilmarnock and i dont know when hes getting out", "request_support_family")
    reply = text(chat.say("is there a number for the prison itself", "ask_service_detail", 0.5))
    assert "01563 548 872" in reply or "01563 548 868" in reply
    assert phone("families_outside") not in reply


def test_a_need_named_in_a_few_words_mid_conversation_is_help_not_a_topic():
    chat = Conversation(page="ayrshire")
    chat.say(
        "ma da is gettin oot next week and he's got nae money at aw, we're in girvan",
        "request_support_family",
    )
    reply = text(chat.say("whit about a hoose for him", "ask_prison_sentence", 0.5))
    assert phone("shelter_scotland_helpline") in reply


def test_how_do_i_claim_it_is_answered_by_the_service_that_takes_claims():
    chat = Conversation(page="ayrshire")
    chat.say(
        "MA MAW IS IN STIRLING PRISON AND I CANNAE AFFORD THE BUS UP FAE GIRVAN TAE SEE HER",
        "request_support_family",
    )
    reply = text(chat.say("HOW DO I CLAIM IT", "ask_service_detail", 0.5))
    assert phone("help_with_prison_visits") in reply


def test_other_ways_in_after_a_suicidal_crisis_are_only_that_crisis_lines():
    chat = Conversation()
    chat.say("i cant do this anymore, i just want to go to sleep and not wake up", "crisis_suicidal")
    reply = text(chat.say("i dont want to talk to anybody on the phone", "ask_for_human", 0.5))
    assert "jo@samaritans.org" in reply
    assert "Rape Crisis" not in reply and "Domestic Abuse" not in reply


def test_the_town_named_earlier_gives_its_own_office_later():
    chat = Conversation(page="dumfries_galloway")
    chat.say(
        "got out of HMP Dumfries yesterday, im back in stranraer, who can help me get sorted",
        "request_support_release",
    )
    reply = text(
        chat.say(
            "and somewhere to stay, im on my cousins couch and she wants me out", "request_support_release"
        )
    )
    assert "01776 888312" in reply  # the Stranraer homeless office


def test_naming_another_area_forgets_the_town():
    chat = Conversation(page="dumfries_galloway")
    chat.say("just out, im in stranraer", "request_support_release")
    chat.say("actually I'm staying in Kilmarnock now", "inform")
    reply = text(chat.say("I need somewhere to stay", "request_support_release"))
    assert "01776 888312" not in reply


def test_the_number_to_book_a_visit_after_help_with_the_fares_is_the_prisons():
    chat = Conversation(page="dumfries_galloway")
    chat.say("my son is in HMP Dumfries and the bus costs me a fortune, any help", "request_support_family")
    reply = text(chat.say("thanks. and whats the number to book the visit itself", "ask_service_detail"))
    assert "01387 261218" in reply


def test_asked_whether_a_service_is_open_at_night_the_always_open_line_comes_too():
    chat = Conversation(page="ayrshire")
    chat.say(
        "someone broke into my house in irvine last night, i feel sick walking in", "request_support_victim"
    )
    reply = text(chat.say("are they open at night", "ask_service_detail"))
    assert "0800 160 1985" in reply and "116 123" in reply


def test_scots_for_not_phoning_after_a_crisis_reply_gives_other_ways_in():
    chat = Conversation(page="dumfries_galloway")
    chat.say(
        "naebody cares. am sittin in the car doon by the river an a dinnae ken whit tae dae wi masel",
        "crisis_suicidal",
    )
    reply = text(chat.say("a'll no phone onybody", "nlu_fallback", 0.3))
    assert "jo@samaritans.org" in reply


def test_a_family_member_asking_where_he_will_go_and_to_visit_gets_the_prisons_visits_line():
    chat = Conversation(page="dumfries_galloway")
    reply = text(
        chat.say(
            "My partner was sentenced at Dumfries Sheriff Court today to 8 months. Where will he go and can I visit him?",
            "ask_prison_sentence",
        )
    )
    assert "0800 254 0088" in reply and "01387 261218" in reply


def test_getting_out_late_when_the_office_is_shut_gives_the_out_of_hours_line():
    chat = Conversation(page="ayrshire")
    chat.say(
        "my husband gets out of kilmarnock on thursday and hes got nowhere, we're in saltcoats",
        "request_support_family",
    )
    reply = text(chat.say("and what if he gets out late and the office is shut", "ask_release_throughcare"))
    assert "0800 0196 500" in reply  # North Ayrshire's homeless out-of-hours line


def test_a_crisis_about_someone_in_a_named_prison_also_gives_that_prisons_own_line():
    chat = Conversation(page="ayrshire")
    reply = text(
        chat.say(
            "my son just phoned me from kilmarnock jail and said he doesnt want to be here anymore, im terrified",
            "crisis_suicidal",
        )
    )
    assert reply.index("116 123") < reply.index("01563 548 872")  # Samaritans first, then the prison's line


def test_after_a_danger_reply_what_to_do_once_the_police_are_there_is_support_for_what_happened():
    chat = Conversation(page="dumfries_galloway")
    chat.say("hes outside banging the door screaming hes going to kill me. castle douglas", "crisis_danger")
    reply = text(chat.say("police are here now. what do i do after this", "nlu_fallback", 0.3))
    assert "0800 160 1985" in reply  # Victim Support Scotland


def test_is_there_one_in_a_town_mid_conversation_gives_that_towns_office():
    chat = Conversation(page="dumfries_galloway")
    chat.say(
        "I'm getting out of HMP Dumfries next Friday and I've got nowhere to go", "request_support_release"
    )
    reply = text(chat.say("is there one in stranraer, i might stay at my pals there", "ask_service_detail"))
    assert "01776 888312" in reply


def test_reporting_without_anybody_knowing_gives_crimestoppers():
    chat = Conversation(page="ayrshire")
    reply = text(
        chat.say(
            "i know whos been dealing outside the school in saltcoats but i dont want anybody knowing it was me",
            "nlu_fallback",
            0.3,
        )
    )
    assert "0800 555 111" in reply


def test_asking_to_be_put_through_to_him_explains_how_calls_from_prison_work():
    chat = Conversation(page="ayrshire")
    chat.say("how do i send money in to my brother, hes in the bar-l", "request_support_family")
    reply = text(chat.say("and can i just phone the jail and get put through to him", "ask_service_detail"))
    assert "approved" in reply  # he phones numbers the prison has approved


def test_its_not_for_me_its_for_my_mum_keeps_the_familys_help():
    chat = Conversation(page="ayrshire")
    chat.say(
        "need some help, my brother got jailed last week at kilmarnock sheriff court",
        "request_support_family",
    )
    reply = text(
        chat.say("its no really for me, its ma mum, shes 70 and shes greetin every night", "correct_audience")
    )
    assert "0800 254 0088" in reply  # Families Outside, for her too


def test_a_justice_service_without_a_phone_comes_with_the_towns_justice_social_work_number():
    chat = Conversation(page="dumfries_galloway")
    reply = text(
        chat.say(
            "I got 120 hours unpaid work at Stranraer sheriff court today. Where do I go and when do I start?",
            "request_support_convicted",
        )
    )
    assert "01776 888400" in reply  # Justice Social Work, Ashwood House, Stranraer


def test_how_much_a_service_gives_is_answered_from_its_own_description():
    chat = Conversation(page="dumfries_galloway")
    chat.say(
        "my son is in HMP Dumfries and the bus there costs me a fortune, is there any help",
        "request_support_family",
    )
    assert "30p" in text(chat.say("how much do they give you", "ask_service_detail"))


def test_a_victims_prison_team_is_the_notification_team_not_the_prisons_family_lines():
    chat = Conversation(page="ayrshire")
    chat.say(
        "the guy who attacked me got 3 years, hes in kilmarnock, i want to know when he gets out",
        "request_support_victim",
    )
    reply = text(
        chat.say("whats the number for the prison team and when are they open", "ask_service_detail")
    )
    assert "0131 330 3664" in reply and "01563 548 872" not in reply


def test_rather_texting_than_phoning_gives_the_same_service_by_text():
    chat = Conversation(page="ayrshire")
    chat.say(
        "my brother got jailed last week at kilmarnock sheriff court, my mum is in bits",
        "request_support_family",
    )
    assert "60777" in text(chat.say("she hates the phone, she'd rather text somebody", "nlu_fallback", 0.3))


def test_abuse_that_is_not_an_emergency_gets_the_domestic_abuse_helpline_first():
    chat = Conversation(page="dumfries_galloway")
    reply = text(
        chat.say(
            "my ex keeps turning up at my work and taking my phone to check who ive been texting. is that abuse? im in lockerbie",
            "request_support_victim",
            0.3,
        )
    )
    assert "0800 027 1234" in reply


def test_a_weak_topic_reading_of_a_request_to_report_a_crime_gives_the_number():
    chat = Conversation(page="ayrshire")
    reply = text(chat.say("whats the number to report a crime thats not an emergency", "ask_statistics", 0.4))
    assert "101" in reply and "reconviction" not in reply


def test_getting_out_of_the_prisons_town_is_not_where_they_will_live():
    chat = Conversation(page="dumfries_galloway")
    reply = text(
        chat.say(
            "getting out of dumfries on thursday, no address, want to go back to stranraer where my kids are",
            "request_support_release",
        )
    )
    assert "01776 888312" in reply


def test_a_release_question_inside_a_request_for_help_gets_both():
    chat = Conversation(page="ayrshire")
    reply = text(
        chat.say(
            "my pal says you get out at 40 percent now is that right? im doing 2 year in kilmarnock. "
            "and ill have nae place to stay in dalmellington when i get out",
            "request_support_release",
        )
    )
    assert "40%" in reply and "0808 800 4444" in reply  # the release rule, and Shelter's housing line


def test_a_witness_with_children_to_look_after_is_told_courts_have_no_childcare():
    chat = Conversation(page="ayrshire")
    reply = text(
        chat.say(
            "ive been cited to ayr sheriff court as a witness but ive got 2 kids, what do i do about them on the day",
            "request_support_victim",
        )
    )
    assert "childcare" in reply and "0800 160 1985" in reply


def test_how_to_tell_a_child_where_their_parent_is_mid_conversation():
    chat = Conversation(page="ayrshire")
    chat.say("my daughter got jailed at ayr sheriff court today", "request_support_family")
    reply = text(
        chat.say(
            "her wean is 6 and staying wi us, how do we tell him where his mammy is", "request_support_family"
        )
    )
    assert "truth" in reply or "honest" in reply
