"""Pages in a real browser: Debian's Chromium driven by Playwright, against a live server
(fixtures in tests/fixtures/browser.py)."""

from datetime import date

import pytest
from sqlalchemy import select

from helpers import PASSWORD
from vscapp.events.models import Event
from vscapp.extensions import db

pytestmark = pytest.mark.browser

def sign_in(page, base, user):
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def test_officer_records_an_event_and_finds_it_listed(page, live_server, make_user):
    officer = make_user("officer")
    sign_in(page, live_server, officer)
    page.get_by_role("navigation").get_by_role("link", name="Record an activity").click()
    page.get_by_label("Activity").select_option("awareness_session")
    page.get_by_label("Date").fill("2023-05-04")
    page.get_by_label("Participants").fill("17")
    page.get_by_label("Note").fill("Sessie voor jeugdwerkers")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Activity recorded.").wait_for()

    event = db.session.scalar(select(Event))
    assert (event.event_type.code, event.occurred_on, event.participants) == (
        "awareness_session", date(2023, 5, 4), 17)
    assert event.created_by_id == officer.id

    page.get_by_role("navigation").get_by_role("link", name="Activities").click()
    row = page.locator("#events tbody tr").first
    assert "May 4, 2023" in row.inner_text()
    assert "Opleidings-/bewustmakingssessie" in row.inner_text()


def test_a_form_error_is_shown_next_to_its_field(page, live_server, make_user):
    sign_in(page, live_server, make_user("officer"))
    page.goto(f"{live_server}/events/new")
    page.get_by_label("Activity").select_option("awareness_session")
    page.get_by_role("button", name="Save", exact=True).click()
    error = page.locator(".field.has-errors .error")
    assert error.inner_text() == "Give the number of participants of this activity."
    assert db.session.scalar(select(Event)) is None


@pytest.fixture
def year_2023(rules_2023, make_user):
    """The 2023 plan and rules with some activities: police contacts behind, projects at risk."""
    from helpers import make_event

    officer, liaison = make_user("officer"), make_user("liaison")
    make_event("police_contact", liaison, on=date(2023, 5, 3))
    for month in (2, 4, 5, 7, 9):
        make_event("project", officer, on=date(2023, month, 1))
    return make_user("coordinator")


def test_coordinator_dashboard_indicator_report_and_language(page, live_server, year_2023,
                                                             tmp_path):
    from openpyxl import load_workbook

    sign_in(page, live_server, year_2023)
    page.goto(f"{live_server}/?as_of=2023-09-30")
    attention = page.locator(".attention")
    assert "Aantal contacten met de radicaliseringscel" in attention.inner_text()
    police = page.locator('[data-code="S1.SD4.OD2.I1"]')
    assert "off target" in police.locator(".status").inner_text()
    assert "1 of 3" in police.inner_text()

    police.get_by_role("link").click()
    page.wait_for_url("**/targets/2023/S1.SD4.OD2.I1**")
    assert page.locator("svg polyline.value-line").count() == 1
    assert "1 of 3, 2 expected by now" in page.locator(".big-status").inner_text()

    page.get_by_role("navigation").get_by_role("link", name="Report").click()
    page.goto(f"{live_server}/report/2023?as_of=2023-12-31")
    assert "Months without any entry" in page.locator("#completeness").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Excel (XLSX)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "vsc-evaluation-2023-2023-12-31-nl.xlsx"
    sheet = load_workbook(path).worksheets[0]
    assert [row[1].value for row in sheet.iter_rows(min_row=3, max_row=5)] == [
        "S1", "S1.G1", "S1.SD1"]

    assert page.locator("h1").inner_text() == "Evaluation report 2023"
    page.locator("form.language").get_by_role("button", name="FR").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Rapport d'évaluation 2023"
    assert page.get_by_role("navigation").get_by_role("link", name="Activités",
                                                    exact=True).is_visible()
    page.locator("form.language").get_by_role("button", name="NL").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Evaluatierapport 2023"


@pytest.mark.parametrize("path", ["/?as_of=2023-09-30", "/events/new",
                                  "/targets/2023/S1.SD4.OD3.I1?as_of=2023-09-30",
                                  "/report/2023"])
def test_screens_fit_a_phone(browser, live_server, year_2023, path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server, year_2023)
        page.goto(f"{live_server}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"
    finally:
        context.close()
