"""The activities list at scale: EXPLAIN ANALYZE of its first page, a deep page, filtered
pages and the counts under a filtered list (by text, by author: these sum the events, not the
daily totals), with the planner's ordinary settings, on a database of N events (all recorded
by the officer, one in 20 with a note).

    python bench/list_pages.py postgresql://postgres@127.0.0.1:5432/postgres 1000000

Prints, per reader and page, the time the database took, and whether the plan reads the event
table by a sequential scan.
"""

import re
import sys
from datetime import date

from sqlalchemy import select

from vscapp import create_app
from vscapp.events import listing
from vscapp.events.listing import Cursor, Filters
from vscapp.events.services import readable_types
from vscapp.extensions import db
from vscapp.users.models import User

from loading import loaded_database

YEAR_START, YEAR_END = date(2023, 1, 1), date(2023, 12, 31)


def statements(reader):
    types = readable_types(reader)
    query = listing.events_query
    deep = Cursor(date(2023, 3, 15), 10**9)
    return {
        "first page": query(types, Filters(), reader),
        "deep page (mid-March)": listing.after(query(types, Filters(), reader), Filters(), deep),
        "one type": query(types, Filters(type_id=types[-1].id), reader),
        "recorded by me": query(types, Filters(mine=True), reader),
        "one month": query(types, Filters(date_from=date(2023, 3, 1),
                                          date_to=date(2023, 3, 31)), reader),
        "text (no match)": query(types, Filters(text="zzz-no-such-text"), reader),
        "text (one in 20)": query(types, Filters(text="school"), reader),
        "counts, text": listing.event_totals_query(types, Filters(text="school"), reader,
                                                   YEAR_START, YEAR_END),
        "counts, recorded by me": listing.event_totals_query(types, Filters(mine=True), reader,
                                                             YEAR_START, YEAR_END),
    }


def explain(stmt):
    conn = db.session.connection()
    compiled = stmt.limit(51).compile(dialect=conn.dialect,
                                      compile_kwargs={"render_postcompile": True})
    rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + compiled.string,
                                compiled.params).all()
    return "\n".join(row[0] for row in rows)


def main(server, events):
    with loaded_database(server, "vsc_bench_list", events) as (url, accounts, seconds):
        print(f"{events} events loaded in {seconds:.0f} s")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            for role in ("officer", "liaison", "coordinator"):
                reader = db.session.scalar(select(User).where(User.role == role))
                for name, stmt in statements(reader).items():
                    plan = explain(stmt)
                    ms = re.search(r"Execution Time: ([\d.]+) ms", plan).group(1)
                    scan = "SEQ SCAN" if re.search(r"Seq Scan on event\b", plan) else "index"
                    used = sorted(set(re.findall(r"using (\w+) on event\b", plan)))
                    print(f"{role:12} {name:24} {float(ms):9.1f} ms  {scan:8} {used}")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000)
