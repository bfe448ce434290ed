"""Content v2 quality rules (issue 12): next steps, confidence labels, source dates, routes, glossary,
rendering of contacts and links, opening hours, and the coverage table. Dates are pinned."""

import datetime as dt
import re
import shutil

import pytest
import yaml

from bot.content import ContentError, load_content, rendering
from bot.content.opening import is_open
from bot.content.schema import source_date_latest
from bot.content.vocabulary import AUDIENCES, NEEDS
from bot.settings import PROJECT_ROOT
from bot.tools import content_flags as flags
from bot.tools.content_coverage import coverage, markdown, summary
from bot.tools.content_report import build_report

CONTENT = PROJECT_ROOT / "content"
TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def content():
    return load_content()


@pytest.fixture
def broken(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)

    def edit(file_name, change):
        path = target / file_name
        data = yaml.safe_load(path.read_text())
        change(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
        return target

    return edit


def problems_for(directory) -> str:
    with pytest.raises(ContentError) as error:
        load_content(directory)
    return "\n".join(error.value.problems)


def service_entry(data, service_id):
    return next(s for s in data["services"] if s["id"] == service_id)


# ------------------------------------------------------------------ schema rules
def test_an_answer_without_a_next_step_is_rejected(broken):
    directory = broken("topics.yml", lambda d: d["topics"][0].pop("links"))
    assert "field 'links': needs a next step" in problems_for(directory)


def test_a_partnership_answer_without_a_next_step_is_named_by_id(broken):
    directory = broken("partnerships.yml", lambda d: d["partnerships"][0]["answers"][0].update(links=[]))
    assert "answers[1 ayrshire_about].links': needs a next step" in problems_for(directory)


def test_a_route_naming_a_local_service_is_rejected(broken):
    def local_lead(data):
        data["routes"][0]["lead"] = ["north_ayrshire_homelessness"]

    assert "'north_ayrshire_homelessness' is a local service" in problems_for(
        broken("routes.yml", local_lead)
    )


def test_unverified_facts_are_never_published(broken):
    directory = broken("support_services.yml", lambda d: d["services"][0].update(confidence="UNVERIFIED"))
    assert "UNVERIFIED facts are never published" in problems_for(directory)


def test_a_partial_source_cannot_give_a_phone_number(broken):
    directory = broken(
        "support_services.yml", lambda d: service_entry(d, "samaritans_support").update(confidence="PARTIAL")
    )
    assert "a PARTIAL source cannot give a phone number or opening hours" in problems_for(directory)


def test_an_old_phone_number_needs_a_place_to_check_it(broken):
    directory = broken("support_services.yml", lambda d: service_entry(d, "families_outside").pop("check_at"))
    assert "a VERIFIED-OLD phone number needs check_at" in problems_for(directory)


def test_every_service_needs_a_summary(broken):
    directory = broken("support_services.yml", lambda d: d["services"][0].pop("summary"))
    assert "field 'summary': is required" in problems_for(directory)


@pytest.mark.parametrize(
    "text, message",
    [
        ("Text: FAMOUT to 60777", "no 'Text:' label"),
        ("Textphone: 18001 0800 22 44 88", "no 'Text:' label"),
        ("Text relay 18001 101", "goes in 'textphone'"),
    ],
)
def test_text_holds_an_ordinary_text_message_only(broken, text, message):
    directory = broken(
        "support_services.yml", lambda d: service_entry(d, "families_outside").update(text=text)
    )
    assert message in problems_for(directory)


def test_source_dates_are_checked_and_read_generously(broken):
    directory = broken("support_services.yml", lambda d: d["services"][0].update(source_date="last spring"))
    assert "is not a date like 2024, 2024-02 or 2024-02-19" in problems_for(directory)
    assert source_date_latest("2024") == dt.date(2024, 12, 31)
    assert source_date_latest("2024-02") == dt.date(2024, 2, 29)
    assert source_date_latest("undated") is None


def test_a_glossary_variant_belongs_to_one_term(broken):
    directory = broken("glossary.yml", lambda d: d["terms"][1]["variants"].append("remanded"))
    assert "'remanded' is also a name of 'term_remand'" in problems_for(directory)


def test_opening_hours_need_the_same_hours_in_words(broken):
    directory = broken("support_services.yml", lambda d: service_entry(d, "families_outside").pop("hours"))
    assert "need the same hours in words" in problems_for(directory)


# ------------------------------------------------------------------ what the content says (issue 12 items)
def test_suicide_crisis_lists_a_listening_service_first_with_what_and_when(content):
    contacts = content.crisis_contacts_for("suicidal")
    assert contacts[0].id == "samaritans"
    for contact in contacts:
        assert contact.when and contact.hours
    monday_afternoon = dt.datetime(2026, 11, 30, 14, 0)
    breathing = content.crisis_contact("breathing_space")
    assert not is_open(breathing.opening, monday_afternoon)
    assert is_open(breathing.opening, dt.datetime(2026, 12, 5, 14, 0))  # Saturday
    assert "closed now" in rendering.crisis_line(breathing, monday_afternoon).lower()


def test_statistics_state_each_figure_as_the_source_gives_it(content):
    assert "and 71% were completed" not in content.answer("statistics_scotland").answer
    assert "51% were completed" not in (content.answer("dtto").detail or "")


def test_ayrshire_contact_leads_with_checked_details(content):
    text = rendering.contact_text(content.partnership("ayrshire"))
    assert text.index("Address:") < text.index("Website:") < text.index("01294 317203")
    line = next(row for row in text.splitlines() if "01294 317203" in row)
    assert "may have changed" in line.split("01294 317203")[0]


def test_partner_lists_name_only_sourced_members_and_end_with_a_sentence(content):
    ayrshire = {p.id for p in content.local_partners_for("ayrshire")}
    assert not ayrshire & {
        "ayrshire_families_outside",
        "ayrshire_turning_point_scotland",
        "ayrshire_recovery_enterprises_scotland",
    }
    for partnership in content.partnerships:
        text = rendering.partners_text(
            content.statutory_partners, content.local_partners_for(partnership.id), partnership
        )
        assert "Third sector (charities and voluntary organisations)." not in text
    dg = content.partnership("dumfries_galloway")
    assert "homeless team" in dg.partners_note and "invited" in dg.partners_note


def test_unsupported_details_are_gone(content):
    police = next(p for p in content.statutory_partners if p.id == "police_scotland")
    assert "can link people in police custody" not in police.role
    kilmarnock = next(p for p in content.local_partners if p.id == "ayrshire_sps_hmp_kilmarnock")
    assert "Scottish Prison Service leads" in kilmarnock.role
    assert "put through" not in content.service("east_ayrshire_social_services").what


def test_release_answer_states_the_planned_change_honestly(content):
    answer = content.answer("release_and_throughcare")
    assert "40%" in answer.answer and "30%" in answer.answer and "check gov.scot" in answer.answer


def test_just_communities_is_not_a_current_motto(content):
    for answer in content.partnership("dumfries_galloway").answers:
        assert "motto" not in answer.answer.lower() + (answer.detail or "").lower()
        assert "strapline" not in answer.answer.lower()


def test_ayrshire_aims_use_the_partnerships_own_aim(content):
    aims = content.partnership_answer("ayrshire", "aims").answer
    assert "rehabilitation" in aims and "fewer victims" in aims and "safer" in aims


def test_rendering_never_doubles_labels_or_shows_raw_urls(content):
    for service in content.services:
        text = rendering.service_text(service)
        assert "Text: Text" not in text and "http" not in text
    for contact in content.crisis_contacts:
        text = rendering.crisis_contact_text(contact)
        assert "Text: Text" not in text and "Text: Textphone" not in text
    assert "Textphone or Relay UK" in rendering.service_text(content.service("breathing_space_support"))
    for answer in [*content.topics, *content.stages]:
        assert not re.search(r"https?://", rendering.answer_text(answer))
        assert rendering.answer_links(answer)


def test_victim_support_comes_before_restorative_justice_in_dumfries_and_galloway(content):
    ids = [
        s.id
        for s in content.services_for(
            "victim_witness", "emotional_support", "dumfries_and_galloway", limit=10
        )
    ]
    assert ids.index("victim_support_scotland") < ids.index("sacro_restorative_justice")


def test_family_and_drugs_keeps_the_need(content):
    services = content.services_for("family", "drugs_alcohol", "dumfries_and_galloway")
    assert services and all("drugs_alcohol" in s.needs for s in services)


# ------------------------------------------------------------------ routes and gaps
@pytest.mark.parametrize(
    "audience, need, first",
    [
        ("leaving_prison", "housing", "shelter_scotland_helpline"),
        ("family", "children", "families_outside"),
        ("family", "find_prison", "families_outside"),
        ("family", "drugs_alcohol", "scottish_families_alcohol_drugs"),
        ("victim_witness", "release_info", "victim_notification_scheme"),
        ("victim_witness", "compensation", "cica"),
        ("victim_witness", "court_witness", "victim_support_scotland"),
        ("convicted", "legal_advice", "slab_legal_aid"),
        ("leaving_prison", "money", "universal_credit_prison_leavers"),
        ("convicted", "drugs_alcohol", "with_you_stay_on_the_line"),
    ],
)
def test_the_best_national_route_leads(content, audience, need, first):
    route = content.route_for(audience, need)
    assert route.need == need and route.lead[0] == first


@pytest.mark.parametrize(
    "area", ["north_ayrshire", "south_ayrshire", "east_ayrshire", "dumfries_and_galloway"]
)
def test_every_council_area_has_a_homelessness_phone_line_including_out_of_hours(content, area):
    local = content.local_services("leaving_prison", "housing", area, limit=10)
    assert any(s.phone for s in local)
    crisis = content.local_services("crisis", "housing", area, limit=10)
    assert any(s.phone and s.hours for s in crisis), area


def test_every_route_explanation_and_glossary_link_is_an_answer(content):
    for route in content.routes:
        assert route.explain is None or content.answer(route.explain)
    for term in content.terms:
        assert term.more is None or content.answer(term.more)


@pytest.mark.parametrize(
    "typed, term_id",
    [
        ("remanded", "term_remand"),
        ("on remand", "term_remand"),
        ("bail", "term_bail"),
        ("procurator fiscal", "term_procurator_fiscal"),
        ("sheriff court", "term_sheriff_court"),
        ("CPO", "term_cpo"),
        ("unpaid work", "term_unpaid_work"),
        ("SDS", "term_structured_deferred_sentence"),
        ("DTTO", "term_dtto"),
        ("RLO", "term_rlo"),
        ("HDC", "term_hdc"),
        ("licence", "term_licence"),
        ("throughcare", "term_throughcare"),
        ("disclosure", "term_disclosure"),
        ("children's hearing", "term_childrens_hearing"),
        ("childrens hearing", "term_childrens_hearing"),
    ],
)
def test_the_glossary_knows_the_terms_people_ask_about(content, typed, term_id):
    assert content.term_id_named(typed) == term_id


def test_sds_means_the_sentence_and_says_so(content):
    meaning = content.term("term_structured_deferred_sentence").meaning
    assert "Skills Development Scotland" in meaning


def test_prisons_say_who_is_held_and_only_local_ones_have_a_council_area(content):
    ids = {p.id for p in content.prisons}
    assert {"hmp_kilmarnock", "hmp_dumfries", "hmp_yoi_stirling", "hmp_yoi_polmont"} <= ids
    for prison in content.prisons:
        assert prison.holds
        assert (prison.council_area is not None) == (prison.id in {"hmp_kilmarnock", "hmp_dumfries"})
    assert content.prison_id_named("cornton vale") == "hmp_yoi_stirling"


# ------------------------------------------------------------------ report and coverage
def test_coverage_table_counts_every_cell_and_shows_empty_ones(content):
    table = coverage(content)
    counts = summary(table)
    # every council area of both partnerships x every audience x every need
    assert counts["cells"] == len(content.council_areas) * len(AUDIENCES) * len(NEEDS) == 4 * 4 * len(NEEDS)
    assert counts["empty"] <= 12
    text = markdown(content, table)
    assert "Dumfries and Galloway" in text and "North Ayrshire" in text
    assert text.count("| **0**") == counts["empty"]  # the intro mentions **0** once


def test_report_flags_old_sources_copies_and_opening_hours(content):
    report = build_report(TODAY, content)
    assert "### Sources older than two years" in report
    assert "`shelter_scotland_helpline`, service): source dated 2016-07-26" in report
    assert "### Sources that are press reports or copies of documents only" in report
    assert "### Opening hours" in report and "Mon-Thu 18:00-02:00" in report
    assert "## Coverage" in report
    old_in_future = flags.old_sources(flags.all_entries(content), TODAY + dt.timedelta(days=3650))
    assert len(old_in_future) > len(flags.old_sources(flags.all_entries(content), TODAY))


def test_copies_and_press_are_recognised():
    assert flags.is_copy_or_press("https://www.wired-gov.net/wg/news.nsf/articles/x")
    assert flags.is_copy_or_press("https://feeds.bbci.co.uk/news/x")
    assert not flags.is_copy_or_press("https://www.gov.scot/publications/x")


def test_first_reply_lines_keep_names_capitalised(content):
    for service in content.services:
        line = rendering.service_line(service)
        assert not re.search(r": (north|south|east|dumfries|community|victim|families) [A-Z]", line), line
    assert rendering.service_line(content.service("families_outside")).startswith(
        "Families Outside: the national charity"
    )


def test_sexual_violence_always_has_someone_to_listen(content):
    contacts = [c.id for c in content.crisis_contacts_for("sexual_violence")]
    assert contacts[0] == "rape_crisis_helpline" and "samaritans" in contacts
