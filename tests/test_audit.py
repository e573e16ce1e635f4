"""The audit trail in words: when, who, what, a link where the reader may open the object, the
values a change replaced, and a filter in words; the wall holds there too."""

from datetime import date, timedelta

from sqlalchemy import select

from helpers import event_type, login, make_event
from vscapp.audit import readable
from vscapp.audit.models import AuditEntry
from vscapp.events.checks import EventValues
from vscapp.events.services import update_event, void_event
from vscapp.extensions import db


def entry_of(action):
    return db.session.scalar(select(AuditEntry).where(AuditEntry.action == action)
                             .order_by(AuditEntry.id.desc()))


def test_changing_ones_own_account_names_the_account_not_a_proxy(client, make_user):
    user = make_user("liaison")
    login(client, user)
    client.post("/account", data={"language": "fr", "alert_delivery": "digest"})
    entry = entry_of("user.update")
    assert (entry.entity_type, entry.entity_id) == ("User", str(user.id))
    client.post("/logout")
    login(client, make_user("coordinator"))
    page = client.get("/audit/").get_data(as_text=True)
    assert "LocalProxy" not in page
    assert f"changed the account of {user.email}" in page
    assert "Language: English → Français" in page
    assert "Alert e-mails: One e-mail per alert, at once → A weekly digest" in page
    assert f'href="/users/{user.id}"' in page


def test_activities_in_words_with_a_link_and_the_values_before_and_after(client, make_user):
    officer = make_user("officer")
    event = make_event("individual_consultation", officer, on=date(2023, 3, 1))
    update_event(event, EventValues(event_type("individual_consultation"), date(2023, 3, 2), 2,
                                    None, None, None), officer)
    db.session.commit()
    coordinator = make_user("coordinator")
    login(client, coordinator)
    page = client.get("/audit/").get_data(as_text=True)
    assert f"recorded activity #{event.id}" in page
    assert f"corrected activity #{event.id}" in page
    assert "Quantity: 1 → 2" in page and "Date: Mar 1, 2023 → Mar 2, 2023" in page
    assert f'href="/events/{event.id}"' in page and officer.email in page
    table = page.split('id="audit"', 1)[1]
    assert "event.create" not in table and "event.update" not in table


def test_the_filter_in_words_by_kind_person_object_and_days(client, make_user, rules_2023):
    officer, liaison = make_user("officer"), make_user("liaison")
    consultation = make_event("individual_consultation", officer)
    contact = make_event("police_contact", liaison)
    void_event(contact, "Recorded twice", liaison)
    db.session.commit()
    login(client, make_user("coordinator"))
    page = client.get("/audit/").get_data(as_text=True)
    assert '<option value="event.void">Activity voided</option>' in page
    assert "activated rules version 1 of 2023" in page
    assert "Why:</span> Initial 2023 targets" in page
    voided = client.get("/audit/?action=event.void").get_data(as_text=True)
    assert f"voided activity #{contact.id}" in voided
    assert f"recorded activity #{consultation.id}" not in voided
    assert "Recorded twice" in voided
    by_officer = client.get(f"/audit/?person={officer.email}").get_data(as_text=True)
    assert f"activity #{consultation.id}" in by_officer and f"#{contact.id}" not in by_officer
    by_object = client.get(f"/audit/?entity_type=Event&entity_id=%23{contact.id}").get_data(
        as_text=True)
    assert f"activity #{contact.id}" in by_object
    assert f"activity #{consultation.id}" not in by_object
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    old = client.get(f"/audit/?date_to={yesterday}").get_data(as_text=True)
    assert "Nothing matches this filter." in old
    recent = client.get(f"/audit/?date_from={yesterday}").get_data(as_text=True)
    assert f"activity #{contact.id}" in recent


def test_the_trail_holds_the_wall(app, make_user):
    officer, liaison = make_user("officer"), make_user("liaison")
    consultation = make_event("individual_consultation", officer, note="Atelier confidentiel")
    contact = make_event("police_contact", liaison)
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    with app.test_request_context():
        seen = {item.entry.entity_id: item for item in readable.items(entries, liaison)
                if item.entry.entity_type == "Event"}
    hidden = seen[str(consultation.id)]
    assert hidden.hidden and hidden.link is None and not hidden.changes
    assert "Atelier confidentiel" not in repr(hidden.__dict__.get("changes"))
    shown = seen[str(contact.id)]
    assert not shown.hidden and shown.link == f"/events/{contact.id}"
