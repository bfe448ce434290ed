"""Content validation: the real content is valid, and each kind of broken file is rejected
with a message naming the file, the entry and the field. Date checks use a pinned clock (TODAY), so
these tests never start failing because time passes: staleness is what `make content-report` reports."""

import datetime as dt
import shutil

import pytest
import yaml
from assistant_client import free_port

from bot.content import ContentError, load_content
from bot.settings import PROJECT_ROOT
from bot.tools.content_report import build_report

CONTENT = PROJECT_ROOT / "content"
TODAY = dt.date(2026, 12, 1)  # the content's last review; the report is checked as of this date


def test_real_content_is_valid_and_complete():
    content = load_content()
    assert {p.id for p in content.partnerships} == {"ayrshire", "dumfries_galloway"}
    assert {a.partnership for a in content.council_areas} == {"ayrshire", "dumfries_galloway"}
    assert len(content.places) >= 60
    assert {"emergency_999", "samaritans"} <= {c.id for c in content.crisis_contacts}


@pytest.fixture
def broken(tmp_path):
    """Copy the content folder; the test edits one file through the returned function."""
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


def test_unknown_key_is_named(broken):
    directory = broken("topics.yml", lambda d: d["topics"][0].update(anwser="typo"))
    assert (
        "content/topics.yml: topics entry 'what_is_community_justice' (item 1): field 'anwser': unknown field"
        in problems_for(directory)
    )


def test_missing_sources_are_rejected(broken):
    directory = broken("justice_journey.yml", lambda d: d["stages"][1].pop("sources"))
    message = problems_for(directory)
    assert "content/justice_journey.yml" in message and "field 'sources': is required" in message


def test_duplicate_ids_are_rejected(broken):
    def duplicate(data):
        data["services"][1]["id"] = data["services"][0]["id"]

    directory = broken("support_services.yml", duplicate)
    first_id = yaml.safe_load((CONTENT / "support_services.yml").read_text())["services"][0]["id"]
    assert f"duplicate id '{first_id}'" in problems_for(directory)


def test_dangling_references_are_rejected(broken):
    directory = broken("places.yml", lambda d: d["places"][0].update(council_area="north_ayshire"))
    message = problems_for(directory)
    assert "content/places.yml: places entry" in message
    assert "field 'council_area': 'north_ayshire' is not a known council area id" in message


def test_malformed_phone_numbers_are_rejected(broken):
    directory = broken("crisis_contacts.yml", lambda d: d["crisis_contacts"][1].update(phone="116-12"))
    message = problems_for(directory)
    assert "content/crisis_contacts.yml: crisis_contacts entry 'samaritans'" in message
    assert "field 'phone': '116-12' is not a UK phone number" in message


def test_malformed_urls_are_rejected(broken):
    directory = broken(
        "partnerships.yml",
        lambda d: d["partnerships"][0]["contact"].update(web="communityjusticeayrshire.org.uk"),
    )
    message = problems_for(directory)
    assert "content/partnerships.yml: partnerships entry 'ayrshire' (item 1): field 'contact.web'" in message


def test_overlong_answers_are_rejected(broken):
    directory = broken("topics.yml", lambda d: d["topics"][2].update(answer="word " * 90))
    assert "field 'answer': is 90 words long" in problems_for(directory)


def test_invalid_yaml_and_missing_files_are_reported(tmp_path):
    shutil.copytree(CONTENT, tmp_path / "content")
    (tmp_path / "content" / "topics.yml").write_text("topics:\n  - id: [unclosed\n")
    (tmp_path / "content" / "places.yml").unlink()
    message = problems_for(tmp_path / "content")
    assert "content/topics.yml: is not valid YAML" in message
    assert "content/places.yml: file is missing" in message


def test_a_service_without_phone_or_web_is_rejected(broken):
    def unreachable(data):
        data["services"][0].pop("phone", None)
        data["services"][0].pop("web", None)

    assert "a service needs a phone number or a web address" in problems_for(
        broken("support_services.yml", unreachable)
    )


def test_places_are_found_by_name_variant_and_council_area():
    content = load_content()
    assert content.find_council_area("Stranraer").partnership == "dumfries_galloway"
    assert content.find_council_area("killie").id == "east_ayrshire"
    assert content.find_council_area("  IRVINE ").id == "north_ayrshire"
    assert content.find_council_area("north ayrshire").id == "north_ayrshire"
    assert content.find_council_area("Glasgow") is None
    assert content.find_council_area("") is None


def test_support_routes_put_local_services_first_and_fall_back_to_national():
    content = load_content()
    local = content.services_for("family", None, "dumfries_and_galloway")
    assert local and all("family" in s.audiences for s in local)
    assert local[0].areas != ["national"] or all(s.areas == ["national"] for s in local)
    anywhere = content.services_for("victim_witness", "emotional_support", None)
    assert anywhere and all("national" in s.areas for s in anywhere)
    for audience in ("family", "victim_witness", "convicted", "leaving_prison"):
        for need in ("housing", "money", "mental_health", "emotional_support"):
            assert content.services_for(audience, need, "east_ayrshire"), (audience, need)


def test_content_report_covers_every_entry():
    content = load_content()
    report = build_report(TODAY, content)
    for answer in [*content.topics, *content.stages, *(a for p in content.partnerships for a in p.answers)]:
        assert f"`{answer.id}`" in report
    for entry in [
        *content.services,
        *content.crisis_contacts,
        *content.statutory_partners,
        *content.local_partners,
        *content.routes,
        *content.prisons,
        *content.terms,
    ]:
        assert f"`{entry.id}`" in report
    assert "DUE FOR REVIEW" not in report
    assert "DUE FOR REVIEW" in build_report(TODAY + dt.timedelta(days=800), content)


def test_generated_place_lookup_is_up_to_date():
    from bot.tools.places_lookup import OUTPUT, render

    assert OUTPUT.read_text(encoding="utf-8") == render(), "run `make places`"


def test_the_action_server_refuses_to_start_on_invalid_content(broken):
    import os
    import subprocess
    import sys

    directory = broken("crisis_contacts.yml", lambda d: d["crisis_contacts"][1].update(phone="116-12"))
    env = {**os.environ, "CJ_CONTENT_DIR": str(directory)}
    result = subprocess.run(
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "crisis_contacts entry 'samaritans'" in result.stderr + result.stdout
