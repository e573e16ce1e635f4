"""Signing in through the directory, against a real OpenLDAP server (tests/fixtures/directory.py):
passwords, groups to roles, accounts made and kept in step, refusals, outages, injection, TLS."""

import subprocess

import pytest
from sqlalchemy import func, select

from fixtures.directory import (
    GROUP_DNS,
    PEOPLE,
    SEARCH_DN,
    SEARCH_PASSWORD,
    mail_of,
    password_of,
)
from helpers import free_port, login
from vscapp.audit.models import AuditEntry
from vscapp.auth import directory as ldap
from vscapp.auth import throttle
from vscapp.extensions import db
from vscapp.users.models import User

WRONG = "Wrong user name, e-mail address or password."
NO_GROUP = "Your directory account is in no vscapp group"
UNREACHABLE = "The directory cannot be reached just now"


def sign_in(client, username, password):
    return client.post("/login", data={"email": username, "password": password})


def account(username):
    return db.session.scalar(select(User).where(User.directory_username == username))


def entries(action, user):
    return db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == action, AuditEntry.entity_id == str(user.id))
        .order_by(AuditEntry.id)).all()


def test_the_test_directory_fills_member_of(slapd):
    assert slapd.member_of("anna") == [GROUP_DNS["officer"]]
    assert sorted(slapd.member_of("dirk")) == sorted(
        GROUP_DNS[key] for key in ("officer", "coordinator", "liaison"))


def test_first_sign_in_makes_a_directory_account(client, directory):
    response = sign_in(client, "anna", password_of("anna"))
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    user = account("anna")
    assert (user.email, user.role, user.active) == (mail_of("anna"), "officer", True)
    assert user.from_directory and not user.check_password(password_of("anna"))
    [created] = entries("user.create", user)
    assert created.reason == "directory sign-in" and created.actor_id == user.id
    assert created.after["directory_username"] == "anna"
    assert sign_in(client.application.test_client(), "ANNA", password_of("anna")
                   ).status_code == 302  # user names are matched without case
    assert db.session.scalar(select(func.count(User.id))) == 1


@pytest.mark.parametrize("password", ["bert's directory password", "wrong password", "x"])
def test_a_wrong_password_is_refused_and_counted(client, directory, password):
    response = sign_in(client, "anna", password)
    assert response.status_code == 200 and WRONG in response.get_data(as_text=True)
    assert account("anna") is None
    assert throttle.failures("anna") == 1


def test_an_unknown_user_name_gets_the_same_answer(client, directory):
    unknown = sign_in(client, "nobody", "some password")
    wrong = sign_in(client, "anna", "some password")
    assert unknown.status_code == wrong.status_code == 200
    assert WRONG in unknown.get_data(as_text=True) and WRONG in wrong.get_data(as_text=True)


@pytest.mark.parametrize(("username", "role"), [
    ("anna", "officer"), ("bert", "coordinator"), ("chris", "liaison"),
    ("dirk", "coordinator"),  # in all three groups: the coordinator's role comes first
])
def test_groups_give_the_role(client, directory, username, role):
    assert sign_in(client, username, password_of(username)).status_code == 302
    assert account(username).role == role


def test_role_precedence_is_coordinator_officer_liaison(directory, app):
    groups = [GROUP_DNS["liaison"], GROUP_DNS["officer"]]
    assert ldap.role_for(app.config, groups) == "officer"
    # DNs compare without case or spaces after commas, as directories do
    assert ldap.role_for(app.config, [GROUP_DNS["liaison"].upper().replace(",", ", ")]
                         ) == "liaison"
    assert ldap.role_for(app.config, [GROUP_DNS["other"]]) is None


def test_the_role_follows_the_groups_at_each_sign_in(app, client, directory):
    uid = directory.add_person("a directory password", ["officer"])
    assert sign_in(client, uid, "a directory password").status_code == 302
    assert account(uid).role == "officer"
    client.post("/logout")
    directory.set_groups(uid, ["liaison"])
    assert sign_in(client, uid, "a directory password").status_code == 302
    user = account(uid)
    assert user.role == "liaison"
    [update] = entries("user.update", user)
    assert (update.before["role"], update.after["role"]) == ("officer", "liaison")
    assert update.reason == "directory sign-in"


def test_someone_in_no_vscapp_group_is_refused_and_deactivated(app, client, directory):
    uid = directory.add_person("a directory password", ["officer"])
    assert sign_in(client, uid, "a directory password").status_code == 302
    directory.set_groups(uid, [])
    other = app.test_client()
    response = sign_in(other, uid, "a directory password")
    assert response.status_code == 403 and NO_GROUP in response.get_data(as_text=True)
    user = account(uid)
    assert user.active is False
    assert entries("user.update", user)[-1].after["active"] is False
    assert client.get("/events/").status_code == 302  # the open session ends too
    # back in a group, the account stays deactivated until the coordinator reactivates it
    directory.set_groups(uid, ["officer"])
    assert WRONG in sign_in(other, uid, "a directory password").get_data(as_text=True)
    user.active = True
    db.session.commit()
    assert sign_in(other, uid, "a directory password").status_code == 302


def test_a_directory_user_in_no_vscapp_group_never_gets_an_account(client, directory):
    response = sign_in(client, "erik", password_of("erik"))
    assert response.status_code == 403 and NO_GROUP in response.get_data(as_text=True)
    assert account("erik") is None and db.session.scalar(select(User)) is None


def test_a_local_account_with_the_directory_address_becomes_a_directory_account(
        client, directory, make_user):
    local = make_user("liaison", email=mail_of("anna"))
    assert sign_in(client, "anna", password_of("anna")).status_code == 302
    db.session.refresh(local)
    assert (local.directory_username, local.role) == ("anna", "officer")
    other = client.application.test_client()
    response = other.post("/login", data={"email": local.email,
                                          "password": "correct horse battery"})
    assert response.status_code == 200  # its local password no longer works


def test_the_directory_down_is_said_and_local_accounts_still_work(app, client, directory,
                                                                  make_user):
    app.config["LDAP_URL"] = f"ldap://127.0.0.1:{free_port()}"  # nothing listens there
    response = sign_in(client, "anna", password_of("anna"))
    assert response.status_code == 503
    assert UNREACHABLE in response.get_data(as_text=True)
    assert "Local accounts still can." in response.get_data(as_text=True)
    assert throttle.failures("anna") == 0  # not the user's failure
    login(client, make_user("coordinator"))  # break-glass: a local account signs in
    assert client.get("/users/").status_code == 200


def test_a_search_account_the_directory_refuses_is_an_outage(app, client, directory):
    app.config["LDAP_BIND_PASSWORD"] = "not the search account's password"
    response = sign_in(client, "anna", password_of("anna"))
    assert response.status_code == 503 and UNREACHABLE in response.get_data(as_text=True)


@pytest.mark.parametrize("username", ["*)(uid=*", "admin)(|(uid=*", "*", "ann*",
                                      "anna)(uid=*", "anna\\2a", "anna\\00"])
def test_filter_injection_in_the_user_name_finds_nobody(client, directory, username):
    # with anna's password: an unescaped filter would find anna and let this in
    response = sign_in(client, username, password_of("anna"))
    assert response.status_code == 200 and WRONG in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None


@pytest.mark.parametrize("username", ["anna\x00", "anna\n", "anna\x00)(uid=*"])
def test_control_characters_in_the_user_name_are_refused_by_the_form(client, directory,
                                                                     username):
    response = sign_in(client, username, password_of("anna"))
    if "\x00" in username:  # a NUL is refused for every form, before any view runs
        assert response.status_code == 400
        assert "holds a NUL character" in response.get_data(as_text=True)
    else:
        assert response.status_code == 200
        assert "This field holds a character that is not allowed." in response.get_data(
            as_text=True)
    assert db.session.scalar(select(User)) is None


def test_the_user_name_is_escaped_into_the_filter(directory, app):
    assert ldap.user_filter(app.config, "*)(uid=*") == \
        "(&(objectClass=inetOrgPerson)(uid=\\2a\\29\\28uid=\\2a))"
    assert ldap.user_filter(app.config, "admin)(|(uid=*") == \
        "(&(objectClass=inetOrgPerson)(uid=admin\\29\\28|\\28uid=\\2a))"


def test_an_empty_password_is_refused_before_any_bind(client, directory, app):
    anna = f"uid=anna,{PEOPLE}"
    # this directory takes a name with no password as an anonymous bind...
    who = subprocess.run(["ldapwhoami", "-x", "-H", directory.url, "-D", anna, "-w", ""],
                         capture_output=True, text=True)
    assert who.returncode == 0 and who.stdout.strip() == "anonymous"
    # ...so the app never sends one
    assert ldap.authenticate(app.config, "anna", "") is None
    response = sign_in(client, "anna", "")
    assert response.status_code == 200 and "This field is required." in response.get_data(
        as_text=True)
    assert account("anna") is None


def test_directory_sign_ins_are_throttled_too(client, directory):
    for _ in range(5):
        assert WRONG in sign_in(client, "anna", "a wrong password").get_data(as_text=True)
    response = sign_in(client, "Anna", password_of("anna"))
    assert response.status_code == 429
    assert account("anna") is None


def test_start_tls_is_off_by_default():
    import os
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("VSC_LDAP")}
    script = "import config; print(config.Config.LDAP_START_TLS, config.Config.LDAP_URL)"
    for value, expected in ((None, "False None"), ("1", "True None"), ("0", "False None")):
        extra = {"VSC_LDAP_START_TLS": value} if value else {}
        out = subprocess.run([sys.executable, "-c", script], env={**env, **extra},
                             capture_output=True, text=True, check=True)
        assert out.stdout.strip() == expected


def test_start_tls_checks_the_certificate(app, client, directory):
    app.config.update(LDAP_START_TLS=True)
    assert sign_in(client, "anna", password_of("anna")).status_code == 302
    client.post("/logout")
    app.config.update(LDAP_CA_FILE=None)  # the system's CAs do not know the test certificate
    response = sign_in(client, "anna", password_of("anna"))
    assert response.status_code == 503 and UNREACHABLE in response.get_data(as_text=True)


def test_ldaps_works_with_the_ca_file(app, client, directory):
    app.config.update(LDAP_URL=directory.ldaps_url + "/")  # a trailing slash is fine too
    assert sign_in(client, "bert", password_of("bert")).status_code == 302


def test_the_coordinator_sees_which_accounts_come_from_the_directory(app, client, directory,
                                                                     make_user):
    assert sign_in(client, "anna", password_of("anna")).status_code == 302
    client.post("/logout")
    local = make_user("officer")
    login(client, make_user("coordinator"))
    html = client.get("/users/").get_data(as_text=True)
    assert "the directory (anna)" in html and html.count("a local password") == 2
    form = client.get(f"/users/{account('anna').id}").get_data(as_text=True)
    assert 'name="role"' not in form and "from the directory groups" in form
    assert 'name="role"' in client.get(f"/users/{local.id}").get_data(as_text=True)
    # a posted role is ignored for a directory account
    client.post(f"/users/{account('anna').id}", data={"role": "coordinator", "language": "fr",
                                                      "active": "y"})
    assert (account("anna").role, account("anna").language) == ("officer", "fr")


def test_the_sign_in_page_asks_for_a_user_name_with_a_directory(client, directory):
    assert "E-mail or directory user name" in client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize(("settings", "problem"), [
    ({"LDAP_URL": "http://dc.example"}, "expected ldap://"),
    ({"LDAP_URL": "ldap://dc.example:389x"}, "expected ldap://"),
    ({"LDAP_URL": "ldaps://"}, "expected ldap://"),
    ({"LDAP_USER_BASE": ""}, "VSC_LDAP_USER_BASE is not set"),
    ({"LDAP_USER_FILTER": "(uid=%s)"}, "must contain {username}"),
    ({"LDAP_GROUP_OFFICER": None, "LDAP_GROUP_COORDINATOR": None, "LDAP_GROUP_LIAISON": None},
     "no VSC_LDAP_GROUP_"),
])
def test_broken_directory_settings_stop_the_start(directory, app, settings, problem):
    import config

    assert config.ldap_problem(app.config) is None
    assert problem in config.ldap_problem({**app.config, **settings})


def test_the_search_account_is_what_reads_the_directory(directory):
    from ldap3.core.exceptions import LDAPNoSuchObjectResult

    with directory.bound() as anonymous, pytest.raises(LDAPNoSuchObjectResult):
        anonymous.search(PEOPLE, "(uid=anna)", attributes=["mail"])  # it sees nothing at all
    with directory.bound(SEARCH_DN, SEARCH_PASSWORD) as search:
        search.search(PEOPLE, "(uid=anna)", attributes=["mail", "userPassword"])
        assert [str(e.mail) for e in search.entries] == [mail_of("anna")]
        assert search.entries[0]["userPassword"].values == []  # asked for, not given


def test_production_does_not_start_with_a_broken_directory_setting(monkeypatch):
    import config
    from vscapp import StartupError, create_app

    monkeypatch.setattr(config.Config, "SECRET_KEY", "x" * 32)
    monkeypatch.setattr(config.Config, "SQLALCHEMY_DATABASE_URI", "postgresql://db/vsc")
    monkeypatch.setattr(config.Config, "LDAP_URL", "ldaps://dc.molenbeek.brussels")
    monkeypatch.setattr(config.Config, "LDAP_USER_BASE", None)
    with pytest.raises(StartupError, match="VSC_LDAP_USER_BASE is not set"):
        create_app(config.Config)
