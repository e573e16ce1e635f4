"""Benchmark databases: a fresh one, the 2023 plan with its rules, and many events fast.

Shared by the scripts in bench/ (they run as `python bench/NAME.py`, so this imports as
`loading`).
"""

import random
import secrets
import shutil
import tempfile
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url

from vscapp import create_app
from vscapp.events import daily_totals
from vscapp.events.models import Event, EventType
from vscapp.extensions import db
from vscapp.plans.parser import parse_plan
from vscapp.plans.services import import_plan
from vscapp.targets import services
from vscapp.users.services import create_user

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2023
BATCH = 20_000
ROLES = ("coordinator", "officer", "liaison")
NOTES = ("Overleg met de school", "Sessie in het jeugdhuis", "Netwerkoverleg in de wijk",
         "Vorming voor leerkrachten", "Opvolging na melding")  # one event in 20 has a note


def fresh_database(server, name):
    """The URL of an empty database: a file in a new temporary folder for 'sqlite', else the
    database `name` (dropped first if it exists) on the PostgreSQL server URL `server`."""
    if server == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp(prefix='vsc-bench-')}/{name}.db"
    admin = create_engine(make_url(server), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def drop_database(url):
    """Remove a database made by fresh_database: its temporary folder, or the database."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        shutil.rmtree(Path(parsed.database).parent, ignore_errors=True)
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    finally:
        admin.dispose()


def activate_rules(rules, source="bench"):
    """Store and activate a rules file; its compiled ruleset."""
    services.activate(services.save_version(rules, source), "benchmark")
    db.session.commit()
    return services.compiled(rules)


def load_2023_plan():
    """Import the 2023 plan and activate rules/2023.yaml; the compiled ruleset."""
    import_plan(parse_plan((ROOT / "plans" / "molenbeek-2023-nl.md").read_text("utf-8")))
    db.session.flush()
    return activate_rules((ROOT / "rules" / "2023.yaml").read_text("utf-8"), "2023.yaml")


def fill(ruleset, count, user_id):
    """`count` events spread over the year, over the types the rules count (one in 20 with a
    note), inserted in bulk (not through the services), then the daily totals recounted and
    fresh planner statistics."""
    types = dict(db.session.execute(select(EventType.code, EventType.id)).all())
    codes = sorted({code for rule in ruleset.indicators for code in rule.events})
    rng = random.Random(42)
    batch = []
    for n in range(count):
        code = codes[n % len(codes)]
        batch.append({"type_id": types[code], "occurred_on": date(YEAR, 1, 1) + timedelta(
            days=rng.randrange(365)), "quantity": 1, "participants": rng.randrange(30),
            "note": NOTES[n % len(NOTES)] if n % 20 == 0 else None,
            "created_by_id": user_id})
        if len(batch) == BATCH:
            db.session.execute(insert(Event), batch)
            batch = []
    if batch:
        db.session.execute(insert(Event), batch)
    daily_totals.rebuild()
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE event"))
            conn.execute(text("VACUUM ANALYZE daily_total"))
    else:
        db.session.execute(text("ANALYZE"))


def populate(url, events):
    """Into the empty database at `url`: the schema, one account per role, the 2023 plan and
    rules, `events` events. {role: (email, password)} of the accounts."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_METHOD": "scrypt"})
    with app.app_context():
        upgrade()
        accounts = {role: (f"{role}@bench.vsc", secrets.token_urlsafe(12)) for role in ROLES}
        users = {role: create_user(email, role, password)
                 for role, (email, password) in accounts.items()}
        db.session.commit()
        fill(load_2023_plan(), events, users["officer"].id)
        db.session.remove()
        db.engine.dispose()
    return accounts


@contextmanager
def loaded_database(server, name, events):
    """A fresh database (see fresh_database) populated with `events` events, dropped on the
    way out: (url, accounts, seconds it took to load)."""
    url = fresh_database(server, name)
    try:
        started = time.perf_counter()
        accounts = populate(url, events)
        yield url, accounts, time.perf_counter() - started
    finally:
        drop_database(url)
