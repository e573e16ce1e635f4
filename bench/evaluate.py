"""Evaluation speed: vscapp's evaluation against the bare SQL aggregate (the floor) and against
posting every event into durable-rules (the naive way), for 10k, 100k and 1M events, over the
real 2023 plan (13 indicators) and a generated plan of 200 indicators.

    python bench/evaluate.py --db sqlite --db postgresql://postgres@127.0.0.1:5432/test

Prints a markdown table (the README quotes it) and writes bench/results/evaluate.json.
The PostgreSQL URL names a server where the bench may create and drop `bench_evaluate_<pid>`.
"""

import argparse
import json
import os
import statistics
import time
from datetime import date

from durable import engine as durable
from flask_migrate import upgrade
from sqlalchemy import select

from vscapp import create_app
from vscapp.events.models import Event, EventType
from vscapp.events.services import totals_by_type
from vscapp.extensions import db
from vscapp.plans.generate import generated_plan, generated_rules, generated_type_codes
from vscapp.plans.parser import parse_plan
from vscapp.plans.services import import_plan, plan_for_year
from vscapp.targets import services
from vscapp.users.services import create_user

from loading import (
    ROOT,
    YEAR,
    activate_rules,
    drop_database,
    fill,
    fresh_database,
    load_2023_plan,
)

AS_OF = date(YEAR, 12, 31)


def setup(plan_name):
    """Import the plan, add the types it needs and activate its rules."""
    if plan_name == "2023":
        return load_2023_plan()
    db.session.add_all(EventType(code=code, name_nl=code, name_fr=code)
                       for code in generated_type_codes())
    import_plan(parse_plan(generated_plan()))
    db.session.flush()
    return activate_rules(generated_rules([i.code for i in plan_for_year(YEAR).indicators]))


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class _NaiveHost(durable.Host):
    def _run(self):
        pass


def naive(ruleset, as_of):
    """The naive way: every event posted into durable-rules, which counts them by type."""
    counts = {}

    def tally(c):
        counts[c.m.t] = counts.get(c.m.t, 0) + c.m.q

    host = _NaiveHost()
    name = f"naive_{time.perf_counter_ns()}"
    host.register_rulesets({name: {"tally": {"all": [{"m": {"$gte": {"q": 0}}}],
                                             "run": tally}}})
    rows = db.session.execute(select(EventType.code, Event.quantity, Event.id).join(Event).where(
        Event.voided_at.is_(None), Event.occurred_on <= as_of))
    chunk, session = [], 0
    for code, quantity, event_id in rows:
        chunk.append({"id": event_id, "t": code, "q": quantity})
        if len(chunk) == 60_000:  # one session holds at most 65,534 events
            session = _post(host, name, chunk, session)
            chunk = []
    if chunk:
        _post(host, name, chunk, session)
    return counts


def _post(host, name, chunk, session):
    sid = f"s{session}"
    for fact in chunk:
        fact["sid"] = sid
    host.post_batch(name, chunk)
    host.delete_state(name, sid)
    return session + 1


def run(database, sizes, repeat, naive_max):
    rows = []
    for plan_name in ("2023", "200 indicators"):
        url = fresh_database(database, f"bench_evaluate_{os.getpid()}")
        try:
            rows += measure(url, plan_name, sizes, repeat, naive_max)
        finally:
            drop_database(url)
    return rows


def measure(url, plan_name, sizes, repeat, naive_max):
    """Rows of figures for one plan in the database at `url`, filled up size by size."""
    rows = []
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        user = create_user("bench@example.test", "officer", "benchmark-password")
        ruleset = setup(plan_name)
        filled = 0
        for size in sizes:
            fill(ruleset, size - filled, user.id)
            filled = size
            floor = timed(lambda r=ruleset: totals_by_type(r.start, r.end), repeat)
            version = services.active_version(YEAR)  # evaluated afresh, not from the cache
            evaluation = timed(lambda v=version: services.evaluate_version(v, AS_OF), repeat)
            slow = timed(lambda r=ruleset: naive(r, AS_OF), 1) if size <= naive_max else None
            rows.append({"database": db.engine.dialect.name, "plan": plan_name,
                         "indicators": len(ruleset.indicators), "events": size,
                         "aggregate_s": floor, "evaluation_s": evaluation, "naive_s": slow})
            print_row(rows[-1], flush=True)
        db.session.remove()
        db.engine.dispose()
    return rows


def print_header():
    print("| database | plan | events | SQL aggregate (floor) | evaluation | ratio | "
          "every event into durable-rules |")
    print("|---|---|---:|---:|---:|---:|---:|")


def print_row(row, flush=False):
    naive_text = f"{row['naive_s']:.2f} s" if row["naive_s"] is not None else "not run"
    print(f"| {row['database']} | {row['plan']} | {row['events']:,} | "
          f"{row['aggregate_s'] * 1000:.1f} ms | {row['evaluation_s'] * 1000:.1f} ms | "
          f"{row['evaluation_s'] / row['aggregate_s']:.2f}x | {naive_text} |", flush=flush)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", default=None,
                        help="'sqlite' or a PostgreSQL server URL; repeat for both")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--naive-max", type=int, default=1_000_000,
                        help="skip the naive way above this many events")
    args = parser.parse_args()
    print_header()
    rows = []
    for database in args.db or ["sqlite"]:
        rows += run(database, args.sizes, args.repeat, args.naive_max)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "evaluate.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
