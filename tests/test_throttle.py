"""Throttling that holds under concurrency: a try is claimed in the database before its password
is checked, so 100 guesses at once check at most 5 passwords for one login, and at most 20 from
one client address whatever the logins; logins and addresses are stored only as keyed hashes;
behind a proxy the client is the one X-Forwarded-For names, and only then."""

import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from helpers import PASSWORD, csrf_token, gunicorn_serving, login
from vscapp.auth import throttle
from vscapp.auth.models import SignInThrottle
from vscapp.clock import utcnow
from vscapp.extensions import db
from vscapp.users import services as accounts

WRONG = "Wrong e-mail address or password."
GUESSES = 100


def at_once(app, attempts):
    """Run each (email, password, environ) sign-in on its own thread, all released together;
    the answers' status codes, and whether the page said the password was wrong."""
    start = threading.Barrier(len(attempts))
    answers, errors = [], []

    def sign_in(email, password, environ):
        with app.app_context():
            try:
                client = app.test_client()
                client.environ_base.update(environ)
                start.wait()
                response = client.post("/login", data={"email": email, "password": password})
                answers.append((response.status_code,
                                WRONG in response.get_data(as_text=True)))
            except Exception as exc:  # reported by the assertion below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=sign_in, args=attempt) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return answers


def checked(answers):
    """How many answers come from a password check (the rest were refused before one)."""
    assert all(status in (200, 429) for status, _ in answers), answers
    assert all(wrong == (status == 200) for status, wrong in answers)
    return sum(1 for status, _ in answers if status == 200)


def test_a_hundred_guesses_at_once_check_five_passwords(app, make_user):
    user = make_user("officer")
    answers = at_once(app, [(user.email, f"guess number {n}", {}) for n in range(GUESSES)])
    assert checked(answers) == throttle.PER_LOGIN
    assert throttle.failures(user.email) == throttle.PER_LOGIN
    # the right password now waits its quarter of an hour too
    response = app.test_client().post("/login", data={"email": user.email,
                                                      "password": PASSWORD})
    assert response.status_code == 429


def test_one_client_cannot_lock_every_account_out(app, make_user):
    users = [make_user("officer") for _ in range(3)]
    answers = at_once(app, [(f"someone{n}@example.test", "a wrong guess", {})
                            for n in range(GUESSES)])
    assert checked(answers) == throttle.PER_CLIENT
    assert throttle.failures(client_address="127.0.0.1") == throttle.PER_CLIENT
    # that client is turned away, whatever the account, with its own message ...
    response = app.test_client().post("/login", data={"email": users[0].email,
                                                      "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-ins from this computer" in response.get_data(as_text=True)
    # ... while the accounts themselves are not locked: from elsewhere they sign in
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    for user in users:
        login(elsewhere, user)
        elsewhere.post("/logout")


def test_right_passwords_are_not_counted(client, make_user):
    user = make_user("officer")
    for _ in range(throttle.PER_LOGIN + 2):
        login(client, user)
        client.post("/logout")
    assert throttle.failures(user.email) == 0
    assert throttle.failures(client_address="127.0.0.1") == 0


def test_logins_and_addresses_are_stored_hashed(client, make_user):
    user = make_user("officer")
    client.environ_base["REMOTE_ADDR"] = "192.0.2.77"
    client.post("/login", data={"email": user.email.upper(), "password": "a wrong guess"})
    client.post("/login", data={"email": "unknown@example.test", "password": "a wrong guess"})
    keys = db.session.scalars(select(SignInThrottle.key)).all()
    assert len(keys) == 3  # the client, the two logins
    for key in keys:
        assert len(key) == 64 and int(key, 16) >= 0
    stored = " ".join(keys)
    for clear in (user.email, "unknown@example.test", "192.0.2.77"):
        assert clear not in stored
    assert throttle.failures(user.email) == 1  # the login as typed, without case


def test_counts_older_than_a_day_are_purged(client, make_user):
    old = throttle.key("login", "long-gone@example.test")
    db.session.execute(insert(SignInThrottle).values(key=old, tries=3,
                                                     started=utcnow() - timedelta(days=2)))
    db.session.commit()
    client.post("/login", data={"email": "someone@example.test", "password": "a wrong guess"})
    assert db.session.get(SignInThrottle, old) is None
    assert db.session.scalar(select(SignInThrottle.key).where(
        SignInThrottle.key == throttle.login_key("someone@example.test")))


def test_x_forwarded_for_does_not_escape_the_client_limit_without_a_proxy(app):
    answers = at_once(app, [(f"someone{n}@example.test", "a wrong guess",
                             {"HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"}) for n in range(40)])
    assert checked(answers) == throttle.PER_CLIENT


def test_behind_a_proxy_each_forwarded_client_has_its_own_limit(proxied_app):
    user = accounts.create_user("officer@example.test", "officer", PASSWORD, "en")
    db.session.commit()
    answers = at_once(proxied_app, [(f"someone{n}@example.test", "a wrong guess",
                                     {"HTTP_X_FORWARDED_FOR": "198.51.100.1"})
                                    for n in range(40)])
    assert checked(answers) == throttle.PER_CLIENT
    assert throttle.failures(client_address="198.51.100.1") == throttle.PER_CLIENT
    assert throttle.failures(client_address="127.0.0.1") == 0  # not the proxy's address
    other = proxied_app.test_client()
    other.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.2"
    login(other, user)


@pytest.fixture
def gunicorn(database_url, make_user):
    email = make_user("officer").email
    with gunicorn_serving(database_url) as base:
        yield base, email


def test_under_gunicorn_a_hundred_guesses_check_five_passwords(gunicorn):
    base, email = gunicorn
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    page = opener.open(f"{base}/login")
    token = csrf_token(page.read().decode())
    cookie = page.headers["Set-Cookie"].split(";")[0]
    start = threading.Barrier(GUESSES)

    def guess(n):
        body = urllib.parse.urlencode({"csrf_token": token, "email": email,
                                       "password": f"guess number {n}"}).encode()
        request = urllib.request.Request(  # noqa: S310 (our own server)
            f"{base}/login", body, headers={"Cookie": cookie, "Accept-Language": "en"})
        start.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return response.status, WRONG in response.read().decode()
        except urllib.error.HTTPError as refused:
            return refused.code, WRONG in refused.read().decode()

    with ThreadPoolExecutor(max_workers=GUESSES) as pool:
        answers = list(pool.map(guess, range(GUESSES)))
    assert checked(answers) == throttle.PER_LOGIN
