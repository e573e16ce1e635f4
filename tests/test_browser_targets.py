"""The coordinator's year in a real browser at a phone's width, without JavaScript: a target
changed in the form and activated, then a new year's plan uploaded and its targets set."""

import pytest

from helpers import DATA, PASSWORD
from vscapp.targets import services

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  java_script_enabled=False)
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


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} scrolls sideways on a phone ({width}px)"


def test_a_target_changed_in_the_form_on_a_phone(phone, live_server, rules_2023, make_user):
    page = phone
    sign_in(page, live_server, make_user("coordinator"))
    page.goto(f"{live_server}/rules/2023")
    fits(page)
    page.get_by_role("link", name="Change the targets").click()
    fits(page)
    part = page.locator('[id="i-S1.SD1.OD2.I1"]')
    part.locator("summary").click()
    part.get_by_label("Target", exact=True).fill("12")
    part.get_by_label("Pace", exact=True).select_option("quarterly")
    for field, share in (("March", "25"), ("June", "50"), ("September", "75"),
                         ("the period", "100")):
        part.get_by_label(f"% due by the end of {field}").fill(share)
    fits(page)
    page.get_by_role("button", name="Check and save as a new version").click()
    page.wait_for_url("**/rules/2023/versions/**")
    fits(page)
    change = page.locator('#changes [data-code="S1.SD1.OD2.I1"]').inner_text()
    assert "Aantal individuele raadplegingen" in change
    assert "target 10 → 12" in change and "pace even through the period → shares per " \
                                          "quarter" in change
    page.get_by_label("Why do these rules apply from now on?").fill("KB amended in March")
    page.get_by_role("button", name="Activate version 2").click()
    page.wait_for_url(f"{live_server}/rules/2023")
    assert services.active_version(2023).number == 2

    # back to version 1 from its row in the history
    row = page.locator("#versions tr", has_text="Reactivate version 1")
    row.get_by_label("Why?").fill("Back to the original target")
    row.get_by_role("button", name="Reactivate version 1").click()
    page.wait_for_url(f"{live_server}/rules/2023")
    assert services.active_version(2023).number == 1
    assert "Back to the original target" in page.locator("#activations").inner_text()


def test_a_new_year_from_the_browser_on_a_phone(phone, live_server, rules_2023, make_user):
    page = phone
    sign_in(page, live_server, make_user("coordinator"))
    page.goto(f"{live_server}/rules/")
    page.get_by_role("link", name="A new year: import its plan document").click()
    fits(page)
    page.get_by_label("The plan document").set_input_files(str(DATA / "plan-2024-nl.md"))
    page.get_by_role("button", name="Check the document").click()
    fits(page)
    assert "Indicators added: 3" in page.inner_text("#plan-changes")
    assert "Indicators removed: 1" in page.inner_text("#plan-changes")
    assert "at least 10 a year → at least 12 a year" in page.inner_text("#retargeted")
    page.get_by_role("button", name="Import the plan of 2024").click()
    page.wait_for_url(f"{live_server}/rules/2024/targets")
    fits(page)
    assert "Indicators to set: 3." in page.inner_text("#to-set")
    police, csil = ("Contact met de radicaliseringscel van de lokale politie",
                    "Deelname aan de LIVC-R (CSIL) van de politiezone")
    for code, how, event, target in (
            ("S2.SD1.OD1.I1", "count of activities", police, "4"),
            ("S2.SD1.OD1.I2", "count of activities", csil, "6"),
            ("S2.SD1.OD2.I1", "milestone (yes/no)", police, None)):
        part = page.locator(f'[id="i-{code}"]')
        part.get_by_label("What is measured").select_option(label=how)
        part.get_by_label(event, exact=True).check()
        if target:
            part.get_by_label("Target", exact=True).fill(target)
        else:
            part.get_by_label("Pace", exact=True).select_option("due")
    page.get_by_role("button", name="Check and save as a new version").click()
    page.wait_for_url("**/rules/2024/versions/**")
    assert page.locator("#changes li").count() == 15  # every indicator new in 2024
    page.get_by_label("Why do these rules apply from now on?").fill("KB of 14 March 2024")
    page.get_by_role("button", name="Activate version 1").click()
    page.wait_for_url(f"{live_server}/rules/2024")
    rules = {r.code: r for r in services.compiled(
        services.active_version(2024).content).indicators}
    assert len(rules) == 15 and rules["S1.SD1.OD2.I1"].target == 12
    assert rules["S2.SD1.OD2.I1"].measure == "milestone"
