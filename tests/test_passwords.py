"""Accounts for life: the password policy, changing one's own password, the coordinator's
links (new account, reset) and the forgot-password form, through a real SMTP server."""

import json
import re
import time

import pytest
from sqlalchemy import select

from helpers import PASSWORD, login
from vscapp import background
from vscapp.audit.models import AuditEntry
from vscapp.auth import throttle
from vscapp.extensions import db
from vscapp.users import links
from vscapp.users.models import User
from vscapp.users.passwords import password_problem

NEW_PASSWORD = "violet kettle on a quiet dune"
USED = "Link no longer valid"
FORGOT_ANSWER = "If an active account has this address, an e-mail is on its way"


def delivered(inbox):
    """The messages received, once the work queued in the background has run."""
    background.wait()
    return inbox.messages


def forgot(client, email):
    """Post the forgot-password form and close the answer, as a WSGI server does once it has
    sent it: what the form does happens only then."""
    response = client.post("/password/forgot", data={"email": email})
    response.close()
    return response


def text_of(message):
    return message.get_body(("plain",)).get_content()


def link_in(message):
    """The path of the password link in a received message (plain text and HTML agree)."""
    url = re.search(r"https://vsc\.example(/password/\S+)", text_of(message)).group(1)
    assert f'href="https://vsc.example{url}"' in message.get_body(("html",)).get_content()
    return url


def actions(user):
    return [entry.action for entry in db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "User",
                                 AuditEntry.entity_id == str(user.id)).order_by(AuditEntry.id))]


def choose(client, url, password=NEW_PASSWORD, confirm=None):
    return client.post(url, data={"password": password, "confirm": confirm or password})


def can_sign_in(app, email, password):
    return app.test_client().post("/login", data={"email": email, "password": password}
                                  ).status_code == 302


@pytest.mark.parametrize(("password", "email", "problem"), [
    ("eleven char", "", "at least"),
    ("x" * 201, "", "at most"),
    ("password1234", "", "too common"),
    ("azertyuiop123", "", "too common"),
    ("wachtwoord2024", "", "too common"),
    ("abcdefghijklmn", "", "too common"),
    ("jan.peeters@molenbeek.brussels", "jan.peeters@molenbeek.brussels", "e-mail address"),
    ("Jan.Peeters@Molenbeek.Brussels!!", "jan.peeters@molenbeek.brussels", "e-mail address"),
    ("janpeeters2024!", "jan.peeters@molenbeek.brussels", "too common"),
    (PASSWORD, "", None),
    (NEW_PASSWORD, "jan.peeters@molenbeek.brussels", None),
])
def test_the_policy(password, email, problem):
    found = password_problem(password, email)
    assert (found is None) if problem is None else (problem in found % {"min": 12, "max": 200})


def test_a_new_account_chooses_its_password_with_the_mailed_link(app, client, as_role, smtp):
    coordinator = as_role("coordinator")
    page = client.get("/users/new").get_data(as_text=True)
    assert 'type="password"' not in page  # the coordinator never sets a password
    response = client.post("/users/new", data={"email": "Nieuw@Molenbeek.brussels",
                                               "role": "officer", "language": "nl",
                                               "active": "y"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "nieuw@molenbeek.brussels"))
    assert not user.check_password(PASSWORD)  # nothing the coordinator could know works
    [message] = delivered(smtp)
    assert message["To"] == user.email and message["From"] == "vscapp@molenbeek.brussels"
    assert message["Subject"] == "[vscapp] Uw nieuwe account: kies een wachtwoord"  # Dutch
    url = link_in(message)
    anonymous = app.test_client()
    form = anonymous.get(url)
    assert form.status_code == 200 and form.headers["Cache-Control"] == "no-store"
    too_easy = choose(anonymous, url, "password1234")
    assert "too common" in too_easy.get_data(as_text=True)
    assert choose(anonymous, url).headers["Location"] == "/login"
    assert can_sign_in(app, user.email, NEW_PASSWORD)
    assert actions(user) == ["user.create", "user.password_reset_requested",
                             "user.password_set"]
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_id == str(user.id))
                                 ).all()
    assert entries[1].actor_id == coordinator.id and entries[1].after == {"purpose": "welcome"}
    assert entries[2].actor_id == user.id and entries[2].after == {"via": "link"}
    trail = json.dumps([[e.before, e.after, e.reason] for e in entries])
    assert NEW_PASSWORD not in trail and url.rsplit("/", 1)[1] not in trail


def test_a_link_works_once(app, client, make_user, smtp):
    user = make_user("officer")
    forgot(client, user.email)
    url = link_in(delivered(smtp)[0])
    assert choose(client, url).status_code == 302
    again = client.get(url)
    assert again.status_code == 410 and USED in again.get_data(as_text=True)
    assert choose(client, url, "another fine long passphrase").status_code == 410
    assert can_sign_in(app, user.email, NEW_PASSWORD)


def test_a_link_expires_after_24_hours(app, client, make_user, smtp, monkeypatch):
    user = make_user("liaison")
    forgot(client, user.email)
    url = link_in(delivered(smtp)[0])
    sent = time.time()
    monkeypatch.setattr(links, "now", lambda: sent + 24 * 3600 - 60)
    assert client.get(url).status_code == 200  # a minute before it expires
    monkeypatch.setattr(links, "now", lambda: sent + 24 * 3600 + 1)
    assert client.get(url).status_code == 410
    assert choose(client, url).status_code == 410
    assert can_sign_in(app, user.email, PASSWORD)


def test_a_forged_or_foreign_token_is_refused(app, client, make_user):
    from itsdangerous import URLSafeTimedSerializer

    user = make_user("officer")
    token = links.make_token(user)
    assert client.get(f"/password/{token[:-2]}xx").status_code == 410
    other_salt = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="other").dumps(
        {"user": user.id, "fingerprint": links.fingerprint(user)})
    assert client.get(f"/password/{other_salt}").status_code == 410
    user.active = False
    db.session.commit()
    assert client.get(f"/password/{token}").status_code == 410


def test_the_coordinator_resets_a_password(app, client, as_role, make_user, smtp):
    as_role("coordinator")
    user = make_user("officer", language="fr")
    old_link = links.make_token(user)
    response = client.post(f"/users/{user.id}/password-link")
    assert response.status_code == 302
    assert "A link to choose a password was sent" in client.get(
        response.headers["Location"]).get_data(as_text=True)
    assert not can_sign_in(app, user.email, PASSWORD)  # the old password died at once
    assert app.test_client().get(f"/password/{old_link}").status_code == 410
    [message] = delivered(smtp)
    assert message["Subject"] == "[vscapp] Choisissez un nouveau mot de passe"
    assert "Le coordinateur a réinitialisé" in text_of(message)
    assert choose(app.test_client(), link_in(message)).status_code == 302
    assert can_sign_in(app, user.email, NEW_PASSWORD)
    assert actions(user)[-3:] == ["user.password_reset", "user.password_reset_requested",
                                  "user.password_set"]


def test_an_smtp_outage_is_told_to_the_coordinator(app, client, as_role, smtp):
    as_role("coordinator")
    smtp.stop()
    response = client.post("/users/new", data={"email": "x@molenbeek.brussels",
                                               "role": "liaison", "language": "fr"},
                           follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Account created." in html and "could not be sent" in html
    assert db.session.scalar(select(User).where(User.email == "x@molenbeek.brussels"))


def test_forgot_password_answers_alike_and_mails_only_active_local_accounts(
        app, client, make_user, smtp):
    local = make_user("officer")
    inactive = make_user("officer", active=False)
    from_directory = make_user("liaison", language="nl")
    from_directory.directory_username = "chris"
    db.session.commit()
    answers = {}
    for email in (local.email, "nobody@example.test", inactive.email, from_directory.email):
        response = forgot(client, email)
        page = client.get("/login").get_data(as_text=True)
        # the same page but for the CSRF token, whose signature carries the second it was made
        answers[email] = (response.status_code, response.headers["Location"],
                          re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", page))
    assert len(set(answers.values())) == 1 and FORGOT_ANSWER in answers[local.email][2]
    messages = {m["To"]: m for m in delivered(smtp)}
    assert set(messages) == {local.email, from_directory.email}
    assert link_in(messages[local.email])
    notice = text_of(messages[from_directory.email])
    assert "/password/" not in notice and "Iemand vroeg" in notice  # in Dutch, with no link
    request = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "user.password_reset_requested",
        AuditEntry.entity_id == str(local.id)))
    assert request.actor_label == "web:anonymous" and request.after == {"purpose": "forgot"}
    assert can_sign_in(app, local.email, PASSWORD)  # asking changes nothing yet


def test_forgot_password_works_only_once_its_answer_is_sent(client, make_user, smtp):
    user = make_user("officer")
    response = client.post("/password/forgot", data={"email": user.email})
    background.wait()
    assert smtp.messages == [] and "user.password_reset_requested" not in actions(user)
    response.close()  # what the WSGI server does after the last byte
    assert [m["To"] for m in delivered(smtp)] == [user.email]
    assert "user.password_reset_requested" in actions(user)


def test_forgot_password_mails_an_address_at_most_three_times_an_hour(client, make_user, smtp):
    user = make_user("officer")
    for _ in range(5):
        assert forgot(client, user.email).status_code == 302
    assert len(delivered(smtp)) == 3


def test_users_change_their_own_password(app, client, make_user):
    user = make_user("officer")
    login(client, user)
    assert "Change my password" in client.get("/account").get_data(as_text=True)
    data = {"current": "not my password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    wrong = client.post("/account/password", data=data)
    assert "This is not your current password." in wrong.get_data(as_text=True)
    assert throttle.failures(user.email) == 1
    weak = client.post("/account/password", data={**data, "current": PASSWORD,
                                                  "password": user.email + "!",
                                                  "confirm": user.email + "!"})
    assert "must not contain your e-mail address" in weak.get_data(as_text=True)
    response = client.post("/account/password", data={**data, "current": PASSWORD})
    assert response.headers["Location"] == "/account"
    assert not can_sign_in(app, user.email, PASSWORD)
    assert can_sign_in(app, user.email, NEW_PASSWORD)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.password_set"))
    assert entry.after == {"via": "account page"} and entry.actor_id == user.id


def test_guessing_the_current_password_is_throttled(client, make_user):
    user = make_user("officer")
    login(client, user)
    data = {"current": "a wrong guess", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    for _ in range(5):
        assert client.post("/account/password", data=data).status_code == 200
    response = client.post("/account/password", data={**data, "current": PASSWORD})
    assert response.status_code == 429


def test_a_directory_account_has_no_password_here(client, make_user):
    user = make_user("officer")
    login(client, user)
    user.directory_username = "anna"
    db.session.commit()
    assert "Change my password" not in client.get("/account").get_data(as_text=True)
    assert client.get("/account/password").headers["Location"] == "/account"


def test_password_pages_speak_french(app, make_user):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    assert "Mot de passe oublié ?" in client.get("/login").get_data(as_text=True)
    assert "Mot de passe oublié ?" in client.get("/password/forgot").get_data(as_text=True)
    token = links.make_token(make_user("officer"))
    assert "Choisissez un mot de passe" in client.get(f"/password/{token}").get_data(
        as_text=True)


def test_forgot_password_refuses_control_characters_before_any_lookup(client, smtp):
    response = forgot(client, "someone\x00@example.test")  # a NUL: refused for every form
    assert response.status_code == 400
    assert "holds a NUL character" in response.get_data(as_text=True)
    response = forgot(client, "someone\x01@example.test")
    assert response.status_code == 200
    assert "This field holds a character that is not allowed." in response.get_data(
        as_text=True)
    assert delivered(smtp) == []
