"""The coordinator manages accounts in the interface: create, change role, deactivate."""

from sqlalchemy import select

from helpers import PASSWORD, login
from vscapp.audit.models import AuditEntry
from vscapp.extensions import db
from vscapp.users.models import User


def new_account(client, **fields):
    data = {"email": "nieuw@molenbeek.brussels", "role": "officer", "language": "fr", "active": "y",
            **fields}
    return client.post("/users/new", data=data)


def test_coordinator_creates_an_account(app, client, as_role, smtp):
    # signing in with it, through the mailed link: tests/test_passwords.py
    coordinator = as_role("coordinator")
    assert new_account(client).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "nieuw@molenbeek.brussels"))
    assert (user.role, user.language, user.active) == ("officer", "fr", True)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.create")
                              .where(AuditEntry.entity_id == str(user.id)))
    assert entry.actor_id == coordinator.id and entry.actor_label == coordinator.email


def test_bad_accounts_are_refused_with_a_message(client, as_role, make_user):
    as_role("coordinator")
    taken = make_user("officer")
    cases = [({"email": taken.email}, "already exists"),
             ({"email": "not an email"}, "Invalid email address."),
             ({"role": "chief"}, "Not a valid choice.")]
    for fields, message in cases:
        response = new_account(client, **fields)
        assert message in response.get_data(as_text=True), fields
    assert db.session.scalar(select(User).where(User.email == "nieuw@molenbeek.brussels")) is None


def test_change_role_and_deactivate_never_delete(app, client, as_role, make_user):
    as_role("coordinator")
    user = make_user("officer")
    response = client.post(f"/users/{user.id}", data={"role": "liaison", "language": "nl"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.role, user.active) == ("liaison", False)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.update"))
    assert entry.before == {"email": user.email, "role": "officer", "language": "en",
                            "active": True, "alert_delivery": "immediate"}
    assert entry.after["role"] == "liaison" and entry.after["active"] is False
    other = app.test_client()
    assert other.post("/login", data={"email": user.email, "password": PASSWORD}
                      ).status_code == 200
    assert db.session.get(User, user.id) is not None


def test_coordinator_cannot_lock_themselves_out(client, as_role):
    me = as_role("coordinator")
    response = client.post(f"/users/{me.id}", data={"role": "officer", "language": "nl",
                                                    "active": "y"})
    assert "You cannot deactivate your own account" in response.get_data(as_text=True)
    db.session.refresh(me)
    assert me.role == "coordinator" and me.active


def test_no_route_deletes_an_account(client, as_role, make_user):
    as_role("coordinator")
    user = make_user("officer")
    assert client.delete(f"/users/{user.id}").status_code == 405
    assert db.session.get(User, user.id) is not None


def test_officer_cannot_manage_accounts(client, as_role, make_user):
    user = make_user("officer")
    login(client, make_user("officer"))
    assert client.post(f"/users/{user.id}", data={"role": "coordinator"}).status_code == 403
    db.session.refresh(user)
    assert user.role == "officer"
