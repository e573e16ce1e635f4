"""Does the forgot-password form's answer time tell whether an address has an account?

Runs the app under gunicorn (as in production: 2 workers, 4 threads, CSRF on) on a SQLite
file or PostgreSQL, with a real SMTP server (aiosmtpd), and times the form's answer for
addresses of active accounts and for unknown ones, alternately.

    python bench/forgot_password.py [--db postgresql://postgres@127.0.0.1:5432/test] [--rounds N]

The PostgreSQL URL names a server where the bench may create and drop `vsc_bench_forgot`.
"""

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from aiosmtpd.controller import Controller
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from vscapp import create_app
from vscapp.extensions import db
from vscapp.users.services import create_user

ROOT = Path(__file__).resolve().parent.parent


class Sink:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database(url, folder):
    if not url:
        return f"sqlite:///{folder / 'bench.db'}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS vsc_bench_forgot WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE vsc_bench_forgot"))
    admin.dispose()
    return make_url(url).set(database="vsc_bench_forgot").render_as_string(hide_password=False)


def prepare(url, accounts):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        for n in range(accounts):
            create_user(f"known{n}@molenbeek.brussels", "officer", None)
        db.session.commit()
        db.engine.dispose()


def serve(url, smtp_port):
    port = free_port()
    env = {**os.environ, "VSC_ENV": "testing", "VSC_TEST_DATABASE_URL": url,
           "VSC_SMTP_HOST": "127.0.0.1", "VSC_SMTP_PORT": str(smtp_port)}
    server = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "4",
         "--bind", f"127.0.0.1:{port}", "vscapp:create_app()"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def session(port):
    """A session cookie and its CSRF token, from the form page."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/password/forgot")
    response = conn.getresponse()
    cookie = next(value.split(";")[0] for name, value in response.getheaders()
                  if name == "Set-Cookie" and value.startswith("session="))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      response.read().decode()).group(1)
    conn.close()
    return cookie, token


def ask(port, cookie, token, email):
    """Seconds from sending the form to the answer's last byte."""
    body = urllib.parse.urlencode({"csrf_token": token, "email": email})
    conn = http.client.HTTPConnection("127.0.0.1", port)
    start = time.perf_counter()
    conn.request("POST", "/password/forgot", body, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = conn.getresponse()
    answer = response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    assert response.status == 302, (response.status, answer[:2000])
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    with tempfile.TemporaryDirectory() as folder:
        url = database(args.db, Path(folder))
        prepare(url, args.rounds)
        server, port = serve(url, controller.port)
        try:
            cookie, token = session(port)
            times = {"known": [], "unknown": []}
            for n in range(args.rounds):
                for kind in ("known", "unknown"):
                    email = f"{'known' if kind == 'known' else 'nobody'}{n}@molenbeek.brussels"
                    times[kind].append(ask(port, cookie, token, email))
                    time.sleep(0.05)  # the work after the answer is done before the next one
        finally:
            server.terminate()
            server.wait(timeout=10)
            controller.stop()
    print(f"{'sqlite' if not args.db else 'postgresql'}, {args.rounds} pairs, "
          f"{sink.count} e-mails sent")
    for kind, values in times.items():
        values = sorted(values)
        print(f"{kind:8} median {statistics.median(values) * 1000:6.2f} ms   "
              f"p90 {values[int(len(values) * 0.9)] * 1000:6.2f} ms")


if __name__ == "__main__":
    main()
