"""Signing in and out: hashed passwords, one message for every failure, safe `next`, CSRF."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from helpers import PASSWORD, csrf_token, login
from vscapp.audit.models import AuditEntry
from vscapp.extensions import db
from vscapp.users.models import User
from vscapp.users.passwords import password_problem


def test_password_is_stored_hashed(make_user):
    user = make_user("officer")
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_sign_in_and_out(client, make_user):
    user = make_user("officer")
    response = login(client, user)
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_and_unknown_account_get_the_same_message(client, make_user):
    user = make_user("officer")
    wrong = client.post("/login", data={"email": user.email, "password": "nope nope nope"})
    unknown = client.post("/login", data={"email": "nobody@example.test", "password": "x" * 12})
    assert wrong.status_code == unknown.status_code == 200
    message = "Wrong e-mail address or password."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    def page(response, email):
        html = response.get_data(as_text=True).replace(email, "")
        return re.sub(r'name="csrf_token" value="[^"]+"', "", html)  # a token carries the time

    assert page(wrong, user.email) == page(unknown, "nobody@example.test")


def test_deactivated_account_cannot_sign_in(client, make_user):
    user = make_user("officer", active=False)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert "Wrong e-mail address or password." in response.get_data(as_text=True)


def test_deactivation_ends_an_open_session(client, make_user):
    user = make_user("officer")
    login(client, user)
    user.active = False
    db.session.commit()
    assert client.get("/events/").status_code == 302


def test_email_is_matched_without_case(client, make_user):
    user = make_user("officer", email="Officer@Example.test")
    response = client.post("/login", data={"email": "OFFICER@example.TEST", "password": PASSWORD})
    assert response.status_code == 302
    assert user.email == "officer@example.test"


@pytest.mark.parametrize(("target", "lands_on"), [
    ("/events/", "/events/"),
    ("/plans/2023?x=1", "/plans/2023?x=1"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example/", "/"),
    ("javascript:alert(1)", "/"),
    ("", "/"),
])
def test_next_never_leaves_the_site(client, make_user, target, lands_on):
    user = make_user("officer")
    response = client.post(f"/login?next={target}",
                           data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == lands_on


def test_anonymous_visitor_is_sent_to_sign_in_with_next(client):
    response = client.get("/events/?event_type=x")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_forms_refuse_a_post_without_csrf_token(csrf_app, make_user):
    client = csrf_app.test_client()
    user = make_user("officer")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    html = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                            "csrf_token": csrf_token(html)})
    assert response.status_code == 302
    assert client.post("/logout").status_code == 400  # sign-out, too, needs the token


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    response = login(client, make_user("officer"))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_cli_creates_an_account_from_standard_input(runner):
    result = runner.invoke(args=["users", "create", "new@example.test", "--role", "liaison"],
                           input="a long enough password\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "new@example.test"))
    assert user.role == "liaison" and user.check_password("a long enough password")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.create"))
    assert entry.actor_label.startswith("cli:") and entry.after["role"] == "liaison"


@pytest.mark.parametrize(("args", "password", "message"), [
    (["users", "create", "x@example.test", "--role", "chief"], "long enough pass", "Invalid value"),
    (["users", "create", "x@example.test", "--role", "officer"], "short", "at least 12"),
    (["users", "create", "x@example.test", "--role", "officer"], "password1234", "too common"),
    (["users", "create", "x@example.test", "--role", "officer"], "x@example.test 2024",
     "must not contain your e-mail address"),
    (["users", "create", "not-an-email", "--role", "officer"], "long enough pass",
     "not an e-mail"),
])
def test_cli_refuses_bad_accounts(runner, args, password, message):
    result = runner.invoke(args=args, input=password + "\n")
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(select(User)) is None


def test_cli_refuses_a_duplicate_account(runner, make_user):
    user = make_user("officer")
    result = runner.invoke(args=["users", "create", user.email, "--role", "officer"],
                           input="a long enough password\n")
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_demo_users_prints_one_working_password_per_role(runner, client):
    result = runner.invoke(args=["demo", "users"])
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.strip().splitlines()]
    assert [row[0] for row in rows] == ["officer", "coordinator", "liaison"]
    for _, email, password in rows:
        assert password_problem(password, email) is None
        assert client.post("/login", data={"email": email, "password": password}
                           ).status_code == 302
        client.post("/logout")


def test_security_headers(client, make_user):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    login(client, make_user("officer"))
    assert client.get("/events/").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("known", [True, False])
def test_repeated_failures_are_throttled_alike_for_known_and_unknown_addresses(
        client, make_user, known):
    from sqlalchemy import update

    from vscapp.auth.models import SignInThrottle
    from vscapp.models import utcnow

    user = make_user("officer")
    email = user.email if known else "nobody@example.test"
    for _ in range(5):
        response = client.post("/login", data={"email": email, "password": "wrong password!"})
        assert "Wrong e-mail address or password." in response.get_data(as_text=True)
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.get_data(as_text=True)
    # a quarter of an hour later the address may try again
    db.session.execute(update(SignInThrottle).values(started=utcnow() - timedelta(minutes=16)))
    db.session.commit()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == (302 if known else 200)


def test_static_files_do_not_load_the_signed_in_user(client, make_user):
    from helpers import counted_statements

    login(client, make_user("officer"))
    with counted_statements() as statements:
        response = client.get("/static/vsc.css")
    assert response.status_code == 200 and statements == []
    assert response.headers.get("Cache-Control") != "no-store"
    response.close()
