"""The targets form: a year's rules edited without YAML, saved as a new version through the
same validator, compared in words, activated and reactivated with a reason."""

import re

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from helpers import RULES_2023, form_values
from vscapp.audit.models import AuditEntry
from vscapp.engine.rulesfile import parse_rules
from vscapp.extensions import db
from vscapp.targets import services


def posted(values, **changes):
    """The form's values with some replaced ({name: value}; a list for checkboxes)."""
    data = MultiDict([(k, v) for k, v in values if k not in changes])
    for name, value in changes.items():
        for item in value if isinstance(value, list) else [value]:
            data.add(name, item)
    return data


def open_form(client, year=2023, query=""):
    response = client.get(f"/rules/{year}/targets{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_form_saved_unchanged_gives_the_same_rules(client, as_role, rules_2023):
    coordinator = as_role("coordinator")
    html = open_form(client)
    assert "Aantal individuele raadplegingen" in html
    response = client.post("/rules/2023/targets", data=MultiDict(form_values(html,
                                                                             "targets-form")))
    assert response.status_code == 302, response.get_data(as_text=True)
    version = services.versions(2023)[0]
    assert version.number == 2 and version.source == "form"
    assert version.created_by_id == coordinator.id
    assert parse_rules(version.content) == parse_rules(rules_2023.content)
    assert "# Aantal individuele raadplegingen" in version.content
    assert services.active_version(2023).id == rules_2023.id  # saved, not yet active
    # saved again unchanged: the same version, no new one
    html = open_form(client, query=f"?from={version.id}")
    client.post("/rules/2023/targets", data=MultiDict(form_values(html, "targets-form")))
    assert len(services.versions(2023)) == 2


def test_a_change_reads_in_words_and_activates_with_a_reason(client, as_role, rules_2023):
    as_role("coordinator")
    values = form_values(open_form(client), "targets-form")
    entry = 1  # S1.SD1.OD2.I1, the individual consultations
    assert ("indicators-1-code", "S1.SD1.OD2.I1") in values
    data = posted(values, **{f"indicators-{entry}-target": "12",
                             f"indicators-{entry}-pace": "quarterly",
                             f"indicators-{entry}-q1": "25", f"indicators-{entry}-q2": "50",
                             f"indicators-{entry}-q3": "75", f"indicators-{entry}-q4": "100"})
    response = client.post("/rules/2023/targets", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    changes = page.split('id="changes"')[1].split("</ul>")[0]
    line = changes.split('data-code="S1.SD1.OD2.I1"')[1].split("</li>")[0]
    assert "Aantal individuele raadplegingen" in line
    assert 'target <span class="old">10</span> → <span class="new">12</span>' in line
    assert ('pace <span class="old">even through the period</span> → '
            '<span class="new">shares per quarter</span>') in line
    assert "25 % · 50 % · 75 % · 100 %" in line
    assert changes.count("<li") == 1  # nothing else changed

    version = services.versions(2023)[0]
    rule = next(r for r in services.compiled(version.content).indicators
                if r.code == "S1.SD1.OD2.I1")
    assert (rule.target, rule.pace, rule.quarters) == (12, "quarterly", (0.25, 0.5, 0.75, 1))

    url = f"/rules/2023/versions/{version.id}/activate"
    client.post(url, data={"reason": "Bel Jan Peeters"})  # a name is refused
    client.post(url, data={"reason": ""})
    assert services.active_version(2023).id == rules_2023.id
    assert client.post(url, data={"reason": "KB amended in March"}).status_code == 302
    assert services.active_version(2023).id == version.id


def test_every_version_in_the_history_can_be_reactivated_with_a_reason(
        client, as_role, rules_2023):
    coordinator = as_role("coordinator")
    values = form_values(open_form(client), "targets-form")
    client.post("/rules/2023/targets", data=posted(values, **{"indicators-1-target": "20"}))
    version = services.versions(2023)[0]
    services.activate(version, "higher target", coordinator)
    db.session.commit()

    history = client.get("/rules/2023").get_data(as_text=True)
    row = history.split('id="versions"')[1]
    assert f'action="/rules/2023/versions/{rules_2023.id}/activate"' in row
    assert "Reactivate version 1" in row
    assert f'action="/rules/2023/versions/{version.id}/activate"' not in row  # active now
    reactivate = f"/rules/2023/versions/{rules_2023.id}/activate"
    client.post(reactivate, data={"reason": ""})
    assert services.active_version(2023).id == version.id
    response = client.post(reactivate, data={"reason": "Back to the original target"})
    assert response.status_code == 302
    assert services.active_version(2023).id == rules_2023.id
    latest = services.activations(2023)[0]
    assert (latest.reason, latest.actor_label) == ("Back to the original target",
                                                   coordinator.email)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "rules.activate")
                              .order_by(AuditEntry.id.desc()))
    assert (entry.before, entry.after) == ({"version": 2}, {"version": 1})


def test_bad_input_is_marked_at_its_fields_and_nothing_is_stored(client, as_role, rules_2023):
    as_role("coordinator")
    values = form_values(open_form(client), "targets-form")
    data = posted(values, **{
        "indicators-1-target": "",  # a count without a target
        "indicators-1-events": [],  # nothing counts
        "indicators-3-pace": "quarterly", "indicators-3-q1": "50", "indicators-3-q2": "25",
        "indicators-3-q3": "75", "indicators-3-q4": "100",  # shares that shrink
        "indicators-0-pace": "even",  # a milestone without a date
        "indicators-4-bands-on_track": "80", "indicators-4-bands-at_risk": "90",
        "indicators-5-due": "2024-03-01",  # outside the period
        "indicators-6-note": "Gebeld met Jan Peeters",  # personal data
        "indicators-7-own_alerts": "y", "indicators-7-alerts-off_target_others":
            "nobody@example.test",  # no such account: the validator's error, in place
        "bands-at_risk": "",
    })
    response = client.post("/rules/2023/targets", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)

    def errors_of(code):
        part = html.split(f'id="i-{code}"')[1].split("</details>")[0]
        assert " open>" in part.split("\n")[0] or part.startswith(" open")
        return part

    assert "Give a target: a whole number of at least 1." in errors_of("S1.SD1.OD2.I1")
    assert "Choose at least one activity type." in errors_of("S1.SD1.OD2.I1")
    assert "grow quarter by quarter" in errors_of("S1.SD2.OD1.I1")
    assert "A milestone is reached by a date" in errors_of("S1.SD1.OD1.I1")
    assert "At risk must be above 0 and below on track." in errors_of("S1.SD2.OD1.I2")
    assert "Choose a date inside the period." in errors_of("S1.SD3.OD1.I1")
    assert "a person&#39;s name" in errors_of("S1.SD3.OD2.I1")
    assert "Give both shares, or neither." in html.split('id="i-')[0]
    assert "Nothing was saved" in html
    assert len(services.versions(2023)) == 1


def test_an_unknown_recipient_is_refused_by_the_validator_at_its_field(
        client, as_role, rules_2023):
    as_role("coordinator")
    values = form_values(open_form(client), "targets-form")
    response = client.post("/rules/2023/targets", data=posted(values, **{
        "indicators-7-own_alerts": "y",
        "indicators-7-alerts-off_target_others": "nobody@example.test"}))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    field = html.split('for="indicators-7-alerts-off_target_others"')[1]
    field = field.split('<div class="field')[0]
    assert re.search(r'<p class="error"[^>]*>no active account nobody@example.test</p>', field)
    assert len(services.versions(2023)) == 1


def test_the_rules_file_of_a_version_downloads(client, as_role, rules_2023):
    as_role("coordinator")
    response = client.get(f"/rules/2023/versions/{rules_2023.id}/rules.yaml")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == rules_2023.content
    assert response.headers["Content-Disposition"] == "attachment; filename=rules-2023-v1.yaml"


def test_the_form_speaks_dutch_and_french(client, make_user, rules_2023):
    from helpers import login

    for language, words in (("nl", ["Tempo", "gelijkmatig over de periode", "Einddatum"]),
                            ("fr", ["Rythme", "régulier sur la période", "Échéance"])):
        user = make_user("coordinator", language=language)
        login(client, user)
        html = open_form(client)
        assert all(word in html for word in words), language
        client.post("/logout")


def test_an_indicator_the_active_rules_lack_is_to_set(client, as_role, plan_2023):
    from vscapp.targets.editing import from_text, to_yaml

    targets = from_text(RULES_2023.read_text(encoding="utf-8"))
    targets.indicators = [i for i in targets.indicators if i.code != "S1.SD4.OD3.I1"]
    services.activate(services.save_version(to_yaml(targets), "12 of 13"), "partial")
    db.session.commit()
    as_role("coordinator")
    html = open_form(client)
    assert "Indicators to set: 1." in html and 'id="i-S1.SD4.OD3.I1" open>' in html
