"""Where a page's time goes: its SQL statements (count, time, the slowest) and its Python
functions (cProfile), for requests through Flask's test client over N events.

    .venv/bin/python bench/profile_pages.py --db sqlite \\
        --db postgresql://postgres@127.0.0.1:5432/test [--events 100000] \\
        [--page dashboard --page activities --page report] [--top 12]

Each database is fresh (an SQLite file, or `bench_profile_<pid>` on a PostgreSQL server) and
dropped at the end. Per page: the median wall time of three requests, then one request with
SQL statements recorded, then three under cProfile: time by library (self time) and the
functions with the most self time, per request.
"""

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from collections import Counter

from sqlalchemy import event

from vscapp import create_app
from vscapp.extensions import db

from loading import loaded_database
from web import pages

# Self time is charged to the first library whose marker is in a function's file or name.
LIBRARIES = (("SQL driver", ("sqlite3", "psycopg")), ("SQLAlchemy", ("sqlalchemy",)),
             ("templates (Jinja)", ("jinja2", "templates/", ".html")),
             ("ReportLab", ("reportlab",)), ("openpyxl", ("openpyxl",)),
             ("durable-rules", ("durable",)), ("vscapp", ("vscapp",)),
             ("Flask, Werkzeug, WTForms, Babel", ("flask", "werkzeug", "wtforms", "babel")))


def signed_in_client(app, email, password):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"csrf_token": token, "email": email,
                                           "password": password})
    if response.status_code != 302:
        raise RuntimeError(f"{email} could not sign in")
    return client


class Statements:
    """Every SQL statement the engine runs while recording, with its parameters."""

    def __init__(self, engine):
        self.engine, self.recording, self.done = engine, False, []
        event.listen(engine, "before_cursor_execute", self.before)

    def before(self, conn, cursor, statement, parameters, context, executemany):
        if self.recording:
            self.done.append((statement, parameters))

    def during(self, request):
        self.done, self.recording = [], True
        try:
            request()
        finally:
            self.recording = False
        return self.done

    def replayed(self, done):
        """[(seconds, statement, parameters)]: each statement run again, all rows fetched
        (SQLite computes much of a result while it is being fetched)."""
        timed = []
        with self.engine.connect() as conn:
            for statement, parameters in done:
                started = time.perf_counter()
                conn.exec_driver_sql(statement, parameters).fetchall()
                timed.append((time.perf_counter() - started, statement, parameters))
        return timed

    def plan(self, statement, parameters):
        explain = "EXPLAIN QUERY PLAN " if self.engine.dialect.name == "sqlite" else "EXPLAIN "
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(explain + statement, parameters).all()
        return [" ".join(str(value) for value in row[-1:]) for row in rows]


def shortened(statement, width=220):
    """The statement on one line, its select list elided."""
    flat = " ".join(statement.split())
    flat = re.sub(r"^SELECT (DISTINCT )?.*? FROM ", r"SELECT \1... FROM ", flat, count=1)
    return flat if len(flat) <= width else flat[:width] + "..."


def fetch(client, path):
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code}")
    return response


def wall_ms(client, path, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fetch(client, path)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def library(key):
    filename, _, name = key
    where = f"{filename} {name}".lower()
    return next((label for label, markers in LIBRARIES
                 if any(m in where for m in markers)), "other (Python, stdlib)")


def profiled(client, path, repeat):
    profile = cProfile.Profile()
    for _ in range(repeat):
        profile.runcall(fetch, client, path)
    return pstats.Stats(profile)


def by_library(stats):
    """Self seconds per library; a built-in's (dict.get, say) goes to the libraries that
    called it, as much as each call site spent in it."""
    seconds = Counter()
    for key, (_, _, self_time, _, callers) in stats.stats.items():
        label = library(key)
        if key[0] == "~" and label.startswith("other") and callers:
            for caller, (_, _, caller_time, _) in callers.items():
                seconds[library(caller)] += caller_time
        else:
            seconds[label] += self_time
    return seconds


def top_functions(stats, count, repeat):
    """The `count` functions with the most self time, per request."""
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:count]
    return [(self_time / repeat, cumulative / repeat, calls // repeat,
             f"{short(filename)}:{line} {name}")
            for (filename, line, name), (_, calls, self_time, cumulative, _) in rows]


def short(filename):
    for marker in ("site-packages/", "vscapp/", "lib/python3"):
        if marker in filename:
            return filename[filename.index(marker):]
    return filename


def report_page(client, statements, name, path, top, repeat):
    fetch(client, path)  # warm: templates compiled, rulesets registered
    wall = wall_ms(client, path, repeat)
    timed = statements.replayed(statements.during(lambda: fetch(client, path)))
    sql_ms = sum(seconds for seconds, _, _ in timed) * 1000
    print(f"\n### {name} `{path}`: {wall:.1f} ms; {len(timed)} SQL statements, "
          f"{sql_ms:.1f} ms when run again one by one\n")
    slowest = sorted(timed, key=lambda item: item[0], reverse=True)
    for seconds, statement, _ in slowest[:3]:
        print(f"- {seconds * 1000:.1f} ms: `{shortened(statement)}`")
    shapes = Counter(shortened(statement, 80) for _, statement, _ in timed).most_common(1)
    if shapes and shapes[0][1] > 2:
        print(f"- most repeated ({shapes[0][1]}x): `{shapes[0][0]}`")
    if slowest:
        print("\nplan of the slowest:\n\n    " + "\n    ".join(
            statements.plan(*slowest[0][1:])))
    stats = profiled(client, path, repeat)
    libraries = by_library(stats)
    total = sum(libraries.values())
    print(f"\nunder cProfile, {total / repeat * 1000:.0f} ms a request; self time by library: "
          + ", ".join(f"{label} {seconds / total:.0%}" for label, seconds
                      in libraries.most_common() if seconds / total >= 0.01))
    print("\n| self ms | cumulative ms | calls | function |\n|---:|---:|---:|---|")
    for self_time, cumulative, calls, where in top_functions(stats, top, repeat):
        print(f"| {self_time * 1000:.1f} | {cumulative * 1000:.1f} | {calls:,} | `{where}` |")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append",
                        help="'sqlite' (default) or a PostgreSQL server URL; repeat for both")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--page", action="append", help="a page name of bench/web.py "
                        "(default: dashboard, activities, deep page, report)")
    parser.add_argument("--top", type=int, default=12, help="functions listed per page")
    parser.add_argument("--repeat", type=int, default=3,
                        help="requests timed, and profiled, per page (default: 3)")
    args = parser.parse_args()
    wanted = args.page or ["dashboard", "activities", "deep page", "report"]
    chosen = [(name, path) for name, path in pages(args.events, 5000, "S1.SD1.OD2.I1")
              if name in wanted]
    for server in args.db or ["sqlite"]:
        with loaded_database(server, f"bench_profile_{os.getpid()}", args.events) as (
                url, accounts, seconds):
            print(f"\n## {server.split(':')[0]}, {args.events:,} events "
                  f"(loaded in {seconds:.1f} s)")
            app = create_app({"SQLALCHEMY_DATABASE_URI": url})
            with app.app_context():  # only to reach the engine: each request has its own
                engine = db.engine
            statements = Statements(engine)
            client = signed_in_client(app, *accounts["coordinator"])
            for name, path in chosen:
                report_page(client, statements, name, path, args.top, args.repeat)
            engine.dispose()


if __name__ == "__main__":
    main()
