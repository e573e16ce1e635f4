"""The package as a server gets it: the source archive and the wheel built from it, installed
in a fresh virtualenv outside the checkout, then `vsc db upgrade` on a new database (PostgreSQL
when VSC_TEST_DATABASE_URL names a server, else a SQLite file), the shipped plan and rules
loaded, gunicorn started, and a sign-in over HTTP.

Building and installing take a minute or two: one virtualenv serves the whole session, and
`-m "not wheel"` leaves these tests out of a quick run.
"""

import fcntl
import http.cookiejar
import os
import secrets
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from test_deploy import running

from fixtures.database import PG_URL
from helpers import PASSWORD, ROOT, csrf_token, free_port

pytestmark = pytest.mark.wheel
EMAIL = "coordinator@molenbeek.test"
# As the README's installation on Debian 13 says: durable-rules needs it to build on 3.13.
BUILD_FLAGS = "-DPyEval_CallObject=PyObject_CallObject"


def run(command, **kwargs):
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True,
                            timeout=900, **kwargs)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="session")
def release(tmp_path_factory):
    """The source archive of the checkout and the wheel built from that archive alone."""
    dist = tmp_path_factory.mktemp("dist")
    # setuptools writes the archive's tree into the checkout itself (vscapp-<version>/): two
    # xdist workers building at once would remove each other's files, so one at a time.
    with open(Path(tempfile.gettempdir()) / "vscapp-sdist.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        run([sys.executable, "-c", "import sys; from setuptools import build_meta; "
             "build_meta.build_sdist(sys.argv[1])", dist], cwd=ROOT)
    (sdist,) = dist.glob("vscapp-*.tar.gz")
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--wheel-dir", dist, sdist],
        cwd=dist)
    (wheel,) = dist.glob("vscapp-*.whl")
    return sdist, wheel


@pytest.fixture(scope="session")
def venv(release, tmp_path_factory):
    """A fresh virtualenv, outside the checkout, with the wheel installed as the README says."""
    folder = tmp_path_factory.mktemp("server")
    run([sys.executable, "-m", "venv", folder / "venv"], cwd=folder)
    env = {**os.environ, "CPPFLAGS": BUILD_FLAGS}
    run([folder / "venv" / "bin" / "pip", "install", "-q", release[1]], cwd=folder, env=env)
    return folder


def server_env(database):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("VSC_") and k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return {**env, "VSC_ENV": "production", "VSC_SECRET_KEY": secrets.token_hex(32),
            "VSC_DATABASE_URL": database, "VSC_COOKIE_SECURE": "0"}


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database: no schema until `vsc db upgrade` makes it."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'vsc.db'}"
        return
    name = f"vsc_wheel_{os.getpid()}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_the_wheel_holds_the_package_and_its_files_and_nothing_else(release):
    sdist, wheel = release
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names} == {"vscapp", wheel.name.split("-py3")[0]
                                                      + ".dist-info"}
    for shipped in ("vscapp/_root/config.py", "vscapp/_root/templates/base.html",
                    "vscapp/_root/migrations/env.py", "vscapp/_root/migrations/alembic.ini",
                    "vscapp/_root/rules/2023.yaml", "vscapp/_root/plans/molenbeek-2023-nl.md",
                    "vscapp/static/vsc.css", "vscapp/translations/nl/LC_MESSAGES/messages.mo",
                    "vscapp/translations/fr/LC_MESSAGES/messages.mo"):
        assert shipped in names
    revisions = {p.name for p in (ROOT / "migrations" / "versions").glob("*.py")}
    assert revisions == {Path(n).name for n in names if "/_root/migrations/versions/" in n}
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_installed_from_the_wheel_it_migrates_serves_and_signs_in(venv, fresh_database):
    env = server_env(fresh_database)
    bin_ = venv / "venv" / "bin"
    where = run([bin_ / "python", "-c", "import vscapp; print(vscapp.root())"], cwd=venv,
                env=env).stdout.strip()
    assert where.startswith(str(venv / "venv")) and where.endswith("vscapp/_root")
    no_config = subprocess.run([bin_ / "python", "-c", "import config"], cwd=venv, env=env,
                               capture_output=True, text=True)
    assert "No module named 'config'" in no_config.stderr  # no generic module installed

    vsc = bin_ / "vsc"
    run([vsc, "db", "upgrade"], cwd=venv, env=env)
    run([vsc, "users", "create", EMAIL, "--role", "coordinator"], cwd=venv, env=env,
        input=f"{PASSWORD}\n")
    run([vsc, "plan", "import", f"{where}/plans/molenbeek-2023-nl.md"], cwd=venv, env=env)
    run([vsc, "rules", "activate", f"{where}/rules/2023.yaml", "--reason", "2023 targets"],
        cwd=venv, env=env)

    port = free_port()
    gunicorn = [bin_ / "gunicorn", "--workers", "1", "--threads", "2", "--preload",
                "--bind", f"127.0.0.1:{port}", "vscapp:create_app()"]
    with running([str(part) for part in gunicorn], {**env, "PWD": str(venv)}, port) as log:
        sign_in_and_look_around(f"http://127.0.0.1:{port}")
    assert "Traceback" not in log[0], log[0]


def sign_in_and_look_around(base):
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    assert opener.open(f"{base}/healthz").read() == b"ok\n"
    login = urllib.request.Request(f"{base}/login",  # noqa: S310 (our own server)
                                   headers={"Accept-Language": "nl"})
    page = opener.open(login).read().decode()
    assert "Wachtwoord" in page  # the compiled Dutch catalogue
    form = {"csrf_token": csrf_token(page), "email": EMAIL, "password": PASSWORD}
    home = opener.open(f"{base}/login", urllib.parse.urlencode(form).encode())
    assert home.url == f"{base}/" and EMAIL in home.read().decode()
    status = opener.open(f"{base}/targets/2023").read().decode()
    assert 'data-code="S1.SD1.OD2.I1"' in status
    style = opener.open(f"{base}/static/vsc.css")
    assert style.headers["Content-Type"].startswith("text/css")
