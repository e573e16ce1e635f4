"""Recording, listing, correcting and voiding activities; what each role may see."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from helpers import event_type, make_event
from vscapp.audit.models import AuditEntry
from vscapp.events.models import Event
from vscapp.extensions import db
from vscapp.months import cutoff


def record(client, **fields):
    data = {"event_type": "individual_consultation", "occurred_on": "2023-03-01",
            "quantity": "1", "participants": "", "note": "", "case_ref": "", **fields}
    return client.post("/events/new", data=data)


def stored():
    return db.session.scalars(select(Event).order_by(Event.id)).all()


def test_officer_records_a_consultation_with_its_audit_entry(client, as_role):
    officer = as_role("officer")
    response = record(client, note="Eerste gesprek, doorverwezen", case_ref="RAD-2023-014")
    assert response.status_code == 302
    (event,) = stored()
    assert (event.event_type.code, event.occurred_on, event.quantity) == (
        "individual_consultation", date(2023, 3, 1), 1)
    assert event.created_by_id == officer.id and event.case_ref == "RAD-2023-014"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.create"))
    assert entry.actor_id == officer.id and entry.entity_id == str(event.id)
    assert entry.after["note"] == "Eerste gesprek, doorverwezen"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Activity recorded." in page


def test_awareness_session_needs_its_participants(client, as_role):
    as_role("officer")
    response = record(client, event_type="awareness_session")
    assert response.status_code == 200
    assert "Give the number of participants of this activity." in response.get_data(as_text=True)
    assert stored() == []
    assert record(client, event_type="awareness_session", participants="14").status_code == 302
    assert stored()[0].participants == 14


@pytest.mark.parametrize(("fields", "message"), [
    ({"participants": "3"}, "This activity does not count participants"),
    ({"occurred_on": (date.today() + timedelta(days=1)).isoformat()}, "in the future"),
    ({"occurred_on": "1999-12-31"}, "from 2000 on"),
    ({"occurred_on": "31/02/2023"}, "Not a valid date value."),
    ({"quantity": "0"}, "Number must be between 1 and 1000."),
    ({"quantity": "many"}, "Not a valid integer value."),
    ({"event_type": "no_such_type"}, "Not a valid choice."),
    ({"note": "Mr X, 85.07.30-033.28, came by"}, "a national register or BIS number"),
    ({"note": "Wrote to jan.peeters@example.be"}, "an e-mail address"),
    ({"note": "Called him on 0470 12 34 56"}, "a phone number"),
    ({"case_ref": "Jan Peeters"}, "no spaces"),
    ({"case_ref": "85073003328"}, "a national register or BIS number"),
    ({"note": "x" * 501}, "Field cannot be longer than 500 characters."),
    ({"note": "Gesprek\x07 op school"}, "invisible control character"),
    ({"note": "Gesprek\x1b[31m"}, "invisible control character"),
])
def test_bad_input_gets_a_clear_message_and_stores_nothing(client, as_role, fields, message):
    as_role("officer")
    response = record(client, **fields)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert stored() == []


def test_the_form_warns_against_personal_data(client, as_role):
    as_role("officer")
    html = client.get("/events/new").get_data(as_text=True)
    assert "Record activities, not people" in html
    assert "No names, addresses, national numbers" in html


def test_correcting_keeps_before_and_after_in_the_audit_trail(client, as_role):
    officer = as_role("officer")
    event = make_event("individual_consultation", officer, quantity=1)
    response = client.post(f"/events/{event.id}/edit", data={
        "event_type": "individual_consultation", "occurred_on": "2023-03-02", "quantity": "2"})
    assert response.status_code == 302
    db.session.refresh(event)
    assert (event.occurred_on, event.quantity, event.updated_by_id) == (
        date(2023, 3, 2), 2, officer.id)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.update"))
    assert entry.before["quantity"] == 1 and entry.after["quantity"] == 2
    assert entry.before["occurred_on"] == "2023-03-01" and entry.after["occurred_on"] == \
        "2023-03-02"
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "quantity: 1 → 2" in html


def test_voiding_keeps_the_row_and_the_reason(client, as_role):
    officer = as_role("officer")
    event = make_event("individual_consultation", officer)
    assert client.post(f"/events/{event.id}/void", data={"reason": ""}).status_code == 400
    response = client.post(f"/events/{event.id}/void", data={"reason": "Recorded twice"})
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.voided_at is not None and event.void_reason == "Recorded twice"
    assert event.voided_by_id == officer.id
    assert db.session.scalar(select(func.count(Event.id))) == 1
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.void"))
    assert entry.reason == "Recorded twice"
    # a void record can no longer be corrected, nor voided again
    assert client.get(f"/events/{event.id}/edit").status_code == 403
    assert client.post(f"/events/{event.id}/void", data={"reason": "again"}).status_code == 403


def test_voided_events_leave_the_list_and_the_counts(client, as_role):
    officer = as_role("officer")
    kept = make_event("individual_consultation", officer, on=date.today())
    gone = make_event("individual_consultation", officer, on=date.today(), note="tweede")
    client.post(f"/events/{gone.id}/void", data={"reason": "duplicate"})
    html = client.get("/events/").get_data(as_text=True)
    assert f"/events/{kept.id}\"" in html and f"/events/{gone.id}\"" not in html
    html = client.get("/events/?show_voided=y").get_data(as_text=True)
    assert f"/events/{gone.id}\"" in html
    counts = {t.code: q for t, q, _ in _counts(date.today().year, officer)}
    assert counts["individual_consultation"] == 1


def _counts(year, reader):
    from vscapp.events.services import counts_by_type

    return counts_by_type(year, reader).rows


def test_list_filters_by_type_and_dates(client, as_role):
    officer = as_role("officer")
    march = make_event("individual_consultation", officer, on=date(2023, 3, 1))
    june = make_event("individual_consultation", officer, on=date(2023, 6, 1))
    project = make_event("project", officer, on=date(2023, 6, 2))
    html = client.get("/events/?event_type=individual_consultation&date_from=2023-05-01"
                      ).get_data(as_text=True)
    assert f"/events/{june.id}\"" in html
    assert f"/events/{march.id}\"" not in html and f"/events/{project.id}\"" not in html


def test_liaison_sees_counts_of_social_prevention_records_but_not_their_details(
        client, make_user, as_role):
    officer = make_user("officer")
    month_end = cutoff(date.today())  # the liaison counts them by whole month
    consultation = make_event("individual_consultation", officer, on=month_end, quantity=3,
                              note="Gesprek op school")
    liaison = as_role("liaison")
    html = client.get(f"/events/?date_from={month_end.year}-01-01").get_data(as_text=True)
    assert f"/events/{consultation.id}\"" not in html
    assert "Gesprek op school" not in html
    counts = {t.code: q for t, q, _ in _counts(month_end.year, liaison)}
    assert counts["individual_consultation"] == 3
    assert "Individuele raadpleging" in html  # the count row
    assert client.get(f"/events/{consultation.id}").status_code == 404
    assert client.get("/events/?event_type=individual_consultation").status_code == 200


def test_liaison_records_police_contacts_and_sector_2_but_not_consultations(client, as_role):
    as_role("liaison")
    html = client.get("/events/new").get_data(as_text=True)
    assert 'value="police_contact"' in html and 'value="threat_analysis"' in html
    assert 'value="individual_consultation"' not in html
    assert record(client, event_type="individual_consultation").status_code == 200
    assert record(client, event_type="police_contact").status_code == 302
    assert record(client, event_type="threat_analysis").status_code == 302
    assert [e.event_type.code for e in stored()] == ["police_contact", "threat_analysis"]


def test_officer_cannot_record_sector_2(client, as_role):
    as_role("officer")
    response = record(client, event_type="threat_analysis")
    assert "Not a valid choice." in response.get_data(as_text=True)
    assert stored() == []


def test_coordinator_adds_and_renames_an_event_type_but_never_its_code(client, as_role):
    as_role("coordinator")
    response = client.post("/events/types/new", data={
        "code": "school_visit", "name_nl": "Schoolbezoek", "name_fr": "Visite d'école",
        "sector": "1", "social_prevention": "y", "active": "y"})
    assert response.status_code == 302
    visit = event_type("school_visit")
    assert (visit.name_fr, visit.sector, visit.social_prevention) == ("Visite d'école", 1, True)
    response = client.post(f"/events/types/{visit.id}", data={
        "code": "renamed", "name_nl": "Bezoek aan een school", "name_fr": "Visite d'école",
        "sector": "1", "social_prevention": "y", "active": "y"})
    assert response.status_code == 302
    db.session.refresh(visit)
    assert (visit.code, visit.name_nl) == ("school_visit", "Bezoek aan een school")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event_type.update"))
    assert entry.before["name_nl"] == "Schoolbezoek"
    assert entry.after["name_nl"] == "Bezoek aan een school"


def test_a_duplicate_event_type_code_is_refused(client, as_role):
    as_role("coordinator")
    response = client.post("/events/types/new", data={
        "code": "project", "name_nl": "X", "name_fr": "X", "sector": "1", "active": "y"})
    assert "Another activity type already has this code." in response.get_data(as_text=True)


def test_an_inactive_type_can_no_longer_be_recorded(client, as_role):
    as_role("officer")
    event_type("project").active = False
    db.session.commit()
    assert "Not a valid choice." in record(client, event_type="project").get_data(as_text=True)
