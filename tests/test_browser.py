"""Pages in a real browser: Debian's Chromium driven by Playwright, against a live server.

In CI these tests must run: a missing browser fails them there instead of skipping.
"""

import os
import shutil
import threading
from datetime import date

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from conftest import PASSWORD
from vscapp.events.models import Event
from vscapp.extensions import db

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def chromium_path():
    path = os.environ.get("VSC_CHROMIUM") or shutil.which("chromium")
    if path is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(csrf_app):
    server = make_server("127.0.0.1", 0, csrf_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


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
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Activity recorded.").wait_for()

    event = db.session.scalar(select(Event))
    assert (event.event_type.code, event.occurred_on, event.participants) == (
        "awareness_session", date(2023, 5, 4), 17)
    assert event.created_by_id == officer.id

    page.get_by_role("navigation").get_by_role("link", name="Activities").click()
    row = page.locator("#events tbody tr").first
    assert "2023-05-04" in row.inner_text()
    assert "Opleidings-/bewustmakingssessie" in row.inner_text()


def test_a_form_error_is_shown_next_to_its_field(page, live_server, make_user):
    sign_in(page, live_server, make_user("officer"))
    page.goto(f"{live_server}/events/new")
    page.get_by_label("Activity").select_option("awareness_session")
    page.get_by_role("button", name="Save").click()
    error = page.locator(".field.has-errors .error")
    assert error.inner_text() == "Give the number of participants of this activity."
    assert db.session.scalar(select(Event)) is None
