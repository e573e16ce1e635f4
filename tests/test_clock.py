"""Times are stored in UTC and shown in Brussels time; "today" is Brussels' today; dates read
in the reader's language, never as ISO in running text."""

from datetime import UTC, date, datetime

import pytest

from helpers import make_event
from vscapp import clock
from vscapp.extensions import db


@pytest.fixture
def brussels_just_after_midnight(monkeypatch):
    """23:30 UTC on 30 November is 00:30 on 1 December in Brussels."""
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2026, 11, 30, 23, 30, tzinfo=UTC))


def test_today_is_the_municipalitys_today(app, brussels_just_after_midnight):
    assert clock.today() == date(2026, 12, 1)
    app.config["TIMEZONE"] = "UTC"
    assert clock.today() == date(2026, 11, 30)


def test_an_activity_of_brussels_today_is_not_in_the_future(client, as_role,
                                                            brussels_just_after_midnight):
    as_role("officer")
    form = client.get("/events/new").get_data(as_text=True)
    assert 'value="2026-12-01"' in form  # the form proposes Brussels' today
    response = client.post("/events/new", data={
        "event_type": "individual_consultation", "occurred_on": "2026-12-01", "quantity": "1"})
    assert response.status_code == 302


def test_times_are_shown_in_brussels_time(client, as_role):
    officer = as_role("officer")
    event = make_event("individual_consultation", officer)
    event.created_at = datetime(2023, 6, 1, 6, 29, tzinfo=UTC)  # 08:29 in Brussels (summer)
    db.session.commit()
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "8:29" in html and "6:29" not in html


def test_dates_in_running_text_follow_the_readers_language(client, make_user):
    from helpers import login

    officer = make_user("officer", language="fr")
    event = make_event("individual_consultation", officer, on=date(2023, 12, 31))
    login(client, officer)
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "31 déc. 2023" in html and "2023-12-31" not in html.split("<main")[1].split("<form")[0]
