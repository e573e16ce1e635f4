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
    header = next(row[0].row for row in sheet.iter_rows() if row[1].value == "Code")
    assert [row[1].value for row in sheet.iter_rows(min_row=header + 1, max_row=header + 3)] == [
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


def fits_the_screen(page):
    """Nothing sticks out sideways: the page cannot be scrolled horizontally."""
    page.wait_for_load_state("load")  # the stylesheet too
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, "
                                   "document.documentElement.clientWidth]")
    wide = page.evaluate("""[...document.querySelectorAll('body *')].filter(
        e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0)
        .map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40))""")
    assert scroll <= client, f"{page.url} scrolls sideways ({scroll} > {client}): {wide}"


def test_the_officers_phone_path(browser, live_server, plan_2023, make_user, tmp_path):
    """Record four activities (one with participants, one on a day no plan covers), find one
    by its note, correct it, void it and export the list (CSV and XLSX): at 390 px, without
    scrolling sideways, in a page that runs no script."""
    from openpyxl import load_workbook

    officer = make_user("officer")
    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server, officer)
        fits_the_screen(page)
        page.locator("details.menu-phone summary").click()  # the phone's menu
        page.get_by_role("navigation").get_by_role("link", name="Record an activity").click()
        fits_the_screen(page)
        assert page.get_by_label("Activity").input_value() == ""  # nothing preselected

        page.get_by_label("Activity").select_option("awareness_session")
        page.get_by_label("Date").fill("2023-05-04")
        page.get_by_label("Participants").fill("17")
        page.get_by_label("Note").fill("Sessie voor jeugdwerkers")
        page.get_by_role("button", name="Save and record another").click()
        page.get_by_text("Activity recorded.").wait_for()
        assert page.get_by_label("Activity").input_value() == "awareness_session"  # kept
        assert page.get_by_label("Date").input_value() == "2023-05-04"

        page.get_by_label("Activity").select_option("individual_consultation")
        page.get_by_role("button", name="Save and record another").click()
        page.get_by_text("Activity recorded.").wait_for()
        page.get_by_label("Activity").select_option("project")
        page.get_by_label("Quantity").fill("2")
        page.get_by_role("button", name="Save and record another").click()
        page.get_by_text("Activity recorded.").wait_for()

        page.get_by_label("Activity").select_option("field_observation")
        page.get_by_label("Date").fill("2022-12-30")
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_text("No plan covers 2022 (plans: 2023).").wait_for()
        fits_the_screen(page)
        page.get_by_label("Yes, this date is right").check()
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_text("Activity recorded.").wait_for()
        assert len(db.session.scalars(select(Event)).all()) == 4

        page.locator("details.menu-phone summary").click()  # the phone's menu
        page.get_by_role("navigation").get_by_role("link", name="Activities").click()
        fits_the_screen(page)
        first_card = page.locator("#events tbody tr").first
        assert first_card.bounding_box()["y"] + 40 < 844  # on the first screen: filters fold
        page.get_by_text("Filters", exact=True).click()
        page.get_by_label("Text in the note or case reference").fill("jeugdwerk")
        page.get_by_role("button", name="Filter").click()
        cards = page.locator("#events tbody tr")
        assert cards.count() == 1
        assert cards.first.bounding_box()["y"] + 40 < 844  # also with a filter in use
        assert "May 4, 2023" in cards.first.inner_text()
        assert "Opleidings-/bewustmakingssessie" in cards.first.inner_text()
        fits_the_screen(page)
        link = cards.first.get_by_role("link", name="Open")
        box = link.bounding_box()
        assert link.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 390

        with page.expect_download() as download:
            page.get_by_role("link", name="Download this list (CSV)").click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        assert len(lines) == 2 and "Sessie voor jeugdwerkers" in lines[1]
        with page.expect_download() as download:
            page.get_by_role("link", name="Download this list (XLSX)").click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        rows = list(load_workbook(path).worksheets[0].values)
        assert len(rows) == 2 and rows[1][5] == "Sessie voor jeugdwerkers"

        with page.expect_navigation():
            link.click()
        fits_the_screen(page)
        page.get_by_role("link", name="Correct").click()
        page.get_by_label("Participants").fill("19")
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_text("Activity corrected.").wait_for()

        reason = page.get_by_label("Why is this record void?")
        assert not reason.is_visible()  # behind the disclosure
        page.locator("details.void summary").click()
        reason.fill("Dubbel geregistreerd")
        page.get_by_role("button", name="Void this record").click()
        page.get_by_text("The record is void").wait_for()
        fits_the_screen(page)
    finally:
        context.close()

    event = db.session.scalar(select(Event).where(Event.note == "Sessie voor jeugdwerkers"))
    db.session.refresh(event)
    assert (event.participants, event.void_reason) == (19, "Dubbel geregistreerd")
    assert event.voided_at is not None
    assert sorted((e.event_type.code, e.occurred_on, e.quantity)
                  for e in db.session.scalars(select(Event)) if e.live) == [
        ("field_observation", date(2022, 12, 30), 1),
        ("individual_consultation", date(2023, 5, 4), 1),
        ("project", date(2023, 5, 4), 2)]


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_recording_and_finding_fit_a_phone_in_dutch_and_french(browser, live_server, plan_2023,
                                                               make_user, language):
    from helpers import make_event

    officer = make_user("officer", language=language)
    event = make_event("awareness_session", officer, on=date(2023, 5, 4), participants=17,
                       note="Sessie voor jeugdwerkers", case_ref="RAD-2023-014")
    make_event("colloquium_participation", officer, on=date(2023, 5, 5))
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server, officer)
        for path in ("/events/", "/events/?text=RAD-2023&sort=oldest", "/events/new",
                     "/events/new?occurred_on=2022-01-01", f"/events/{event.id}",
                     f"/events/{event.id}/edit"):
            page.goto(f"{live_server}{path}")
            assert page.locator("html").get_attribute("lang") == language
            fits_the_screen(page)
        page.goto(f"{live_server}/events/")
        for link in page.locator("#events tbody td.open a").all():
            box = link.bounding_box()
            assert link.is_visible() and box["x"] + box["width"] <= 390
    finally:
        context.close()
