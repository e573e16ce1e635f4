"""Page speed under gunicorn, run as in production, over 10k to 1M events.

For each database and size: a fresh database (an SQLite file, or `bench_web_<pid>` on a
PostgreSQL server) with the 2023 plan, rules/2023.yaml active and N events over 2023; gunicorn
`vscapp:create_app()` as production runs it (2 workers x 4 threads, gthread, VSC_ENV=production)
on a free port of 127.0.0.1; then for each number of virtual users (the coordinator, signed in
once per user, each with its own session) every page is requested over and over for
--duration seconds; last, `vsc alerts run` is timed once, sending to an SMTP sink (aiosmtpd) on
127.0.0.1. gunicorn and the sink are stopped and the database dropped at the end, also on an
error, Ctrl-C or a kill (SIGTERM).

    .venv/bin/python bench/web.py --db sqlite --db postgresql://postgres@127.0.0.1:5432/test \\
        --events 10000 --events 100000 --users 1 --users 8 --users 16 --duration 10 --json

Needs the test extras (aiosmtpd). Talks to 127.0.0.1 only. Prints, per database, size and
number of users, each page's p50/p95/p99 in ms, requests done, errors and p50 as a multiple of
the static file's p50 in the same run, and the CPU ms the server spent per request (steady
whatever else loads the machine, unlike latencies), then summary tables; --json also writes
bench/results/web.json, and --summary FILE prints its tables again. The client threads run
on the same machine as the server.
"""

import argparse
import http.cookiejar
import json
import math
import os
import platform
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy.engine import make_url

from vscapp.converters import MAX_ID

from loading import ROOT, YEAR, loaded_database

TIMEOUT = 300  # seconds for one request, one alerts run, gunicorn to stop
START_TRIES = 600  # x 0.1 s for gunicorn to answer


# --- The processes: SMTP sink, gunicorn, vsc alerts run --------------------------------------

def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sink:
    """An aiosmtpd handler that only counts the messages it accepts."""

    def __init__(self):
        self.messages = 0

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        return "250 Message accepted for delivery"


@contextmanager
def smtp_sink():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield sink, controller.port
    finally:
        controller.stop()


def production_env(url, smtp_port):
    """The environment of a production server on `url`, without any VSC_* of ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VSC_")}
    return {**env, "VSC_ENV": "production", "VSC_SECRET_KEY": secrets.token_hex(32),
            "VSC_COOKIE_SECURE": "0", "VSC_DATABASE_URL": url, "VSC_SMTP_HOST": "127.0.0.1",
            "VSC_SMTP_PORT": str(smtp_port), "VSC_SMTP_SECURITY": "none"}


@contextmanager
def gunicorn(env):
    """gunicorn serving the app on a free port of 127.0.0.1: (base URL, master's pid)."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(  # noqa: S603 (our own command, fixed arguments)
            [sys.executable, "-m", "gunicorn", "--worker-class", "gthread", "--workers", "2",
             "--threads", "4", "--bind", f"127.0.0.1:{port}", "vscapp:create_app()"],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(server, base)
            yield base, server.pid
        finally:
            stop(server)
            log.seek(0)
            output = log.read().decode(errors="replace")
            if "Traceback" in output:
                print(f"gunicorn logged errors:\n{output[-4000:]}", file=sys.stderr)


def wait_until_up(server, base):
    for _ in range(START_TRIES):
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            with opener().open(f"{base}/login", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer")


def stop(server):
    server.terminate()
    try:
        server.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def run_vsc(env, *arguments):
    """(seconds, exit status, output) of one `vsc` command."""
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [str(Path(sys.executable).with_name("vsc")), *arguments], env=env, cwd=ROOT,
        capture_output=True, text=True, timeout=TIMEOUT, check=False)
    return time.perf_counter() - started, done.returncode, done.stdout + done.stderr


def time_alerts(env, sink):
    """Seconds `vsc alerts run` takes at the end of the year and `vsc alerts --help` (its
    start-up: imports and the app) takes, its last line, messages sent."""
    startup, _, _ = run_vsc(env, "alerts", "--help")
    before = sink.messages
    seconds, status, output = run_vsc(env, "alerts", "run", "--as-of", f"{YEAR}-12-31")
    lines = output.strip().splitlines()
    return {"seconds": seconds, "startup_seconds": startup, "exit": status,
            "said": lines[-1] if lines else "", "messages": sink.messages - before}


class ServerCpu:
    """CPU seconds the server spends: gunicorn's workers and, on PostgreSQL, the backends
    serving the bench database (found in /proc by parent and by process title)."""

    def __init__(self, master, database=None):
        self.master, self.database = str(master), database

    def ours(self, pid):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            title = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:  # gone meanwhile
            return None
        fields = stat.rsplit(")", 1)[1].split()
        if fields[1] == self.master or (self.database and title.startswith("postgres: ")
                                        and f" {self.database} " in title):
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return None

    def snapshot(self):
        """{pid: CPU seconds so far} of the server's processes."""
        seconds = ((pid, self.ours(pid)) for pid in os.listdir("/proc") if pid.isdigit())
        return {pid: cpu for pid, cpu in seconds if cpu is not None}

    @staticmethod
    def spent(before, after):
        return sum(cpu - before.get(pid, 0) for pid, cpu in after.items())


def cpu_state(server_cpu):
    """(CPU seconds the machine was busy, CPU seconds it had, CPU seconds of the server and
    this bench) so far, from /proc/stat."""
    with open("/proc/stat") as stat:
        user, nice, system, idle, iowait, irq, softirq, steal = map(
            int, stat.readline().split()[1:9])
    tick = os.sysconf("SC_CLK_TCK")
    total = user + nice + system + idle + iowait + irq + softirq + steal
    ours = sum(server_cpu.snapshot().values()) + sum(os.times()[:2])
    return (total - idle - iowait) / tick, total / tick, ours


def others_share(before, after):
    """The share of the machine's CPU that other processes used between two cpu_state()s."""
    busy, total, ours = (a - b for a, b in zip(after, before, strict=True))
    return max(0.0, (busy - ours) / total) if total else 0.0


# --- Virtual users ---------------------------------------------------------------------------

def opener():
    """A urllib opener with its own cookie jar that never goes through a proxy."""
    return urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                       urllib.request.HTTPCookieProcessor(
                                           http.cookiejar.CookieJar()))


class VirtualUser:
    """One browser: its own session cookie, signed in through the login form."""

    def __init__(self, base):
        self.base = base
        self.opener = opener()

    def sign_in(self, email, password):
        with self.opener.open(f"{self.base}/login", timeout=TIMEOUT) as response:
            page = response.read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"csrf_token": token, "email": email,
                                       "password": password}).encode()
        with self.opener.open(f"{self.base}/login", form, timeout=TIMEOUT) as response:
            if urllib.parse.urlsplit(response.geturl()).path == "/login":
                raise RuntimeError(f"{email} could not sign in")
        return self

    def get(self, path):
        """Seconds to fetch `path` whole. Raises OSError on a status other than 200 and
        RuntimeError on a redirect (to the login page, say)."""
        started = time.perf_counter()
        with self.opener.open(self.base + path, timeout=TIMEOUT) as response:
            response.read()
            final = response.geturl()
        seconds = time.perf_counter() - started
        if final != self.base + path:
            raise RuntimeError(f"redirected to {final}")
        return seconds


def sign_in(base, account, count):
    """`count` sessions of one account, signed in one after the other: the sign-in throttle
    counts a try until its password is checked, so more than a few at once of one login are
    refused (429), as they should be."""
    return [VirtualUser(base).sign_in(*account) for _ in range(count)]


# --- Measuring -------------------------------------------------------------------------------

def pages(indicator):
    """(name, path) of the pages measured. The list pages by key: its deep page is the one
    that starts after 1 July (the middle of the events, whatever their number)."""
    return [("static file", "/static/vsc.css"), ("dashboard", "/"),
            ("indicator", f"/targets/{YEAR}/{indicator}"), ("activities", "/events/"),
            ("deep page", f"/events/?after={YEAR}-07-01.{MAX_ID}"),
            ("text search", "/events/?text=school"),
            ("report", f"/report/{YEAR}"), ("report PDF", f"/report/{YEAR}/export.pdf"),
            ("report XLSX", f"/report/{YEAR}/export.xlsx")]


def hammer(users, path, duration, max_requests):
    """Every user fetches `path` again and again for `duration` seconds (at most
    `max_requests` times each): (seconds of each request, errors, seconds taken)."""
    deadline = time.monotonic() + duration
    halt = threading.Event()

    def one_user(user):
        times, errors = [], []
        for _ in range(max_requests):
            if halt.is_set() or time.monotonic() >= deadline:
                break
            try:
                times.append(user.get(path))
            except (OSError, RuntimeError) as exc:
                errors.append(str(exc))
        return times, errors

    started = time.monotonic()
    with ThreadPoolExecutor(len(users)) as pool:
        try:
            results = list(pool.map(one_user, users))
        except BaseException:
            halt.set()
            raise
    times = [t for user_times, _ in results for t in user_times]
    errors = [e for _, user_errors in results for e in user_errors]
    return times, errors, time.monotonic() - started


def percentile(ms, q):
    """The nearest-rank q-th percentile of sorted `ms`, or None if empty."""
    return ms[max(0, math.ceil(q / 100 * len(ms)) - 1)] if ms else None


def measure(users, name, path, duration, max_requests, cpu):
    before = cpu.snapshot()
    times, errors, seconds = hammer(users, path, duration, max_requests)
    server_ms = cpu.spent(before, cpu.snapshot()) * 1000
    ms = sorted(t * 1000 for t in times)
    return {"page": name, "path": path, "p50": percentile(ms, 50), "p95": percentile(ms, 95),
            "p99": percentile(ms, 99), "requests": len(ms), "per_second": len(ms) / seconds,
            "cpu_ms": server_ms / len(ms) if ms else None,
            "errors": len(errors), "first_error": errors[0] if errors else None}


def warm_up(user, page_list):
    """Two requests per page, untimed: templates, rulesets and connections get made."""
    for _, path in page_list:
        for _ in range(2):
            try:
                user.get(path)
            except (OSError, RuntimeError) as exc:
                print(f"warm-up {path}: {exc}", file=sys.stderr)


def run_users(users, page_list, args, cpu):
    rows = [measure(users, name, path, args.duration, args.max_requests, cpu)
            for name, path in page_list]
    static = rows[0]["p50"]
    for row in rows:
        row["x_static"] = row["p50"] / static if static and row["p50"] is not None else None
    return rows


def bench(server, events, args, sink, smtp_port):
    """Every measurement for one database and size; a list of runs."""
    runs = []
    with loaded_database(server, f"bench_web_{os.getpid()}", events) as (
            url, accounts, load_seconds):
        database = "sqlite" if server == "sqlite" else "postgresql"
        print(f"\n## {database}, {events:,} events: loaded in {load_seconds:.1f} s", flush=True)
        env = production_env(url, smtp_port)
        page_list = pages(args.indicator)
        with gunicorn(env) as (base, master):
            cpu = ServerCpu(master, make_url(url).database if database == "postgresql" else None)
            users = sign_in(base, accounts["coordinator"], max(args.users))
            warm_up(users[0], page_list)
            for count in args.users:
                load, before = os.getloadavg()[0], cpu_state(cpu)
                rows = run_users(users[:count], page_list, args, cpu)
                run = {"database": database, "events": events, "users": count,
                       "load_seconds": load_seconds, "loadavg": load,
                       "others_cpu": others_share(before, cpu_state(cpu)), "pages": rows}
                print_run(run)
                runs.append(run)
        alerts = time_alerts(env, sink)
        print(f"`vsc alerts run`: {alerts['seconds']:.2f} s, start-up "
              f"{alerts['startup_seconds']:.2f} s (exit {alerts['exit']}, "
              f"{alerts['messages']} message(s) received): {alerts['said']}", flush=True)
        for run in runs:
            run["alerts"] = alerts
    return runs


# --- Output ----------------------------------------------------------------------------------

def number(value, digits=1):
    return "-" if value is None else f"{value:,.{digits}f}"


def print_run(run):
    print(f"\n### {run['database']}, {run['events']:,} events, {run['users']} user(s) "
          f"(load average {run['loadavg']:.1f} before; other processes used "
          f"{run['others_cpu']:.0%} of the CPUs meanwhile)\n")
    print("| page | path | p50 ms | p95 ms | p99 ms | requests | req/s | server CPU ms/req "
          "| errors | p50 / static |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in run["pages"]:
        print(f"| {row['page']} | `{row['path']}` | {number(row['p50'])} | {number(row['p95'])} "
              f"| {number(row['p99'])} | {row['requests']:,} | {number(row['per_second'])} | "
              f"{number(row['cpu_ms'])} | {row['errors']} | {number(row['x_static'])}x |")
        if row["first_error"]:
            print(f"<!-- first error: {row['first_error']} -->")
    sys.stdout.flush()


def print_summary(runs):
    """Two tables, one line per database, size and users: every page's p50 in ms, and the
    server's CPU ms per request."""
    if not runs:
        return
    names = [row["page"] for row in runs[0]["pages"]]
    print("\n## p50 in ms (errors, if any, in brackets)\n")
    print("| database | events | users | " + " | ".join(names) + " | alerts run (start-up) |")
    print("|---|---:|---:|" + "---:|" * (len(names) + 1))
    for run in runs:
        cells = [number(row["p50"]) + (f" ({row['errors']})" if row["errors"] else "")
                 for row in run["pages"]]
        print(f"| {run['database']} | {run['events']:,} | {run['users']} | "
              + " | ".join(cells) + f" | {alerts_cell(run.get('alerts'))} |")
    print("\n## server CPU ms per request (gunicorn workers, and PostgreSQL's backends)\n")
    print("| database | events | users | " + " | ".join(names) + " |")
    print("|---|---:|---:|" + "---:|" * len(names))
    for run in runs:
        print(f"| {run['database']} | {run['events']:,} | {run['users']} | "
              + " | ".join(number(row.get("cpu_ms")) for row in run["pages"]) + " |")


def alerts_cell(alerts):
    if alerts is None:
        return "-"
    startup = alerts.get("startup_seconds")
    return f"{alerts['seconds']:.1f} s" + (f" ({startup:.1f} s)" if startup else "")


def write_json(runs, args):
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(),
               "date": time.strftime("%Y-%m-%d")}
    (out / "web.json").write_text(json.dumps(
        {"machine": machine, "duration": args.duration, "runs": runs}, indent=2),
        encoding="utf-8")


def interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main():
    signal.signal(signal.SIGTERM, interrupt)  # a kill cleans up as Ctrl-C does
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", help="'sqlite' (default) or a PostgreSQL "
                        "server URL where the bench may create and drop bench_web_<pid>")
    parser.add_argument("--events", type=int, action="append",
                        help="events to load; repeat (default: 10000 and 100000)")
    parser.add_argument("--users", type=int, action="append",
                        help="virtual users at once; repeat (default: 1, 8 and 16)")
    parser.add_argument("--duration", type=float, default=10,
                        help="seconds per page and number of users (default: 10)")
    parser.add_argument("--max-requests", type=int, default=10_000,
                        help="requests per user and page at most (default: 10000)")
    parser.add_argument("--indicator", default="S1.SD1.OD2.I1",
                        help="the indicator page's code (default: S1.SD1.OD2.I1)")
    parser.add_argument("--json", action="store_true", help="also write bench/results/web.json")
    parser.add_argument("--summary", type=Path, metavar="JSON",
                        help="only print the summary tables of a JSON file written before")
    args = parser.parse_args()
    if args.summary:
        print_summary(json.loads(args.summary.read_text(encoding="utf-8"))["runs"])
        return 0
    args.users = args.users or [1, 8, 16]
    runs, status = [], 0
    try:
        with smtp_sink() as (sink, smtp_port):
            for server in args.db or ["sqlite"]:
                for events in args.events or [10_000, 100_000]:
                    runs += bench(server, events, args, sink, smtp_port)
    except KeyboardInterrupt:
        print("\nInterrupted: gunicorn and the SMTP sink are stopped, the database dropped.",
              file=sys.stderr)
        status = 130
    print_summary(runs)
    if args.json and runs:
        write_json(runs, args)
    return status


if __name__ == "__main__":
    sys.exit(main())
