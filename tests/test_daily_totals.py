"""The daily totals per activity type: after any sequence of records, corrections, voids and
CSV imports they equal the sum over the live events; the migration fills them from the events
already there; `vsc totals rebuild` recounts them; writers at the same time lose nothing."""

import threading
from collections import Counter
from datetime import date, timedelta

import pytest
from flask_migrate import downgrade, upgrade
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select, update

from helpers import counted_statements, event_type, make_event
from vscapp.events.checks import EventValues
from vscapp.events.importer import import_events
from vscapp.events.models import DailyTotal, Event
from vscapp.events.services import record_event, update_event, void_event
from vscapp.extensions import db
from vscapp.users.models import User

# Few types and days, so that operations keep landing on the same daily totals.
TYPES = ("individual_consultation", "project", "awareness_session")  # the last counts people
FIRST_DAY = date(2023, 3, 1)
DAYS = 4


def stored_totals():
    """{(type id, day): (events, quantity, participants)} as the table holds them."""
    rows = db.session.execute(select(DailyTotal.type_id, DailyTotal.day, DailyTotal.events,
                                     DailyTotal.quantity, DailyTotal.participants))
    return {(t, d): (n, q, p) for t, d, n, q, p in rows if (n, q, p) != (0, 0, 0)}


def counted_totals():
    """The same, summed in Python over the live events themselves."""
    totals = {}
    for event in db.session.scalars(select(Event).where(Event.voided_at.is_(None))):
        n, q, p = totals.get((event.type_id, event.occurred_on), (0, 0, 0))
        totals[(event.type_id, event.occurred_on)] = (n + 1, q + event.quantity,
                                                      p + (event.participants or 0))
    return totals


# --- what a person can do to the register -----------------------------------------------------

activity = st.fixed_dictionaries({
    "code": st.sampled_from(TYPES),
    "day": st.integers(0, DAYS - 1).map(lambda n: FIRST_DAY + timedelta(days=n)),
    "quantity": st.integers(1, 5),
    "participants": st.integers(0, 40),
})
operation = st.one_of(
    st.tuples(st.just("record"), activity),
    st.tuples(st.just("correct"), st.integers(0, 10_000), activity),
    st.tuples(st.just("void"), st.integers(0, 10_000)),
    st.tuples(st.just("import"), st.lists(activity, min_size=1, max_size=6)),
)


def values_of(row):
    kind = event_type(row["code"])
    return EventValues(kind, row["day"], row["quantity"],
                       row["participants"] if kind.needs_participants else None)


def csv_of(rows):
    lines = ["date;type;quantity;participants"]
    for row in rows:
        people = row["participants"] if event_type(row["code"]).needs_participants else ""
        lines.append(f"{row['day'].isoformat()};{row['code']};{row['quantity']};{people}")
    return "\n".join(lines) + "\n"


def apply(step, user):
    kind, *args = step
    live = db.session.scalars(select(Event).where(Event.voided_at.is_(None))
                              .order_by(Event.id)).all()
    if kind == "record":
        record_event(values_of(args[0]), user)
    elif kind == "import":
        import_events(csv_of(args[0]), user)
    elif live and kind == "correct":
        update_event(live[args[0] % len(live)], values_of(args[1]), user)
    elif live and kind == "void":
        void_event(live[args[0] % len(live)], "recorded by mistake", user)
    db.session.commit()


@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator")


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(operation, min_size=1, max_size=8))
def test_daily_totals_equal_the_live_events_after_any_changes(coordinator, steps):
    """The examples share one database, so each one goes on from where the last one left."""
    for step in steps:
        apply(step, coordinator)
        db.session.expire_all()
        assert stored_totals() == counted_totals(), step


def test_a_correction_moves_the_amounts_to_the_new_type_and_day(app, make_user):
    officer = make_user("officer")
    event = make_event("individual_consultation", officer, on=date(2023, 3, 1), quantity=3)
    update_event(event, values_of({"code": "project", "day": date(2023, 3, 9), "quantity": 2,
                                   "participants": 0}), officer)
    db.session.commit()
    project = event_type("project").id
    assert stored_totals() == {(project, date(2023, 3, 9)): (1, 2, 0)}


def test_an_import_writes_one_upsert_per_type_and_day(app, make_user):
    coordinator = make_user("coordinator")
    rows = [{"code": TYPES[n % 2], "day": FIRST_DAY + timedelta(days=n % 3), "quantity": 1,
             "participants": 0} for n in range(60)]
    with counted_statements() as statements:
        import_events(csv_of(rows), coordinator)
    db.session.commit()
    upserts = [s for s in statements if s.lstrip().startswith("INSERT INTO daily_total")]
    assert len(upserts) == 1  # one statement, its rows one per (type, day)
    assert sum(n for n, _q, _p in stored_totals().values()) == 60
    assert len(stored_totals()) == 6


def test_the_migration_fills_the_daily_totals_from_the_events_already_there(app, make_user):
    officer_id = make_user("officer").id  # read now: the downgraded table has fewer columns
    db.session.rollback()  # and end the read's transaction: its lock would block the downgrade
    downgrade(revision="0010")  # the revision before the daily totals
    consultation, project = event_type("individual_consultation").id, event_type("project").id
    rows = [(consultation, date(2023, 1, 5), 2, None, None),
            (consultation, date(2023, 1, 5), 1, None, None),
            (project, date(2023, 2, 1), 4, None, None),
            (project, date(2023, 2, 2), 7, None, date(2023, 2, 3))]  # voided
    db.session.execute(insert(Event), [
        {"type_id": t, "occurred_on": d, "quantity": q, "participants": p,
         "created_by_id": officer_id, "voided_at": v} for t, d, q, p, v in rows])
    db.session.commit()
    db.session.remove()
    upgrade()
    assert stored_totals() == {(consultation, date(2023, 1, 5)): (2, 3, 0),
                               (project, date(2023, 2, 1)): (1, 4, 0)}


def test_totals_rebuild_recounts_and_says_what_differed(app, runner, make_user):
    officer = make_user("officer")
    make_event("individual_consultation", officer, on=date(2023, 4, 2), quantity=2)
    make_event("project", officer, on=date(2023, 4, 3))
    result = runner.invoke(args=["totals", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "matched" in result.output

    right = stored_totals()
    db.session.execute(update(DailyTotal).where(DailyTotal.day == date(2023, 4, 2))
                       .values(quantity=5))
    db.session.execute(insert(DailyTotal).values(type_id=event_type("project").id,
                                                 day=date(2023, 4, 9), events=1, quantity=1,
                                                 participants=0))
    db.session.commit()
    result = runner.invoke(args=["totals", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "2023-04-02 individual_consultation: stored 1/5/0, events say 1/2/0" in result.output
    assert "2023-04-09 project: stored 1/1/0, events say 0/0/0" in result.output
    assert "differed from the events on 2 day(s)" in result.output
    db.session.expire_all()
    assert stored_totals() == right


def test_people_recording_on_the_same_day_at_once_lose_nothing(app, make_user):
    """Each thread has its own session and connection, as gunicorn's threads do."""
    officer_id = make_user("officer").id
    writers, each = 4, 5
    start = threading.Barrier(writers)
    errors = []

    def record_some():
        with app.app_context():
            try:
                user = db.session.get(User, officer_id)
                start.wait()
                for _ in range(each):
                    record_event(values_of({"code": "project", "day": FIRST_DAY,
                                            "quantity": 2, "participants": 0}), user)
                    db.session.commit()
            except Exception as exc:  # reported by the assertion below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=record_some) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.expire_all()
    assert stored_totals() == {(event_type("project").id, FIRST_DAY):
                               (writers * each, 2 * writers * each, 0)}
    assert Counter(e.type_id for e in db.session.scalars(select(Event))) == Counter(
        {event_type("project").id: writers * each})

