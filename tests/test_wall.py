"""The wall's parts one by one: month arithmetic, the granularity decision, alerts by month,
erasure (on SQLite and PostgreSQL) and the audited reads of social-prevention records."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Text, cast, func, inspect, select, table

from helpers import RULES_2023, counted_statements, event_type, login, make_event
from vscapp import months, permissions
from vscapp.alerts import services as alerts
from vscapp.alerts.models import Alert, OutboxMessage
from vscapp.audit.models import AuditEntry
from vscapp.events.checks import EventValues
from vscapp.events.services import record_event, update_event
from vscapp.extensions import SEARCH_TABLE, db
from vscapp.targets import services as targets
from vscapp.vocabulary import Granularity


@pytest.mark.parametrize(("day", "expected"), [
    (date(2023, 3, 1), date(2023, 2, 28)), (date(2023, 3, 30), date(2023, 2, 28)),
    (date(2023, 3, 31), date(2023, 3, 31)), (date(2024, 2, 29), date(2024, 2, 29)),
    (date(2023, 1, 15), date(2022, 12, 31)),
])
def test_the_month_cut_off(day, expected):
    assert months.cutoff(day) == expected


def test_month_ends_and_monthly_sums():
    assert months.month_ends(date(2023, 1, 1), date(2023, 3, 30)) == [date(2023, 1, 31),
                                                                       date(2023, 2, 28)]
    daily = {date(2023, 3, 7): 1, date(2023, 3, 15): 2, date(2023, 4, 1): 5}
    assert months.by_month(daily) == {date(2023, 3, 31): 3, date(2023, 4, 30): 5}
    assert months.next_month(date(2023, 12, 5)) == date(2024, 1, 1)


def test_one_decision_for_the_grain(app, make_user):
    liaison, officer, coordinator = (make_user(r) for r in ("liaison", "officer", "coordinator"))
    consultation, contact = event_type("individual_consultation"), event_type("police_contact")
    assert permissions.granularity(liaison, [consultation]) is Granularity.MONTH
    assert permissions.granularity(liaison, [contact]) is Granularity.DAY
    assert permissions.granularity(liaison, [contact, consultation]) is Granularity.MONTH
    assert permissions.granularity(officer, [consultation, contact]) is Granularity.DAY
    assert permissions.granularity(coordinator, [event_type("threat_analysis"),
                                                 consultation]) is Granularity.DAY


# --- alerts ------------------------------------------------------------------------------

@pytest.fixture
def liaison_alerted(plan_2023, make_user):
    """The 2023 rules, naming the liaison too for every indicator that goes off target."""
    text = RULES_2023.read_text(encoding="utf-8").replace(
        "alerts:\n  off_target: [coordinator]\n", "alerts:\n  off_target: [coordinator, liaison]\n")
    version = targets.save_version(text, "test")
    targets.activate(version, "the liaison follows everything")
    db.session.commit()
    return make_user("liaison", email="liaison@molenbeek.brussels")


def _about(inbox, code, to):
    return [m for m in inbox.messages if code in m["Subject"] and m["To"] == to]


def test_an_alert_to_the_liaison_waits_for_the_month_and_tells_only_the_month(
        liaison_alerted, make_user, smtp):
    coordinator = make_user("coordinator", email="coord@molenbeek.brussels")
    alerts.run(date(2023, 6, 15), now=datetime(2023, 6, 15, 6, tzinfo=UTC))
    assert _about(smtp, "S1.SD1.OD2.I1", coordinator.email)  # the coordinator: at once
    assert not _about(smtp, "S1.SD1.OD2.I1", liaison_alerted.email)
    assert _about(smtp, "S1.SD4.OD2.I1", liaison_alerted.email)  # police contacts: readable
    held = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.user_id == liaison_alerted.id, OutboxMessage.sent_at.is_(None)))
    assert held.hold_until == date(2023, 7, 1)
    alerts.send_pending(alerts.RunReport(2023), now=datetime(2023, 6, 30, 21, tzinfo=UTC))
    assert not _about(smtp, "S1.SD1.OD2.I1", liaison_alerted.email)
    alerts.send_pending(alerts.RunReport(2023), now=datetime(2023, 7, 1, 6, tzinfo=UTC))
    [message] = _about(smtp, "S1.SD1.OD2.I1", liaison_alerted.email)
    for part in ("plain", "html"):
        body = message.get_body(preferencelist=(part,)).get_content()
        assert "June 2023" in body and "as_of=2023-06-30" in body
        assert "2023-06-15" not in body and "Value:" not in body


def test_the_alerts_page_shows_the_liaison_whole_months_only(
        client, liaison_alerted, make_user, smtp):
    alerts.run(date(2023, 6, 15), now=datetime(2023, 6, 15, 6, tzinfo=UTC))
    everything = db.session.scalars(select(Alert)).all()
    during = alerts.for_reader(everything, liaison_alerted, today=date(2023, 6, 20))
    # what it may read by day, yes; a consultations' alert not before its month is over
    assert "S1.SD4.OD2.I1" in {v.alert.code for v in during}
    assert "S1.SD1.OD2.I1" not in {v.alert.code for v in during}
    after = {v.alert.code: v.by_month
             for v in alerts.for_reader(everything, liaison_alerted, today=date(2023, 7, 1))}
    assert after["S1.SD1.OD2.I1"] is True and after["S1.SD4.OD2.I1"] is False
    coordinator = make_user("coordinator")
    assert not any(v.by_month for v in alerts.for_reader(everything, coordinator))
    login(client, liaison_alerted)
    html = client.get("/alerts/").get_data(as_text=True)
    assert "June 2023" in html and "S1.SD4.OD2.I1?as_of=2023-06-15" in html  # police contacts
    assert "S1.SD1.OD2.I1?as_of" not in html
    card = html[html.index('<span class="code">S1.SD1.OD2.I1'):]
    assert "in June 2023" in card[:card.index("</article>")]
    table = html[html.index('id="alert-history"'):]
    row = table[table.index('<span class="code">S1.SD1.OD2.I1'):]
    row = row[:row.index("</tr>")]
    assert "by month" in row and "15" not in row


# --- erasure -----------------------------------------------------------------------------

SECRET, CASE = "Jan Peeters belde zijn moeder", "JP-1985-0042"


def _everywhere(text):
    """(table, column) of every stored value that contains `text`, in every table (SQLite's
    search table reads its texts from `event` itself; its own storage, the shadow tables, is
    searched too)."""
    found, inspector = [], inspect(db.engine)
    for name in inspector.get_table_names():
        if name == SEARCH_TABLE:
            continue
        for column in inspector.get_columns(name):
            col = table(name, db.column(column["name"])).c[column["name"]]
            hits = db.session.scalar(select(func.count()).select_from(col.table)
                                     .where(cast(col, Text).contains(text, autoescape=True)))
            if hits:
                found.append((name, column["name"]))
    return found


@pytest.fixture
def corrected(app, make_user):
    """A consultation whose note held personal data, corrected away but kept in the history."""
    officer = make_user("officer")
    event = record_event(EventValues(event_type("individual_consultation"), date(2023, 3, 7),
                                     note=SECRET, case_ref=CASE), officer)
    update_event(event, EventValues(event_type("individual_consultation"), date(2023, 3, 7),
                                    note="Gesprek", case_ref=CASE), officer)
    event_id = event.id
    db.session.commit()
    return db.session.get(type(event), event_id)


def test_the_coordinator_erases_a_text_from_every_table(client, corrected, make_user):
    assert {t for t, _ in _everywhere(SECRET)} == {"audit_entry"}
    assert {t for t, _ in _everywhere(CASE)} == {"event", "audit_entry"}
    login(client, make_user("coordinator"))
    response = client.post(f"/events/{corrected.id}/redact",
                           data={"note": "y", "case_ref": "y", "reason": "Naam in de notitie"})
    assert response.status_code == 302
    db.session.expire_all()
    assert _everywhere(SECRET) == [] and _everywhere(CASE) == []
    assert corrected.note is None and corrected.case_ref is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.redact"))
    assert entry.reason == "Naam in de notitie" and entry.after["fields"] == ["note", "case_ref"]
    assert entry.actor_label.startswith("coordinator")
    html = client.get(f"/events/{corrected.id}").get_data(as_text=True)
    assert "erased" in html and "Naam in de notitie" in html


def test_erasing_needs_a_reason_and_a_field(client, corrected, make_user):
    login(client, make_user("coordinator"))
    for data in ({"note": "y"}, {"reason": "Naam in de notitie"},
                 {"note": "y", "reason": f"Notitie: {SECRET}"}):  # no personal data in it
        assert client.post(f"/events/{corrected.id}/redact", data=data).status_code == 400
    assert _everywhere(SECRET)
    html = client.get(f"/events/{corrected.id}").get_data(as_text=True)
    assert "<details" in html and f'action="/events/{corrected.id}/redact"' in html


def test_the_erasure_form_is_the_coordinators(client, corrected, make_user):
    login(client, make_user("officer"))
    html = client.get(f"/events/{corrected.id}").get_data(as_text=True)
    assert "/redact" not in html
    assert client.post(f"/events/{corrected.id}/redact",
                       data={"note": "y", "reason": "zomaar"}).status_code == 403
    assert _everywhere(SECRET)


def test_the_erasure_form_carries_a_csrf_token(csrf_app, make_user):
    officer = make_user("officer")
    event = make_event("individual_consultation", officer, note="Gesprek")
    client = csrf_app.test_client()
    login_with_csrf(client, make_user("coordinator"))
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    form = html[html.index(f'action="/events/{event.id}/redact"'):]
    assert 'name="csrf_token"' in form[:form.index("</form>")]
    refused = client.post(f"/events/{event.id}/redact", data={"note": "y", "reason": "zomaar"})
    assert refused.status_code == 400
    db.session.refresh(event)
    assert event.note == "Gesprek"


def login_with_csrf(client, user):
    from helpers import PASSWORD, csrf_token

    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302


# --- audited reads -----------------------------------------------------------------------

def test_opening_a_social_prevention_record_is_audited_in_one_insert(client, app, make_user):
    officer = make_user("officer")
    consultation = make_event("individual_consultation", officer)
    contact = make_event("police_contact", officer)
    login(client, officer)
    with counted_statements() as statements:
        assert client.get(f"/events/{consultation.id}").status_code == 200
    writes = [s for s in statements if not s.lstrip().upper().startswith(("SELECT", "PRAGMA"))]
    assert len([s for s in writes if s.lstrip().upper().startswith("INSERT")]) == 1, writes
    assert client.get(f"/events/{consultation.id}/edit").status_code == 200
    assert client.get(f"/events/{contact.id}").status_code == 200
    reads = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "event.read")).all()
    assert [(r.entity_id, r.actor_id) for r in reads] == [(str(consultation.id), officer.id)] * 2
    assert "event.read" not in client.get(f"/events/{consultation.id}").get_data(as_text=True)


def test_the_coordinator_lists_the_reads(client, make_user):
    officer = make_user("officer")
    consultation = make_event("individual_consultation", officer)
    login(client, officer)
    client.get(f"/events/{consultation.id}")
    client.post("/logout")
    login(client, make_user("coordinator"))
    reads = client.get("/audit/?kind=reads").get_data(as_text=True)
    assert f"opened the details of activity #{consultation.id}" in reads
    assert "recorded activity" not in reads  # the reads alone
    assert officer.email in reads
    assert f"/events/{consultation.id}" in reads
    changes = client.get("/audit/").get_data(as_text=True)
    assert "event.read" not in changes
