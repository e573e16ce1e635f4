"""What the tests share besides fixtures: paths, the test password, signing in, rows stored
directly, and small tools (a free port, gunicorn serving the app, a statement counter)."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import event as sa_event
from sqlalchemy import select

from vscapp.events.checks import EventValues
from vscapp.events.models import EventType
from vscapp.events.services import record_event
from vscapp.extensions import db

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
PLAN_2023_NL = ROOT / "plans" / "molenbeek-2023-nl.md"
PLAN_2023_FR = ROOT / "plans" / "molenbeek-2023-fr.md"
RULES_2023 = ROOT / "rules" / "2023.yaml"
PASSWORD = "correct horse battery"


def login(client, user, password=PASSWORD):
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def csrf_token(html):
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn_serving(database_url, start_within=60):
    """The app under gunicorn as deployed (preloaded, 2 forked workers x 4 threads) on the
    database at `database_url`, on a free port of 127.0.0.1: its base URL. A busy machine
    starts it slowly: it has `start_within` seconds. On the way out it is stopped, and the
    test fails if it logged a traceback."""
    port = free_port()
    env = {**os.environ, "VSC_ENV": "testing", "VSC_TEST_DATABASE_URL": database_url}
    server = subprocess.Popen(  # noqa: S603 (our own command)
        [sys.executable, "-m", "gunicorn", "--preload", "--workers", "2", "--threads", "4",
         "--bind", f"127.0.0.1:{port}", "vscapp:create_app()"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + start_within
    while True:
        try:
            urllib.request.urlopen(f"{base}/login", timeout=5)  # noqa: S310 (our own server)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError("gunicorn did not start: "
                                   + server.communicate()[1].decode()) from None
            time.sleep(0.2)
    try:
        yield base
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=60)  # a graceful stop takes up to 30 s
    assert b"Traceback" not in errors, errors.decode()


@contextmanager
def counted_statements():
    """The SQL statements run inside the block, as a list that fills while it runs:
    `with counted_statements() as statements: ...`, then `len(statements)`."""
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)


def query_plan(stmt, index=None):
    """The database's plan for a select, as text.

    On PostgreSQL, EXPLAIN with sequential scans discouraged, so the plan shows whether an
    index can serve the query at all (on a test's few rows a scan would always win). On SQLite,
    EXPLAIN QUERY PLAN; with `index`, the query is held to that index (INDEXED BY), which SQLite
    refuses ("no query solution") when the index cannot answer it, e.g. a partial index whose
    condition the query does not imply.
    """
    conn = db.session.connection()
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    if conn.dialect.name == "sqlite":
        sql = compiled.string
        if index:
            sql = re.sub(r"\b(FROM|JOIN) event\b", rf"\1 event INDEXED BY {index}", sql)
        params = tuple(_sqlite_value(compiled.params[name]) for name in compiled.positiontup)
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()
        return "\n".join(str(row[-1]) for row in rows)
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    rows = conn.exec_driver_sql("EXPLAIN " + compiled.string, compiled.params).all()
    return "\n".join(row[0] for row in rows)


def _sqlite_value(value):
    return value.isoformat() if isinstance(value, date) else value


def event_type(code):
    return db.session.scalar(select(EventType).where(EventType.code == code))


def make_event(code, user, on=None, quantity=1, participants=None, note=None, case_ref=None):
    """An event recorded through the service (no form, no checks), committed."""
    event = record_event(EventValues(event_type(code), on or date(2023, 3, 1), quantity,
                                     participants, note, case_ref), user)
    db.session.commit()
    return event


def form_values(html, form_class):
    """What a browser would post from the form of class `form_class` in a page, unchanged:
    [(name, value)] of its inputs, checked boxes, selected options and text areas."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside, self.values, self.select, self.textarea = False, [], None, None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form":
                self.inside = form_class in (a.get("class") or "").split()
            elif not self.inside:
                return
            elif tag == "input" and a.get("name"):
                if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                    self.values.append((a["name"], a.get("value", "on")))
            elif tag == "select":
                self.select = a["name"]
            elif tag == "option" and self.select and "selected" in a:
                self.values.append((self.select, a.get("value", "")))
            elif tag == "textarea":
                self.textarea = [a["name"], ""]

        def handle_endtag(self, tag):
            if tag == "form":
                self.inside = False
            elif tag == "select":
                self.select = None
            elif tag == "textarea" and self.textarea:
                self.values.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
                self.textarea = None

        def handle_data(self, data):
            if self.textarea:
                self.textarea[1] += data

    reader = Reader()
    reader.feed(html)
    return reader.values
