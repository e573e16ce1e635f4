"""Recording on a phone in a few taps: the picker, the hints, the plan-year check, "Save and
record another", the void disclosure and a form whose token went stale."""

import re
from datetime import date

from sqlalchemy import select

from helpers import PASSWORD, csrf_token, make_event
from vscapp.events.models import Event
from vscapp.extensions import db


def stored():
    return db.session.scalars(select(Event).order_by(Event.id)).all()


def record(client, **fields):
    data = {"event_type": "individual_consultation", "occurred_on": "2023-03-01",
            "quantity": "1", "participants": "", "note": "", "case_ref": "", **fields}
    return client.post("/events/new", data=data)


def options(html):
    """(optgroup label or None, value, selected) of the activity picker's options."""
    select_html = re.search(r'<select[^>]*name="event_type".*?</select>', html, re.S).group()
    found, group = [], None
    for match in re.finditer(r'<optgroup label="([^"]*)">|<option([^>]*)value="([^"]*)"([^>]*)>',
                             select_html):
        if match.group(1) is not None:
            group = match.group(1)
        else:
            found.append((group, match.group(3), "selected" in match.group(2) + match.group(4)))
    return found


def test_the_picker_starts_with_a_prompt_then_the_readers_most_used_types(client, as_role):
    officer = as_role("officer")
    today = date.today()
    for code in ("project", "project", "awareness_session"):
        make_event(code, officer, on=today, participants=5 if code == "awareness_session"
                   else None)
    found = options(client.get("/events/new").get_data(as_text=True))
    assert found[0] == (None, "", False)  # "Choose an activity": the browser shows the first
    assert not any(selected for _, _, selected in found)  # nothing preselected
    assert found[1:3] == [("Your most used", "project", False),
                          ("Your most used", "awareness_session", False)]
    assert [value for _, value, _ in found].count("project") == 1
    assert "Choose an activity" in client.get("/events/new").get_data(as_text=True)
    response = record(client, event_type="")
    assert response.status_code == 200 and "Choose an activity." in response.get_data(
        as_text=True)
    assert len(stored()) == 3


def test_participants_and_quantity_say_what_they_mean(client, as_role):
    as_role("officer")
    html = client.get("/events/new").get_data(as_text=True)
    assert "Required for: Opleidings-/bewustmakingssessie. Leave it empty for the other " \
           "activities." in html
    assert "How many times this activity took place that day" in html
    assert "<script" not in html


def test_a_date_outside_every_plan_year_asks_for_confirmation(client, as_role, plan_2023):
    as_role("officer")
    response = record(client, occurred_on="2022-12-31")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and stored() == []
    assert "No plan covers 2022 (plans: 2023)" in html
    assert 'name="outside_plans"' in html
    assert record(client, occurred_on="2022-12-31", outside_plans="y").status_code == 302
    assert record(client, occurred_on="2023-12-31").status_code == 302  # a plan year: no question
    assert [e.occurred_on for e in stored()] == [date(2022, 12, 31), date(2023, 12, 31)]
    assert 'name="outside_plans"' not in client.get("/events/new").get_data(as_text=True)


def test_save_and_record_another_keeps_the_type_and_the_date(client, as_role):
    as_role("officer")
    response = record(client, event_type="project", occurred_on="2023-04-05", another="y")
    assert response.status_code == 302
    assert response.headers["Location"] == \
        "/events/new?event_type=project&occurred_on=2023-04-05"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ("Sector 1: municipal projects", "project", True) in options(html)
    assert 'value="2023-04-05"' in html and "Activity recorded." in html
    assert [e.event_type.code for e in stored()] == ["project"]


def test_the_next_record_ignores_what_it_may_not_keep(client, as_role):
    as_role("officer")
    for query in ("event_type=threat_analysis&occurred_on=2023-02-30",
                  "event_type=" + "x" * 5000 + "&occurred_on=99999-01-01", "occurred_on="):
        response = client.get(f"/events/new?{query}")
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert not any(selected for _, _, selected in options(html))
        assert f'value="{date.today().isoformat()}"' in html


def test_voiding_sits_behind_a_disclosure(client, as_role):
    officer = as_role("officer")
    event = make_event("individual_consultation", officer)
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert '<details class="void">' in html
    assert html.index("<summary>Void this record</summary>") < html.index('name="reason"')
    html = client.post(f"/events/{event.id}/void", data={"reason": ""}).get_data(as_text=True)
    assert '<details class="void" open>' in html


def sign_in_with_token(client, user):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302


def test_a_stale_token_gives_the_form_back_with_what_was_typed(csrf_app, make_user):
    client = csrf_app.test_client()
    officer = make_user("officer")
    sign_in_with_token(client, officer)
    typed = {"event_type": "awareness_session", "occurred_on": "2023-05-04", "quantity": "2",
             "participants": "17", "note": "Sessie voor jeugdwerkers", "case_ref": "",
             "csrf_token": "a-token-from-an-old-session"}
    response = client.post("/events/new", data=typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This form had expired, so nothing was saved." in html
    assert "Please correct the fields marked below." not in html
    assert ("Sector 1: municipal projects", "awareness_session", True) in options(html)
    assert 'value="2023-05-04"' in html and 'value="17"' in html
    assert "Sessie voor jeugdwerkers</textarea>" in html
    assert stored() == []
    # the page carries a fresh token: saving again works
    response = client.post("/events/new", data={**typed, "csrf_token": csrf_token(html)})
    assert response.status_code == 302
    assert [(e.participants, e.note) for e in stored()] == [(17, "Sessie voor jeugdwerkers")]


def test_a_stale_token_on_a_correction_keeps_it_and_changes_nothing(csrf_app, make_user):
    client = csrf_app.test_client()
    officer = make_user("officer")
    event = make_event("individual_consultation", officer, quantity=1)
    sign_in_with_token(client, officer)
    response = client.post(f"/events/{event.id}/edit", data={
        "event_type": "individual_consultation", "occurred_on": "2023-03-01", "quantity": "4"})
    assert response.status_code == 200 and 'value="4"' in response.get_data(as_text=True)
    db.session.refresh(event)
    assert event.quantity == 1


def test_other_forms_with_a_stale_token_still_get_the_400_page(csrf_app, make_user):
    client = csrf_app.test_client()
    officer = make_user("officer")
    event = make_event("individual_consultation", officer)
    sign_in_with_token(client, officer)
    response = client.post(f"/events/{event.id}/void", data={"reason": "Recorded twice"})
    assert response.status_code == 400
    db.session.refresh(event)
    assert event.live


def test_a_stale_token_without_a_session_leads_to_sign_in(csrf_app, make_user):
    client = csrf_app.test_client()
    response = client.post("/events/new", data={"event_type": "project",
                                                "occurred_on": "2023-03-01", "quantity": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert stored() == []
