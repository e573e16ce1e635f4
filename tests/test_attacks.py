"""The attack suite: each way the police liaison could learn when a social-prevention activity
happened, replayed as the attacker would, and shown closed. Where it helps, the same attack by a
reader who may read the records shows that it would work without the wall."""

import re
from datetime import date, timedelta

import pytest

from helpers import event_type, login, make_event
from vscapp.events.models import Event, EventType
from vscapp.extensions import db
from vscapp.months import month_end

CONSULTATIONS = "S1.SD1.OD2.I1"  # individual consultations, a count
PARTICIPANTS = "S1.SD2.OD1.I2"  # persons made aware: the participants of the sessions
MARCH = [date(2023, 3, day) for day in range(1, 32)]
WIDTH, MARGIN, LEFT, DAYS = 640, 36, 56, 365  # the indicator chart's geometry (2023)


@pytest.fixture
def world(app, make_user, rules_2023):
    officer, liaison = make_user("officer"), make_user("liaison")
    make_event("individual_consultation", officer, on=date(2023, 2, 14))
    make_event("individual_consultation", officer, on=date(2023, 3, 7))
    make_event("individual_consultation", officer, on=date(2023, 3, 15))
    make_event("awareness_session", officer, on=date(2023, 3, 10), participants=12)
    make_event("awareness_session", officer, on=date(2023, 3, 22), participants=7)
    return {"officer": officer, "liaison": liaison, "coordinator": make_user("coordinator")}


def sign_in(client, user):
    client.post("/logout")
    login(client, user)


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def dashboard_card(client, day, code=CONSULTATIONS):
    html = _get(client, f"/?as_of={day.isoformat()}")
    card = re.search(rf'data-code="{code}">(.*?)</li>', html, re.S).group(1)
    return re.sub(r"as_of=[0-9-]+", "", card)  # the link carries the date asked for


def targets_row(client, day, code=CONSULTATIONS):
    html = _get(client, f"/targets/2023?as_of={day.isoformat()}")
    return re.search(rf'<tr data-code="{code}"[^>]*>(.*?)</tr>', html, re.S).group(1)


def indicator_figures(client, day, code=CONSULTATIONS):
    """What the indicator page says about the figures: status, chart line, counted table."""
    html = _get(client, f"/targets/2023/{code}?as_of={day.isoformat()}")
    status = re.search(r'<p class="big-status">(.*?)</p>', html, re.S).group(1)
    counted = re.search(r'<table class="data" id="counted">(.*?)</table>', html, re.S).group(1)
    return status, tuple(value_points(html)), counted


def value_points(html):
    found = re.search(r'<polyline points="([^"]*)" class="value-line"/>', html)
    if not found:
        return []
    return [tuple(float(n) for n in point.split(",")) for point in found.group(1).split()]


def day_of(x):
    """The day a chart x coordinate stands for (the inverse of the page's scale)."""
    offset = round((x - LEFT) * (DAYS - 1) / (WIDTH - LEFT - MARGIN))
    return date(2023, 1, 1) + timedelta(days=offset)


PAGES = {"dashboard": dashboard_card, "targets": targets_row, "indicator": indicator_figures}


@pytest.mark.parametrize("page", PAGES)
def test_stepping_the_date_through_a_month_tells_the_liaison_nothing(client, world, page):
    read = PAGES[page]
    login(client, world["liaison"])
    # Every day of March up to the 30th shows the figures of 28 February; the 31st, March's.
    seen = {day: read(client, day) for day in MARCH}
    assert len({seen[day] for day in MARCH[:-1]}) == 1
    assert seen[MARCH[-1]] != seen[MARCH[0]]
    assert seen[MARCH[-1]] == read(client, date(2023, 4, 17))


@pytest.mark.parametrize("role", ["officer", "coordinator"])
@pytest.mark.parametrize("page", PAGES)
def test_readers_of_the_records_still_see_each_day(client, world, page, role):
    read = PAGES[page]
    login(client, world[role])
    assert read(client, date(2023, 3, 6)) != read(client, date(2023, 3, 7))


def test_the_liaisons_chart_steps_only_at_month_ends(client, world):
    login(client, world["liaison"])
    for code in (CONSULTATIONS, PARTICIPANTS):
        _, points, _ = indicator_figures(client, date(2023, 12, 31), code)
        days = {day_of(x) for x, _ in points}
        assert days and all(day == month_end(day) for day in days), sorted(days)


def test_readers_of_the_records_see_the_chart_step_on_the_day(client, world):
    login(client, world["officer"])
    _, points, _ = indicator_figures(client, date(2023, 12, 31))
    assert date(2023, 3, 7) in {day_of(x) for x, _ in points}


def test_the_size_of_a_step_does_not_give_a_sessions_participants(client, world):
    """Two sessions in March (12 and 7 participants): the liaison sees one step of 19."""
    y_max = 19  # the year's total is above the target (5): it is the chart's top
    y_of_12 = round(240 - MARGIN - (240 - 2 * MARGIN) * 12 / y_max, 1)
    login(client, world["liaison"])
    _, points, counted = indicator_figures(client, date(2023, 12, 31), PARTICIPANTS)
    assert y_of_12 not in {y for _, y in points}
    html = _get(client, f"/targets/2023/{PARTICIPANTS}?as_of=2023-03-31")
    assert "12 participants" not in html and "7 participants" not in html
    assert not re.search(r'href="/events/\d', html)
    sign_in(client, world["officer"])
    _, points, _ = indicator_figures(client, date(2023, 12, 31), PARTICIPANTS)
    assert y_of_12 in {y for _, y in points}


def _moved(make_user, from_code, to_code, note, case_ref, recorder):
    """A record made under one type, then corrected into another by the coordinator."""
    from vscapp.events.checks import EventValues
    from vscapp.events.services import record_event, update_event

    event = record_event(EventValues(event_type(from_code), date(2023, 3, 7), note=note,
                                     case_ref=case_ref), recorder)
    update_event(event, EventValues(event_type(to_code), date(2023, 3, 9), note="Overleg"),
                 make_user("coordinator"))
    db.session.commit()
    return event


def test_a_consultation_moved_to_a_shared_type_keeps_its_past_from_the_liaison(
        client, world, make_user):
    event = _moved(make_user, "individual_consultation", "police_contact",
                   "Gesprek na schoolincident", "DOS-2023-7", world["officer"])
    login(client, world["liaison"])
    html = _get(client, f"/events/{event.id}")
    assert "Overleg" in html  # what the record is now, the liaison may read
    for secret in ("Gesprek na schoolincident", "DOS-2023-7", "individual_consultation",
                   "2023-03-07"):
        assert secret not in html
    assert "hidden" in html
    sign_in(client, world["coordinator"])
    assert "Gesprek na schoolincident" in _get(client, f"/events/{event.id}")


def test_and_the_other_way_round(client, world, make_user):
    """A sector-2 record moved into sector 1: the officer reads it now, not what it was."""
    event = _moved(make_user, "threat_analysis", "individual_consultation",
                   "Analyse van de wijk", "TA-12", world["liaison"])
    login(client, world["officer"])
    html = _get(client, f"/events/{event.id}")
    assert "Analyse van de wijk" not in html and "TA-12" not in html and "hidden" in html
    sign_in(client, world["liaison"])
    assert client.get(f"/events/{event.id}").status_code == 404


@pytest.fixture
def hidden_from_liaison(world):
    """A sector-2 social-prevention type: the liaison may record it, not read it."""
    kind = EventType(code="s2_social", name_nl="S2 sociaal", name_fr="S2 social", sector=2,
                     social_prevention=True)
    db.session.add(kind)
    db.session.commit()
    return make_event("s2_social", world["officer"], note="Vertrouwelijk")


def test_edit_and_void_need_the_right_to_read(client, world, hidden_from_liaison):
    event = hidden_from_liaison
    login(client, world["liaison"])
    for method, path in (("GET", ""), ("GET", "/edit"), ("POST", "/edit"), ("POST", "/void")):
        response = client.open(f"/events/{event.id}{path}", method=method,
                               data={"reason": "weg ermee", "event_type": "s2_social",
                                     "occurred_on": "2023-03-01", "quantity": "1"})
        assert response.status_code == 404, (method, path)
        assert "Vertrouwelijk" not in response.get_data(as_text=True)
    db.session.refresh(event)
    assert event.live and event.note == "Vertrouwelijk"
    assert db.session.get(Event, event.id).occurred_on == date(2023, 3, 1)


def test_probing_ids_cannot_tell_a_forbidden_record_from_a_missing_one(
        client, world, hidden_from_liaison):
    login(client, world["liaison"])
    existing = db.session.scalars(db.select(Event.id)).all()
    missing = max(existing) + 1
    for path in ("", "/edit"):
        probed = [i for i in existing if not _readable_by_liaison(i)] + [missing]
        answers = {client.get(f"/events/{i}{path}").status_code for i in probed}
        assert answers == {404}
    forbidden = next(i for i in existing if not _readable_by_liaison(i))
    assert _answer(client, forbidden) == _answer(client, missing)


def _answer(client, event_id):
    """The page a probe gets, its own address (in the language switch) left out."""
    html = client.get(f"/events/{event_id}").get_data(as_text=True)
    return html.replace(f"/events/{event_id}", "/events/ID")


def _readable_by_liaison(event_id):
    return not db.session.get(Event, event_id).event_type.social_prevention


def test_the_counts_table_moves_by_whole_month_only(client, world):
    """The activity counts on the list page do not follow each day's recording either."""
    from vscapp.events.services import counts_by_type

    for today in MARCH[:-1]:
        rows = {t.code: q for t, q, _ in counts_by_type(2023, world["liaison"], on=today).rows}
        assert rows["individual_consultation"] == 1
    rows = {t.code: q for t, q, _ in counts_by_type(2023, world["officer"], on=MARCH[8]).rows}
    assert rows["individual_consultation"] == 3
