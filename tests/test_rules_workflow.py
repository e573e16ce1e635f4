"""Rules per year: validate, draft, activate and roll back (CLI and web), and evaluation of a
year against the real events, in one aggregate query."""

import json
from datetime import date

import pytest
from sqlalchemy import select

from helpers import PLAN_2023_NL, RULES_2023, counted_statements, make_event
from vscapp.audit.models import AuditEntry
from vscapp.events.services import void_event
from vscapp.extensions import db
from vscapp.plans.parser import parse_plan
from vscapp.plans.services import import_plan
from vscapp.targets import services


def statuses(year, as_of):
    return {r.code: r.status for r in services.evaluate_year(year, as_of)}


def test_the_shipped_2023_rules_are_valid_for_the_2023_plan(runner, plan_2023):
    result = runner.invoke(args=["rules", "validate", str(RULES_2023)])
    assert result.exit_code == 0, result.output
    assert "valid rules for 2023: 13 indicators (7 count, 5 milestone, 1 sum)" in result.output


def test_validate_lists_every_error_and_exits_non_zero(runner, plan_2023, tmp_path):
    broken = RULES_2023.read_text(encoding="utf-8").replace(
        "events: [project]", "events: [projects]").replace("target: 10\n    pace: even\n\n  # D",
                                                           "target: 0\n    pace: even\n\n  # D")
    path = tmp_path / "2023.yaml"
    path.write_text(broken, encoding="utf-8")
    result = runner.invoke(args=["rules", "validate", str(path)])
    assert result.exit_code == 1
    assert "(indicators.S1.SD4.OD3.I1.events): no activity type 'projects'" in result.output
    assert "(indicators.S1.SD1.OD2.I1.target): expected a whole number" in result.output
    assert "2 error(s)" in result.output


RULES_BYTES = RULES_2023.read_bytes()


@pytest.mark.parametrize(("raw", "expected"), [
    (RULES_BYTES.replace(b"year: 2023", b"year: 2023\x00"),
     "line 4, column 11: control character U+0000: only text, tabs and line breaks are allowed"),
    (RULES_BYTES.replace(b"decree: KB", b"decree: K\x07B"), "line 5, column 10: control "
                                                            "character U+0007"),
    (RULES_BYTES.replace(b"end: 2023-12-31", b"end: 2023-02-30"),
     "line 8, column 8: not a date that exists: '2023-02-30'"),
    (RULES_BYTES.replace(b"target: 10\n", b"target: " + b"9" * 5000 + b"\n", 1),
     "line 32, column 13: a number of more than 30 characters"),
    (RULES_BYTES.replace(b"target: 10\n", b"target: 10000000000000000\n", 1),
     "line 32, column 13 (indicators.S1.SD1.OD2.I1.target): expected a whole number from 1 to "
     "1,000,000"),
    (RULES_BYTES.replace(b"decree: KB", b"decree: K\xffB"),
     "line 5, column 10: not UTF-8 text: byte 0xFF cannot be read"),
    (RULES_BYTES.replace(b"year: 2023", b"year: 99999999999999999999"),
     "line 4, column 7 (year): expected a year such as 2023"),
])
def test_validate_gives_located_errors_for_bad_input_never_a_traceback(runner, plan_2023,
                                                                       tmp_path, raw, expected):
    path = tmp_path / "2023.yaml"
    path.write_bytes(raw)
    for command in (["rules", "validate", str(path)],
                    ["rules", "activate", str(path), "--reason", "try"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit)  # a ClickException, not a crash
        assert f"{path}: {expected}" in result.output
        assert "Traceback" not in result.output
    assert services.versions(2023) == []


def test_validate_needs_the_plan_of_the_year(runner, app):
    result = runner.invoke(args=["rules", "validate", str(RULES_2023)])
    assert result.exit_code == 1
    assert "no plan for 2023" in result.output


def test_activate_from_the_cli_then_evaluate(runner, plan_2023, make_user):
    result = runner.invoke(args=["rules", "activate", str(RULES_2023), "--reason", "KB 2023"])
    assert result.exit_code == 0, result.output
    assert "Rules 2023 version 1 are active." in result.output
    again = runner.invoke(args=["rules", "activate", str(RULES_2023), "--reason", "again"])
    assert again.exit_code == 0 and "already active; nothing changed" in again.output
    assert len(services.activations(2023)) == 1

    officer = make_user("officer")
    for month in (1, 2, 3, 4, 5):
        make_event("individual_consultation", officer, on=date(2023, month, 10))
    make_event("awareness_session", officer, on=date(2023, 5, 2), participants=9)
    make_event("listening_space_opened", officer, on=date(2023, 2, 1))
    voided = make_event("project", officer, on=date(2023, 3, 3), quantity=9)
    void_event(voided, "recorded twice", officer)
    db.session.commit()

    result = runner.invoke(args=["evaluate", "--year", "2023", "--as-of", "2023-07-02",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    found = {r["code"]: r for r in json.loads(result.output)}
    assert set(found) == {r.code for r in services.compiled(RULES_2023.read_text()).indicators}
    consultations = found["S1.SD1.OD2.I1"]
    assert (consultations["value"], consultations["target"], consultations["expected"],
            consultations["status"]) == (5, 10, 5.0, "on_track")
    assert consultations["explanation"] == "5 of 10, 5 expected by now; 5 more in 182 days"
    assert found["S1.SD2.OD1.I2"]["value"] == 9 and found["S1.SD2.OD1.I2"]["status"] == "met"
    assert found["S1.SD1.OD1.I1"]["status"] == "met"
    assert found["S1.SD4.OD3.I1"]["value"] == 0  # the voided projects do not count
    table = runner.invoke(args=["evaluate", "--year", "2023", "--as-of", "2023-07-02"])
    assert "S1.SD1.OD2.I1" in table.output and "on track" in table.output


def test_evaluate_without_active_rules_says_what_to_do(runner, plan_2023):
    result = runner.invoke(args=["evaluate", "--year", "2023"])
    assert result.exit_code == 1
    assert "vsc rules activate rules/2023.yaml" in result.output


def test_evaluation_is_one_aggregate_over_the_daily_totals(rules_2023, make_user):
    officer = make_user("officer")
    for day in range(1, 29):
        make_event("individual_consultation", officer, on=date(2023, 2, day))
    services.compiled(rules_2023.content)  # warm the cache: the rules are parsed once
    with counted_statements() as statements:
        results = services.evaluate_year(2023, date(2023, 6, 1), rules_2023)
    assert len(results) == 13
    aggregates = [s for s in statements if "FROM event_type JOIN daily_total" in s]
    assert len(aggregates) == 1 and len(statements) == 2  # and the data version
    assert next(r for r in results if r.code == "S1.SD1.OD2.I1").value == 28


PLAN_2024 = PLAN_2023_NL.read_text(encoding="utf-8").replace("PROJECTPLAN 2023",
                                                             "PROJECTPLAN 2024").replace(
    "Aantal individuele raadplegingen: >/=tot 10/jaar",
    "Aantal individuele raadplegingen: >/=tot 12/jaar")


def test_a_new_decree_year_drafts_from_its_plan_and_last_years_rules(runner, rules_2023,
                                                                      tmp_path):
    import_plan(parse_plan(PLAN_2024))
    db.session.commit()
    path = tmp_path / "2024.yaml"
    result = runner.invoke(args=["rules", "draft", "--year", "2024", "--output", str(path)])
    assert result.exit_code == 0, result.output
    draft = path.read_text(encoding="utf-8")
    assert "year: 2024" in draft and "start: 2024-01-01" in draft
    assert "carried over from 2023" in draft
    result = runner.invoke(args=["rules", "validate", str(path)])
    assert result.exit_code == 0, result.output
    ruleset = services.check(draft)
    rules = {r.code: r for r in ruleset.indicators}
    assert rules["S1.SD1.OD2.I1"].target == 12  # the 2024 plan's threshold
    assert rules["S1.SD1.OD2.I1"].events == ("individual_consultation",)
    assert rules["S1.SD2.OD1.I2"].field == "participants"
    assert rules["S1.SD1.OD1.I1"].due == date(2024, 12, 31)


def test_a_draft_without_earlier_rules_must_be_filled_in(runner, plan_2023, tmp_path):
    path = tmp_path / "2023.yaml"
    assert runner.invoke(args=["rules", "draft", "--year", "2023", "--output", str(path)]
                         ).exit_code == 0
    result = runner.invoke(args=["rules", "validate", str(path)])
    assert result.exit_code == 1
    assert "13 error(s)" in result.output
    assert "expected a list of activity type codes" in result.output


def test_two_years_keep_their_own_thresholds(rules_2023, make_user):
    import_plan(parse_plan(PLAN_2024))
    db.session.commit()
    text_2024 = RULES_2023.read_text(encoding="utf-8").replace("2023", "2024").replace(
        "target: 10\n    pace: even\n\n  # Daad", "target: 12\n    pace: even\n\n  # Daad")
    services.activate(services.save_version(text_2024, "2024.yaml"), "KB 2024")
    db.session.commit()
    officer = make_user("officer")
    for year in (2023, 2024):
        for _ in range(10):
            make_event("individual_consultation", officer, on=date(year, 3, 1))
    assert statuses(2023, date(2023, 12, 31))["S1.SD1.OD2.I1"] == "met"
    assert statuses(2024, date(2024, 12, 31))["S1.SD1.OD2.I1"] == "off_target"
    assert services.active_version(2023).id == rules_2023.id


def test_coordinator_changes_a_threshold_previews_activates_and_rolls_back(
        client, as_role, rules_2023, make_user):
    coordinator = as_role("coordinator")
    officer = make_user("officer")
    for month in range(1, 6):
        make_event("individual_consultation", officer, on=date(2023, month, 3))
    as_of = "2023-07-02"
    assert statuses(2023, date(2023, 7, 2))["S1.SD1.OD2.I1"] == "on_track"

    # a broken file: errors in place, nothing stored, the active rules unchanged
    broken = rules_2023.content.replace("at_risk: 0.6", "at_risk: 0.95")
    response = client.post("/rules/2023", data={"content": broken})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "line 14, column 12 (bands.at_risk): bands out of order" in html
    assert 'class="bad" id="L14"' in html
    assert len(services.versions(2023)) == 1

    # a threshold raised from 10 to 20: preview first
    raised = rules_2023.content.replace("target: 10\n    pace: even\n\n  # Daad",
                                        "target: 20\n    pace: even\n\n  # Daad")
    response = client.post("/rules/2023", data={"content": raised})
    assert response.status_code == 302
    version = services.versions(2023)[0]
    assert version.number == 2
    preview = client.get(f"{response.headers['Location']}?as_of={as_of}").get_data(as_text=True)
    assert '<tr data-code="S1.SD1.OD2.I1" class="changed">' in preview
    assert "-    target: 10" in preview and "+    target: 20" in preview
    assert services.active_version(2023).id == rules_2023.id

    # activation needs a reason
    url = f"/rules/2023/versions/{version.id}/activate"
    client.post(url, data={"reason": ""})
    assert services.active_version(2023).id == rules_2023.id
    assert client.post(url, data={"reason": "KB amended"}).status_code == 302
    assert services.active_version(2023).id == version.id
    page = client.get(f"/targets/2023?as_of={as_of}").get_data(as_text=True)
    assert 'status-off_target">off target' in page.split('data-code="S1.SD1.OD2.I1"')[1][:900]

    history = client.get("/rules/2023").get_data(as_text=True)
    assert "KB amended" in history and coordinator.email in history
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "rules.activate")
                              .order_by(AuditEntry.id.desc()))
    assert (entry.reason, entry.before, entry.after) == (
        "KB amended", {"version": 1}, {"version": 2})

    # roll back to version 1
    assert client.post(f"/rules/2023/versions/{rules_2023.id}/activate",
                       data={"reason": "Back to the original"}).status_code == 302
    assert services.active_version(2023).id == rules_2023.id
    assert statuses(2023, date(2023, 7, 2))["S1.SD1.OD2.I1"] == "on_track"
    assert len(services.activations(2023)) == 3


def test_an_upload_goes_through_the_same_validator(client, as_role, rules_2023):
    from io import BytesIO

    as_role("coordinator")
    response = client.post("/rules/2023", data={
        "upload": (BytesIO(b"year: 2023\nindicators: {X: 1}\n"), "rules.yaml")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "no indicator X in the plan of 2023" in html
    assert '<span class="ln">2</span>indicators: {X: 1}' in html  # the uploaded file, listed
    response = client.post("/rules/2023", data={
        "upload": (BytesIO(b"\xff\xfe"), "rules.yaml")}, content_type="multipart/form-data")
    assert "The file is not UTF-8 text." in response.get_data(as_text=True)
    assert len(services.versions(2023)) == 1


@pytest.mark.parametrize(("raw", "expected"), [
    (RULES_BYTES.replace(b"year: 2023", b"year: 2023\x00"),
     "line 4, column 11: control character U+0000: only text, tabs and line breaks are allowed"),
    (RULES_BYTES.replace(b"end: 2023-12-31", b"end: 2023-02-30"),
     "line 8, column 8: not a date that exists"),
    (RULES_BYTES.replace(b"target: 10\n", b"target: " + b"9" * 5000 + b"\n", 1),
     "line 32, column 13: a number of more than 30 characters"),
    (RULES_BYTES.replace(b"target: 10\n", b"target: 10000000000000000\n", 1),
     "line 32, column 13 (indicators.S1.SD1.OD2.I1.target): expected a whole number from 1 to "
     "1,000,000"),
])
def test_a_bad_upload_is_a_400_with_its_located_error_and_nothing_changes(
        client, as_role, rules_2023, raw, expected):
    from io import BytesIO

    as_role("coordinator")
    for data in ({"upload": (BytesIO(raw), "rules.yaml")}, {"content": raw.decode()}):
        response = client.post("/rules/2023", data=data, content_type="multipart/form-data")
        assert response.status_code == 400
        assert expected in response.get_data(as_text=True)
    assert len(services.versions(2023)) == 1
    assert client.get("/").status_code == 200
    assert client.get("/targets/2023").status_code == 200


@pytest.mark.parametrize("role", ["officer", "liaison"])
def test_only_the_coordinator_changes_rules(client, as_role, rules_2023, role):
    as_role(role)
    assert client.post("/rules/2023", data={"content": rules_2023.content}).status_code == 403
    assert client.post(f"/rules/2023/versions/{rules_2023.id}/activate",
                       data={"reason": "x"}).status_code == 403
    assert client.get("/targets/2023").status_code == 200


def test_demo_year_gives_a_mix_of_statuses(runner, rules_2023):
    assert runner.invoke(args=["demo", "events"]).exit_code == 1  # needs the demo accounts
    runner.invoke(args=["demo", "users"])
    result = runner.invoke(args=["demo", "events"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["demo", "events"])
    assert "nothing added" in again.output
    autumn = statuses(2023, date(2023, 9, 30))
    end = statuses(2023, date(2023, 12, 31))
    assert end["S1.SD1.OD2.I1"] == "met" and end["S1.SD4.OD2.I1"] == "off_target"
    assert end["S1.SD3.OD3.I2"] == "off_target"  # no recommendation recorded
    assert autumn["S1.SD1.OD1.I1"] == "met" and autumn["S1.SD3.OD3.I2"] == "on_track"
    assert autumn["S1.SD4.OD3.I1"] == "at_risk" and autumn["S1.SD4.OD2.I1"] == "off_target"
