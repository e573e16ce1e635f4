"""The activities list at a million events: with the planner's ordinary settings and fresh
statistics, its first page, a deep page and filtered pages answer from indexes (no full read
of the event table), and its exports stream (memory stays flat while rows go out).

The events are made by the database itself (one INSERT ... SELECT over a series), on SQLite
and on PostgreSQL; one database serves every test of this module, and is emptied at its end.
"""

import tracemalloc
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import select, text

from fixtures.database import app_in_context
from helpers import PASSWORD
from vscapp.converters import MAX_ID
from vscapp.events import listing
from vscapp.events.listing import Cursor, Filters
from vscapp.events.models import EventType
from vscapp.events.services import readable_types
from vscapp.extensions import db
from vscapp.users import services as accounts

MILLION = 1_000_000
MiB = 2**20
SERIES = {
    "postgresql": "SELECT n FROM generate_series(1, :count) AS n",
    "sqlite": "WITH RECURSIVE series(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM series "
              "WHERE n < :count) SELECT n FROM series",
}
DAY = {  # the n-th event's day: spread over 2023 in no order (254 and 365 are coprime)
    "postgresql": "DATE '2023-01-01' + (n % 365 * 254 % 365)",
    "sqlite": "date('2023-01-01', '+' || (n % 365 * 254 % 365) || ' days')",
}


def insert_events(conn, count, author):
    """`count` live events of every type in turn, over 2023, one in 20 with a note."""
    dialect = conn.dialect.name
    sql = " ".join([
        "INSERT INTO event (type_id, occurred_on, quantity, participants, note, created_by_id,",
        "created_at) SELECT type_at.id,", DAY[dialect], ", 1 + n % 3, n % 30,",
        "CASE WHEN n % 20 = 0 THEN 'Overleg met de school' END, :author, CURRENT_TIMESTAMP",
        "FROM (", SERIES[dialect], ") AS series",
        "JOIN type_at ON type_at.position = n % (SELECT count(*) FROM type_at)"])
    conn.execute(text(sql), {"count": count, "author": author})


@pytest.fixture(scope="module")
def million(databases):
    """An app on a database of a million events over 2023, by one officer, of every type
    (one in 20 with a note); the officer, liaison and coordinator, by role."""
    url = databases.new()
    try:
        with contextmanager(app_in_context)(url) as app:
            readers = {role: accounts.create_user(f"{role}@example.test", role, PASSWORD, "en")
                       for role in ("officer", "liaison", "coordinator")}
            db.session.commit()
            conn = db.session.connection()
            conn.execute(text("CREATE TEMPORARY TABLE type_at (position INTEGER, id INTEGER)"))
            ids = db.session.scalars(select(EventType.id).order_by(EventType.id)).all()
            conn.execute(text("INSERT INTO type_at VALUES (:position, :id)"),
                         [{"position": n, "id": i} for n, i in enumerate(ids)])
            insert_events(conn, MILLION, readers["officer"].id)
            db.session.commit()
            analyse()
            yield app, readers
            if db.engine.dialect.name == "postgresql":  # emptied before the database is reused
                db.session.execute(text("TRUNCATE event CASCADE"))
                db.session.commit()
                analyse()
    finally:
        databases.drop(url)


def analyse():
    """Fresh planner statistics, as autovacuum keeps them on PostgreSQL (ANALYZE on SQLite)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE event"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def plan(stmt):
    """The plan the database chooses, its settings untouched."""
    conn = db.session.connection()
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    if conn.dialect.name == "sqlite":
        params = tuple(value.isoformat() if isinstance(value, date) else value
                       for value in (compiled.params[n] for n in compiled.positiontup))
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + compiled.string, params).all()
        return "\n".join(str(row[-1]) for row in rows)
    rows = conn.exec_driver_sql("EXPLAIN " + compiled.string, compiled.params).all()
    return "\n".join(row[0] for row in rows)


def shapes(reader):
    types = readable_types(reader)
    query, deep = listing.events_query, Cursor(date(2023, 7, 1), MAX_ID)
    return {
        "first page": query(types, Filters(), reader),
        "deep page": listing.after(query(types, Filters(), reader), Filters(), deep),
        "oldest first, deep": listing.after(query(types, Filters(oldest_first=True), reader),
                                            Filters(oldest_first=True), deep),
        "one type": query(types, Filters(type_id=types[-1].id), reader),
        "one month": query(types, Filters(date_from=date(2023, 3, 1),
                                          date_to=date(2023, 3, 31)), reader),
        "recorded by me": query(types, Filters(mine=True), reader),
        "text": query(types, Filters(text="school"), reader),  # one event in 20
    }


@pytest.mark.parametrize("role", ["officer", "liaison", "coordinator"])
def test_pages_answer_from_indexes_at_a_million_events(million, role):
    _, readers = million
    total = db.session.scalar(text("SELECT count(*) FROM event"))
    assert total == MILLION
    for name, stmt in shapes(readers[role]).items():
        found = plan(stmt.limit(listing.PAGE_SIZE + 1))
        assert "Seq Scan on event" not in found, (role, name, found)
        assert not any(line.strip() == "SCAN event" for line in found.splitlines()), (
            role, name, found)
        assert "event" in found  # the plan is of the event table


def peak_while(steps):
    """The peak of Python's allocations while each step runs: [bytes], one per step."""
    tracemalloc.start()
    try:
        peaks = []
        for step in steps:
            tracemalloc.reset_peak()
            step()
            peaks.append(tracemalloc.get_traced_memory()[1])
        return peaks
    finally:
        tracemalloc.stop()


def test_the_csv_export_of_a_million_events_streams_with_flat_memory(million):
    _, readers = million
    coordinator = readers["coordinator"]
    stmt = listing.events_query(readable_types(coordinator), Filters(), coordinator)
    lines = listing.csv_lines(listing.all_pages(stmt, Filters()), "nl")
    written = {"lines": 0, "last": b""}  # what went out is not kept: a client took it

    def take(count):
        def step():
            for _ in range(count):
                written["last"] = next(lines)
                written["lines"] += 1
        return step

    first, tenfold = peak_while([take(5_000), take(50_000)])
    assert written["lines"] == 55_000 and written["last"].count(b";") == 8
    # Reading everything at once would hold a million rows (gigabytes) from the first line.
    assert first < 64 * MiB, first
    assert tenfold < 2 * first, (first, tenfold)


def test_the_xlsx_export_writes_with_flat_memory(million, tmp_path, monkeypatch):
    _, readers = million
    coordinator = readers["coordinator"]
    stmt = listing.events_query(readable_types(coordinator), Filters(), coordinator)

    def write(rows):
        def step():
            monkeypatch.setattr(listing, "XLSX_ROWS", rows)
            with open(tmp_path / f"{rows}.xlsx", "wb") as out:
                listing.xlsx_file(listing.all_pages(stmt, Filters()), "nl", out)
        return step

    small, tenfold = peak_while([write(1_000), write(10_000)])
    assert tenfold < 2 * small, (small, tenfold)
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "10000.xlsx", read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert len(rows) == 1 + 10_000 + 1  # the header, the rows, and "the list goes on"
    assert "10.000" in rows[-1][0]  # "the list goes on after its first 10.000 rows" (nl)
