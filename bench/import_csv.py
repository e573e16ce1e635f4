"""Time and peak memory of `vsc events import` for a register of N rows.

For each database and size: a fresh database with the 2023 plan and rules (bench/loading.py),
a CSV of N valid rows over 2023 (types the officer may record, a note on one row in ten), then
`vsc events import FILE --as officer` in its own process, as an operator runs it; its wall
time and peak resident memory (the child's ru_maxrss) are printed, and the count checked.

    .venv/bin/python bench/import_csv.py --db sqlite \\
        --db postgresql://postgres@127.0.0.1:5432/test --rows 10000 --rows 100000
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select

from vscapp.events.models import Event

from loading import ROOT, YEAR, loaded_database

NOTES = ("Vraag van de school", "Opvolging na overleg", "Doorverwezen naar het CAW",
         "Tweede gesprek", "Info-avond voor ouders")


def write_register(path, rows, seed=7):
    """A CSV of `rows` valid rows over YEAR, of types an officer records."""
    rng = random.Random(seed)
    start = date(YEAR, 1, 1)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("date;type;quantity;participants;note\n")
        for n in range(rows):
            day = start + timedelta(days=rng.randrange(365))
            if rng.random() < 0.3:
                line = f"{day:%d/%m/%Y};awareness_session;1;{rng.randint(5, 40)};"
            else:
                line = f"{day.isoformat()};individual_consultation;{rng.randint(1, 3)};;"
            out.write(line + (rng.choice(NOTES) if n % 10 == 0 else "") + "\n")


def run(url, email, rows):
    """Import a register of `rows` rows into `url`: (seconds, peak RSS in MiB)."""
    with tempfile.TemporaryDirectory(prefix="vsc-bench-import-") as folder:
        register = Path(folder) / "register.csv"
        write_register(register, rows)
        env = {**os.environ, "VSC_ENV": "production", "VSC_DATABASE_URL": url,
               "VSC_SECRET_KEY": "bench-" + "x" * 40}
        vsc = Path(sys.executable).with_name("vsc")
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603 (our own command, fixed arguments)
            [str(vsc), "events", "import", str(register), "--as", email],
            env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"import failed: {done.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # kB -> MiB
    engine = create_engine(url)
    with engine.connect() as conn:
        stored = conn.scalar(select(func.count(Event.id)))
    engine.dispose()
    assert stored == rows, (stored, rows)
    return seconds, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", help="'sqlite' (default) or a PostgreSQL URL")
    parser.add_argument("--rows", type=int, action="append", help="default: 10000 and 100000")
    args = parser.parse_args()
    print("| database | rows | time | peak memory |\n|---|---:|---:|---:|")
    for server in args.db or ["sqlite"]:
        for rows in args.rows or [10_000, 100_000]:
            # One child process per measurement, so that ru_maxrss is this import's own.
            done = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
                [sys.executable, __file__, "--one", server, str(rows)],
                capture_output=True, text=True, check=True, cwd=ROOT)
            seconds, peak = done.stdout.split()
            name = "postgresql" if server.startswith("postgresql") else server
            print(f"| {name} | {rows:,} | {float(seconds):.1f} s | {float(peak):.0f} MiB |",
                  flush=True)


def one(server, rows):
    with loaded_database(server, f"vsc_bench_import_{os.getpid()}", 0) as (url, accounts, _):
        seconds, peak = run(url, accounts["officer"][0], rows)
    print(seconds, peak)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        one(sys.argv[2], int(sys.argv[3]))
    else:
        main()
