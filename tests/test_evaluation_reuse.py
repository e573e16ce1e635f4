"""Evaluation computed once per change: results are reused, keyed by year, rules version, date
and the data version that every write bumps, until something changes them, in every process."""

import threading
from datetime import date

import pytest

from fixtures.database import make_app
from helpers import RULES_2023, make_event
from vscapp.events.services import void_event
from vscapp.extensions import db
from vscapp.targets import services

AS_OF = date(2023, 9, 30)
CONSULTATIONS = "S1.SD1.OD2.I1"  # at least 10 individual consultations


@pytest.fixture
def engine_calls(monkeypatch):
    """How many times the engine evaluated (the real engine runs each time)."""
    calls = []
    real = services.evaluate

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "evaluate", counting)
    return calls


def consultations(client):
    html = client.get(f"/?as_of={AS_OF.isoformat()}").get_data(as_text=True)
    return html.split(f'data-code="{CONSULTATIONS}"')[1].split('class="card-numbers">')[1][:8]


def test_two_dashboard_loads_evaluate_once(client, as_role, rules_2023, engine_calls):
    as_role("coordinator")
    assert client.get("/?as_of=2023-09-30").status_code == 200
    assert client.get("/?as_of=2023-09-30").status_code == 200
    assert len(engine_calls) == 1
    info = services.evaluations().cache_info()
    assert (info.hits, info.misses) == (1, 1)


def test_a_recorded_or_voided_event_changes_the_next_result(client, as_role, rules_2023,
                                                           engine_calls):
    officer = as_role("coordinator")
    assert consultations(client).startswith("0 of 10")
    event = make_event("individual_consultation", officer, on=date(2023, 5, 1), quantity=3)
    assert consultations(client).startswith("3 of 10")
    void_event(event, "recorded twice", officer)
    db.session.commit()
    assert consultations(client).startswith("0 of 10")
    assert len(engine_calls) == 3


def test_a_rules_activation_changes_the_next_result(client, as_role, rules_2023):
    as_role("coordinator")
    assert consultations(client).startswith("0 of 10")
    stricter = RULES_2023.read_text(encoding="utf-8").replace(
        "events: [individual_consultation]\n    target: 10",
        "events: [individual_consultation]\n    target: 12")
    services.activate(services.save_version(stricter, "test"), "stricter")
    db.session.commit()
    assert consultations(client).startswith("0 of 12")
    services.activate(rules_2023, "back to the first version")
    db.session.commit()
    assert consultations(client).startswith("0 of 10")


def test_another_worker_sees_a_change_made_through_this_one(database_url, app, rules_2023,
                                                           make_user):
    """A second app on the same database stands for another gunicorn worker, with its own
    cache."""
    officer = make_user("officer")
    other_worker = make_app(database_url)

    def value_there():
        with other_worker.app_context():
            try:
                return next(r.value for r in services.evaluate_year(2023, AS_OF)
                            if r.code == CONSULTATIONS)
            finally:
                db.session.remove()

    assert value_there() == 0
    assert value_there() == 0
    make_event("individual_consultation", officer, on=date(2023, 5, 1), quantity=2)
    assert value_there() == 2
    with other_worker.app_context():
        info = services.evaluations().cache_info()
        db.engine.dispose()
    assert (info.hits, info.misses) == (1, 2)


def test_sixteen_readers_at_once_cause_one_evaluation(app, rules_2023, engine_calls):
    readers = 16
    start = threading.Barrier(readers)
    values, errors = [], []

    def read():
        with app.app_context():
            try:
                start.wait()
                values.append(len(services.evaluate_year(2023, AS_OF)))
            except Exception as exc:  # reported by the assertion below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=read) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and values == [13] * readers
    assert len(engine_calls) == 1
