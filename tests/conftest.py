"""Fixtures: an app on a freshly migrated database per test (SQLite, or PostgreSQL when
VSC_TEST_DATABASE_URL names one), a client, a CLI runner, account factories and a login helper.

The schema is built once per session by running the migrations, then copied for each test:
a file copy on SQLite, `CREATE DATABASE ... TEMPLATE` on PostgreSQL.
"""

import itertools
import os
import re
import shutil
from pathlib import Path

import pytest
from flask import g
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from vscapp import create_app
from vscapp.extensions import db
from vscapp.users import services as accounts
from vscapp.vocabulary import Role

ROOT = Path(__file__).resolve().parent.parent
PLAN_2023_NL = ROOT / "plans" / "molenbeek-2023-nl.md"
DATA = Path(__file__).resolve().parent / "data"
PASSWORD = "correct horse battery"
PG_URL = os.environ.get("VSC_TEST_DATABASE_URL")


class IsolatedClient(FlaskClient):
    """A test client whose every request starts with an empty `g`, as in production.

    The tests keep one app context open around all their requests (so they can use db.session
    between them), and Flask reuses it for each request: without this, the signed-in user and
    the locale cached in `g` would leak from one request, or one client, to the next.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Visitors not signed in read the browser's language; the tests read English unless
        # they ask for Dutch or French, as the accounts they make do.
        self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"

    def open(self, *args, **kwargs):
        for key in list(g):
            g.pop(key)
        return super().open(*args, **kwargs)


def make_app(url, **extra):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, **extra})
    app.test_client_class = IsolatedClient
    return app


def migrate(url):
    app = make_app(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


class SqliteDatabases:
    def __init__(self, folder):
        self.folder = folder
        self.template = folder / "template.db"
        self.counter = itertools.count()
        migrate(f"sqlite:///{self.template}")

    def new(self):
        path = self.folder / f"test-{next(self.counter)}.db"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def drop(self, url):
        Path(make_url(url).database).unlink(missing_ok=True)


class PostgresDatabases:
    def __init__(self, url):
        self.url = make_url(url)
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self.prefix = f"vsc_test_{os.getpid()}"
        self.counter = itertools.count()
        self.template = f"{self.prefix}_template"
        self._execute(f'DROP DATABASE IF EXISTS "{self.template}"',
                      f'CREATE DATABASE "{self.template}"')
        migrate(self._url(self.template))

    def _url(self, name):
        return self.url.set(database=name).render_as_string(hide_password=False)

    def _execute(self, *statements):
        with self.admin.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))

    def new(self):
        name = f"{self.prefix}_{next(self.counter)}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return self._url(name)

    def drop(self, url):
        self._execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    def close(self):
        self._execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self.admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    if PG_URL:
        factory = PostgresDatabases(PG_URL)
        yield factory
        factory.close()
    else:
        yield SqliteDatabases(tmp_path_factory.mktemp("db"))


@pytest.fixture
def database_url(databases):
    url = databases.new()
    yield url
    databases.drop(url)


def app_in_context(url, **extra):
    app = make_app(url, **extra)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(database_url):
    yield from app_in_context(database_url)


@pytest.fixture
def csrf_app(database_url):
    """An app with CSRF protection on, as in production."""
    yield from app_in_context(database_url, WTF_CSRF_ENABLED=True)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    counter = itertools.count()

    def make(role=Role.OFFICER, email=None, password=PASSWORD, language="en", active=True):
        email = email or f"{Role(role).value}{next(counter)}@example.test"
        user = accounts.create_user(email, role, password, language)
        user.active = active
        db.session.commit()
        return user

    return make


def login(client, user, password=PASSWORD):
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


@pytest.fixture
def as_role(client, make_user):
    """Sign the test client in with a new account of the given role; returns the account."""

    def sign_in(role):
        user = make_user(role)
        login(client, user)
        return user

    return sign_in


@pytest.fixture
def plan_2023(app):
    from vscapp.plans.parser import parse_plan
    from vscapp.plans.services import import_plan

    import_plan(parse_plan(PLAN_2023_NL.read_text(encoding="utf-8")))
    db.session.commit()
    from vscapp.plans.services import plan_for_year

    return plan_for_year(2023)


def csrf_token(html):
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


RULES_2023 = ROOT / "rules" / "2023.yaml"


@pytest.fixture
def rules_2023(plan_2023):
    """The shipped 2023 rules, active."""
    from vscapp.targets import services

    version = services.save_version(RULES_2023.read_text(encoding="utf-8"), "2023.yaml")
    services.activate(version, "Initial 2023 targets")
    db.session.commit()
    return version


class Inbox:
    """An aiosmtpd handler that keeps every message, and refuses the addresses in `refuse`."""

    def __init__(self):
        self.messages = []
        self.refuse = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()
        self.controller = None


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(app):
    """A real SMTP server on localhost (aiosmtpd) that the app sends to; `.stop()` and
    `.start()` it to simulate an outage."""
    inbox = Inbox()
    inbox.port = free_port()
    inbox.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=inbox.port, SMTP_SECURITY="none",
                      MAIL_FROM="vscapp@molenbeek.brussels", BASE_URL="https://vsc.example")
    yield inbox
    if inbox.controller is not None:
        inbox.stop()
