"""Sessions that end: sign-out, a new password and deactivation end every session of the account,
on every device and remember-me cookies included; the CSRF token changes at sign-in; session
protection believes X-Forwarded-For only behind a configured proxy."""

import pytest
from flask_login.utils import encode_cookie

from helpers import PASSWORD, csrf_token, login
from vscapp.extensions import db
from vscapp.users import services as accounts

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def two_devices(app, make_user):
    """One officer signed in on two devices (two clients, two cookie jars)."""
    user = make_user("officer")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user)
    login(phone, user)
    assert laptop.get("/events/").status_code == phone.get("/events/").status_code == 200
    return user, laptop, phone


def signed_in(client):
    return client.get("/events/").status_code == 200


def remember_me(app, client, user):
    """A remember-me cookie for the account as it stands now, as Flask-Login sets it."""
    client.set_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"),
                      encode_cookie(user.get_id()))


def test_signing_out_ends_the_session_on_every_device(two_devices):
    user, laptop, phone = two_devices
    assert laptop.post("/logout").status_code == 302
    assert not signed_in(laptop)
    assert not signed_in(phone)
    login(phone, user)  # signing in again works, of course
    assert signed_in(phone)


def test_a_remember_me_cookie_dies_with_the_sessions(app, two_devices):
    user, laptop, _ = two_devices
    kept = app.test_client()
    remember_me(app, kept, user)
    assert signed_in(kept)  # the cookie works while the account's sessions last
    stolen = app.test_client()
    remember_me(app, stolen, user)
    laptop.post("/logout")
    assert not signed_in(stolen)


def test_a_cookie_with_the_bare_id_signs_nobody_in(app, make_user):
    """Cookies made before the session token (they carry only the id) are worth nothing."""
    user = make_user("officer")
    client = app.test_client()
    client.set_cookie("remember_token", encode_cookie(str(user.id)))
    assert not signed_in(client)
    client.set_cookie("remember_token", encode_cookie(f"{user.id}:"))
    assert not signed_in(client)


def test_a_new_password_ends_the_other_sessions_but_not_this_one(two_devices):
    user, laptop, phone = two_devices
    response = laptop.post("/account/password", data={
        "current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.headers["Location"] == "/account"
    assert signed_in(laptop)
    assert not signed_in(phone)
    login(phone, user, NEW_PASSWORD)
    assert signed_in(phone)


def test_a_password_reset_by_the_coordinator_ends_the_sessions(app, two_devices, make_user,
                                                               smtp):
    user, laptop, phone = two_devices
    coordinator = app.test_client()
    login(coordinator, make_user("coordinator"))
    assert coordinator.post(f"/users/{user.id}/password-link").status_code == 302
    assert not signed_in(laptop)
    assert not signed_in(phone)


def test_deactivation_ends_every_session_and_reactivation_brings_none_back(app, two_devices,
                                                                           make_user):
    user, laptop, phone = two_devices
    stolen = app.test_client()
    remember_me(app, stolen, user)
    coordinator = app.test_client()
    login(coordinator, make_user("coordinator"))
    form = {"role": "officer", "language": "en"}
    assert coordinator.post(f"/users/{user.id}", data=form).status_code == 302  # not active
    assert not signed_in(laptop)
    assert not signed_in(phone)
    form["active"] = "y"
    assert coordinator.post(f"/users/{user.id}", data=form).status_code == 302
    db.session.refresh(user)
    assert user.active
    assert not signed_in(laptop)
    assert not signed_in(stolen)


def test_a_password_set_from_the_command_line_ends_the_sessions(two_devices):
    user, laptop, phone = two_devices
    accounts.set_password(user, NEW_PASSWORD)
    db.session.commit()
    assert not signed_in(laptop)
    assert not signed_in(phone)


def test_the_csrf_token_changes_at_sign_in(csrf_app, make_user):
    client = csrf_app.test_client()
    user = make_user("officer")
    before = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                            "csrf_token": before})
    assert response.status_code == 302
    assert client.post("/logout", data={"csrf_token": before}).status_code == 400
    after = csrf_token(client.get("/account").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": after}).status_code == 302


def test_session_protection_ignores_x_forwarded_for_without_a_proxy(client, make_user):
    login(client, make_user("officer"))
    assert client.get("/events/", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 200


def test_behind_a_proxy_session_protection_uses_the_forwarded_address(proxied_app):
    user = accounts.create_user("officer@example.test", "officer", PASSWORD, "en")
    db.session.commit()
    client = proxied_app.test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.7"
    login(client, user)
    assert client.get("/events/").status_code == 200
    # the cookie carried off to another address is turned away
    moved = client.get("/events/", headers={"X-Forwarded-For": "203.0.113.9"})
    assert moved.status_code == 302 and moved.headers["Location"].startswith("/login")
