"""A new year from the browser: the plan document uploaded and checked, its changes against
the previous year shown before it is imported, then the year's targets started from last
year's in the form."""

import io

from werkzeug.datastructures import MultiDict

from helpers import DATA, PLAN_2023_NL, form_values
from vscapp.audit.models import AuditEntry
from vscapp.extensions import db
from vscapp.plans.services import plan_for_year
from vscapp.targets import services

PLAN_2023 = PLAN_2023_NL.read_text(encoding="utf-8")


def plan_2024():
    """A 2024 plan: a new target, an indicator dropped, sector 2 filled (15 indicators)."""
    return (DATA / "plan-2024-nl.md").read_text(encoding="utf-8")


def entry_of(values, code):
    """The number of an indicator's part of the targets form."""
    return next(n for n, v in values if n.endswith("-code") and v == code).split("-")[1]


def upload(client, text, name="plan-2024-nl.md"):
    return client.post("/plans/import", data={"document": (io.BytesIO(text.encode()), name)},
                       content_type="multipart/form-data")


def test_a_new_years_plan_is_checked_compared_imported_and_its_targets_started(
        client, as_role, rules_2023):
    coordinator = as_role("coordinator")
    response = upload(client, plan_2024())
    assert response.status_code == 200, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    assert "Changes against the plan of 2023" in page
    added = page.split('id="added"')[1].split("</ul>")[0]
    assert "S2.SD1.OD1.I1" in added and "Aantal gedeelde dreigingsanalyses" in added
    assert added.count("<li>") == 3
    removed = page.split('id="removed"')[1].split("</ul>")[0]
    assert "S1.SD3.OD3.I2" in removed
    retargeted = page.split('id="retargeted"')[1].split("</ul>")[0]
    assert "S1.SD1.OD2.I1" in retargeted and "at least 10 a year → at least 12 a year" in retargeted
    assert retargeted.count("<li>") == 1
    assert plan_for_year(2024) is None  # nothing stored before the confirmation

    response = client.post("/plans/import/confirm", data=MultiDict(form_values(page,
                                                                               "plan-confirm")))
    assert response.status_code == 302
    assert response.headers["Location"] == "/rules/2024/targets"
    plan = plan_for_year(2024)
    assert len([i for i in plan.indicators if not i.retired_at]) == 15
    entry = db.session.query(AuditEntry).filter_by(action="plan.import").order_by(
        AuditEntry.id.desc()).first()
    assert entry.actor_id == coordinator.id and entry.after["source"] == "plan-2024-nl.md"

    # the targets start from 2023's where the code is the same; the new one is to set
    form = client.get("/rules/2024/targets").get_data(as_text=True)
    assert "Indicators to set: 3." in form
    assert 'id="i-S2.SD1.OD1.I1" open>' in form
    values = form_values(form, "targets-form")
    assert ("indicators-1-code", "S1.SD1.OD2.I1") in values
    assert ("indicators-1-target", "12") in values  # the new decree's target
    assert ("indicators-1-events", "individual_consultation") in values
    assert ("indicators-0-due", "2024-12-31") in values
    response = client.post("/rules/2024/targets", data=MultiDict(values))
    assert response.status_code == 400  # the new indicator still has no activity type
    assert "Choose at least one activity type." in response.get_data(as_text=True).split(
        'id="i-S2.SD1.OD1.I1"')[1].split("</details>")[0]
    assert services.versions(2024) == []

    filled = MultiDict(values)
    entry = entry_of(values, "S2.SD1.OD1.I1")
    filled.setlist(f"indicators-{entry}-how", ["count"])
    filled.setlist(f"indicators-{entry}-events", ["police_contact"])
    filled.setlist(f"indicators-{entry}-target", ["4"])
    for code, how, events, target in (("S2.SD1.OD1.I2", "count", "csil_meeting", "6"),
                                      ("S2.SD1.OD2.I1", "milestone", "police_contact", "")):
        entry = entry_of(values, code)
        filled.setlist(f"indicators-{entry}-how", [how])
        filled.setlist(f"indicators-{entry}-events", [events])
        filled.setlist(f"indicators-{entry}-target", [target])
    response = client.post("/rules/2024/targets", data=filled)
    assert response.status_code == 302, response.get_data(as_text=True)
    version = services.versions(2024)[0]
    rules = {r.code: r for r in services.compiled(version.content).indicators}
    assert rules["S1.SD1.OD2.I1"].target == 12
    assert rules["S2.SD1.OD1.I1"].events == ("police_contact",)
    assert "S1.SD3.OD3.I2" not in rules
    assert client.post(f"/rules/2024/versions/{version.id}/activate",
                       data={"reason": "KB 2024"}).status_code == 302
    assert services.active_version(2024).id == version.id


def test_errors_in_the_document_are_shown_with_their_line_and_nothing_is_stored(
        client, as_role, plan_2023):
    as_role("coordinator")
    broken = plan_2024().replace("individuele raadplegingen: ≥ 12 per jaar",
                                 "individuele raadplegingen: veel")
    response = upload(client, broken)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    line = next(n for n, text in enumerate(broken.splitlines(), start=1) if "veel" in text)
    assert f'<a href="#L{line}">Line {line}</a>' in html
    assert f'class="bad" id="L{line}"' in html and "veel" in html
    assert plan_for_year(2024) is None

    response = upload(client, "no plan at all\n")
    assert response.status_code == 400
    assert "Line 1</a>: no activity sector found" in response.get_data(as_text=True)
    assert plan_for_year(2024) is None


def test_a_document_that_is_not_utf8_is_refused_with_its_line(client, as_role, plan_2023):
    as_role("coordinator")
    response = client.post("/plans/import", data={
        "document": (io.BytesIO(b"# PROJECTPLAN 2024\n\xff\n"), "plan.md")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Line 2</a>" in response.get_data(as_text=True)


def test_a_french_plan_is_imported_from_the_browser_too(client, as_role, plan_2023):
    as_role("coordinator")
    french = (DATA / "plan-2023-fr.md").read_text(encoding="utf-8")
    response = upload(client, french, "plan-2023-fr.md")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "FR" in page and "already imported" in page
    response = client.post("/plans/import/confirm", data=MultiDict(form_values(page,
                                                                               "plan-confirm")))
    assert response.status_code == 302
    assert plan_for_year(2023).languages == ["nl", "fr"]


def test_the_confirmation_needs_a_document(client, as_role, plan_2023):
    as_role("coordinator")
    response = client.post("/plans/import/confirm", data={"text": "", "filename": "x"})
    assert response.status_code == 302 and response.headers["Location"] == "/plans/import"


def test_a_document_near_the_size_limit_reaches_its_confirmation(client, as_role, plan_2023):
    from vscapp.plans.parser import MAX_BYTES

    as_role("coordinator")
    text = plan_2024()
    text += "\n" * (MAX_BYTES - len(text.encode()) - 10)
    assert len(text.encode()) > 500_000
    # posted as the confirmation page posts it (the test client's own multipart upload of a
    # file this large leaves a temporary file open)
    response = client.post("/plans/import/confirm", data={"text": text, "filename": "big.md"})
    assert response.status_code == 302 and plan_for_year(2024) is not None


def test_a_plan_in_both_languages_changes_structure_only_when_the_coordinator_says_so(
        client, as_role, plan_2023_fr):
    as_role("coordinator")
    corrected = PLAN_2023.replace("individuele raadplegingen: >/=tot 10/jaar",
                                  "individuele raadplegingen: >/=tot 11/jaar")
    page = upload(client, corrected).get_data(as_text=True)
    mismatch = page.split('id="mismatch"')[1].split("</section>")[0]
    assert "S1.SD1.OD2.I1: the target is at least 10 in the plan and at least 11" in mismatch
    values = form_values(page, "plan-confirm")
    response = client.post("/plans/import/confirm", data=MultiDict(values))
    assert response.status_code == 400

    def target():
        return next(i.target for i in plan_for_year(2023).indicators
                    if i.code == "S1.SD1.OD2.I1")

    assert target() == 10
    response = client.post("/plans/import/confirm",
                           data=MultiDict([*values, ("restructure", "y")]))
    assert response.status_code == 302
    assert target() == 11
