"""The files in deploy/: systemd units that systemd-analyze accepts and rates as hardened, and an
nginx site that `nginx -t` accepts and that serves the app over HTTPS in front of gunicorn,
started with the unit's own command line and the production configuration.

systemd-analyze and nginx are system tools: without them these tests skip, except in CI
(CI=true), where .ci/run installs them and a missing one fails."""

import http.client
import os
import re
import secrets
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import time
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from helpers import PASSWORD, ROOT, csrf_token, free_port

DEPLOY = ROOT / "deploy"
SERVICES = sorted(DEPLOY.glob("*.service"))
UNITS = SERVICES + sorted(DEPLOY.glob("*.timer"))
VENV_BIN = "/opt/vscapp/venv/bin/"
HOST = "vsc.molenbeek.intranet"
MAX_CONTENT_LENGTH = 2 * 1024 * 1024  # the app's (config.py); the nginx site must agree


def tool(name, package):
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if path is None:
        message = f"{name} is not installed (Debian: apt-get install {package})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def unit_settings(path):
    """A unit file's settings as {key: [values]}: comments skipped, continued lines joined."""
    text = re.sub(r"\\\n\s*", " ", path.read_text())
    settings = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def local_copies(units, folder):
    """The units with the virtualenv's commands pointing at this one's, since systemd-analyze
    verify checks that every command it names exists."""
    folder.mkdir()
    for unit in units:
        text = unit.read_text().replace(VENV_BIN, f"{Path(sys.executable).parent}/")
        (folder / unit.name).write_text(text)
    return sorted(folder.iterdir())


def test_units_pass_systemd_analyze_verify(tmp_path):
    analyze = tool("systemd-analyze", "systemd")
    units = local_copies(UNITS, tmp_path / "units")
    result = subprocess.run([analyze, "verify", *units], capture_output=True, text=True)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
    # ... and it does complain about a unit it finds fault with, here.
    units[0].write_text(units[0].read_text() + "\nExecStrat=/bin/true\n")
    result = subprocess.run([analyze, "verify", units[0]], capture_output=True, text=True)
    assert "Unknown key" in result.stderr


@pytest.mark.parametrize("unit", SERVICES, ids=lambda path: path.name)
def test_services_run_hardened_as_vscapp_with_the_environment_file(unit):
    analyze = tool("systemd-analyze", "systemd")
    settings = unit_settings(unit)
    assert settings["User"] == ["vscapp"]
    assert settings["EnvironmentFile"] == ["/etc/vscapp/env"]
    for key, value in (("ProtectSystem", "strict"), ("ProtectHome", "yes"),
                       ("PrivateTmp", "yes"), ("NoNewPrivileges", "yes")):
        assert settings[key] == [value]
    # systemd's exposure score, 0 (locked down) to 10; 2.0 or less is rated OK.
    result = subprocess.run([analyze, "security", "--offline=true", "--threshold=20", unit],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:]
    assert re.search(r"Overall exposure level for \S+: 1\.\d OK", result.stdout)


def test_the_app_brings_the_schema_up_to_date_before_it_starts():
    # the command itself is tested in test_setup.py
    assert unit_settings(DEPLOY / "vscapp.service")["ExecStartPre"] == [f"{VENV_BIN}vsc db upgrade"]


def test_only_the_backup_service_may_write_and_only_its_folder():
    writable = {unit.name: unit_settings(unit).get("ReadWritePaths") for unit in SERVICES}
    assert writable == {"vsc-alerts.service": None, "vsc-backup.service": ["/var/backups/vscapp"],
                        "vscapp.service": None}


def test_nginx_and_gunicorn_agree_on_the_address_and_the_request_size(app):
    site = (DEPLOY / "nginx-vscapp.conf").read_text()
    start = shlex.split(unit_settings(DEPLOY / "vscapp.service")["ExecStart"][0])
    address = start[start.index("--bind") + 1]
    assert re.findall(r"proxy_pass http://(\S+);", site) == [address]
    assert address.startswith("127.0.0.1:")  # only nginx reaches gunicorn
    assert re.findall(r"client_max_body_size (\d+)m;", site) == [
        str(MAX_CONTENT_LENGTH // 2**20)]
    assert app.config["MAX_CONTENT_LENGTH"] == MAX_CONTENT_LENGTH


def wait_for_port(port, process, seconds=60):
    deadline = time.monotonic() + seconds  # generous: CI machines are shared and slow
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port} after {seconds} s")


def replace_once(text, old, new):
    assert text.count(old) == 1, f"the site no longer has exactly one {old!r}"
    return text.replace(old, new)


def nginx_config(folder, http_port, https_port, upstream):
    """The site as shipped, on local ports with a self-signed certificate, logs and temporary
    files in `folder`, inside a minimal nginx.conf; returns the latter's path."""
    subprocess.run([tool("openssl", "openssl"), "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", f"/CN={HOST}",
                    "-keyout", folder / "key.pem", "-out", folder / "cert.pem"],
                   check=True, capture_output=True)
    site = (DEPLOY / "nginx-vscapp.conf").read_text()
    for old, new in (("listen 80;", f"listen 127.0.0.1:{http_port};"), ("listen [::]:80;", ""),
                     ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
                     ("listen [::]:443 ssl;", ""),
                     (f"/etc/ssl/certs/{HOST}.pem", str(folder / "cert.pem")),
                     (f"/etc/ssl/private/{HOST}.key", str(folder / "key.pem")),
                     ("proxy_pass http://127.0.0.1:8000;", f"proxy_pass http://{upstream};")):
        site = replace_once(site, old, new)
    (folder / "vscapp.conf").write_text(site.replace("/var/log/nginx/", f"{folder}/"))
    temp = "\n".join(f"{kind}_temp_path {folder}/{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # As root, the workers would run as nobody, who cannot enter pytest's private folders.
    user = "user root;" if os.geteuid() == 0 else ""
    conf = folder / "nginx.conf"
    conf.write_text(f"{user}\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
                    f"events {{}}\nhttp {{\n{temp}\ninclude {folder}/vscapp.conf;\n}}\n")
    return conf


def test_nginx_accepts_the_site(tmp_path):
    nginx = tool("nginx", "nginx")
    conf = nginx_config(tmp_path, free_port(), free_port(), "127.0.0.1:8000")
    result = subprocess.run([nginx, "-t", "-c", conf, "-p", tmp_path, "-e", tmp_path / "e.log"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr


def service_environment(database_url, folder):
    """What systemd gives the service: the unit's Environment=, and /etc/vscapp/env as in
    env.example with a real secret key and the test's database."""
    env = {"PATH": os.environ["PATH"]}
    for line in (DEPLOY / "env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            key, value = line.split("=", 1)
            env[key] = value
    for setting in unit_settings(DEPLOY / "vscapp.service")["Environment"]:
        key, value = setting.split("=", 1)
        env[key] = value
    env.update(VSC_SECRET_KEY=secrets.token_hex(32), VSC_DATABASE_URL=database_url,
               XDG_RUNTIME_DIR=str(folder))
    assert env["VSC_ENV"] == "production"
    return env


@contextmanager
def running(command, env, port):
    """A server, up once `port` takes connections, stopped on leaving even after a failure;
    its log (standard error) is appended to the yielded list then."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    log = []
    try:
        wait_for_port(port, process)
        yield log
    finally:
        process.terminate()
        log.append(process.communicate(timeout=30)[1])


class Browser:
    """Requests to nginx with the server's name in Host, and the session cookie kept."""

    def __init__(self, http_port, https_port, cafile):
        self.http_port, self.https_port = http_port, https_port
        self.context = ssl.create_default_context(cafile=cafile)
        self.context.check_hostname = False  # the certificate is checked, the name is HOST
        self.cookies = SimpleCookie()

    def request(self, method, path, body=None, headers=(), tls=True):
        if tls:
            conn = http.client.HTTPSConnection("127.0.0.1", self.https_port,
                                               context=self.context, timeout=10)
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=10)
        cookie = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        conn.request(method, path, body=body,
                     headers={"Host": HOST, **({"Cookie": cookie} if cookie else {}),
                              **dict(headers)})
        response = conn.getresponse()
        response.text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        conn.close()
        return response


def test_https_through_nginx_to_gunicorn_as_the_unit_starts_it(database_url, make_user,
                                                                tmp_path):
    nginx = tool("nginx", "nginx")
    coordinator = make_user("coordinator")
    env = service_environment(database_url, tmp_path)

    app_port, http_port, https_port = free_port(), free_port(), free_port()
    start = shlex.split(unit_settings(DEPLOY / "vscapp.service")["ExecStart"][0])
    assert start[0] == f"{VENV_BIN}gunicorn"
    start[start.index("--bind") + 1] = f"127.0.0.1:{app_port}"
    conf = nginx_config(tmp_path, http_port, https_port, f"127.0.0.1:{app_port}")
    proxy_command = [nginx, "-c", conf, "-p", tmp_path, "-e", tmp_path / "e.log",
                     "-g", "daemon off;"]
    with (running([sys.executable, "-m", "gunicorn", *start[1:]], env, app_port) as app_log,
          running(proxy_command, env, https_port) as proxy_log):
        check_the_site(Browser(http_port, https_port, tmp_path / "cert.pem"), coordinator)
    assert "Traceback" not in app_log[0], app_log[0]
    assert "[emerg]" not in proxy_log[0], proxy_log[0]


def check_the_site(browser, user):
    plain = browser.request("GET", "/login?next=/targets", tls=False)
    assert plain.status == 301
    assert plain.getheader("Location") == f"https://{HOST}/login?next=/targets"

    page = browser.request("GET", "/login")
    assert page.status == 200
    assert page.getheader("Strict-Transport-Security") == "max-age=31536000"
    assert page.getheader("Server") == "nginx"  # no version
    assert "script-src 'none'" in page.getheader("Content-Security-Policy")
    # The production configuration's cookie, and a sign-in that passes Flask-WTF's HTTPS
    # referrer check: gunicorn took X-Forwarded-Proto from nginx, the app knows it is HTTPS.
    assert {"secure", "httponly"} <= {k for k, v in browser.cookies["session"].items() if v}
    form = {"csrf_token": csrf_token(page.text), "email": user.email, "password": PASSWORD}
    signed_in = browser.request("POST", "/login", body=urlencode(form), headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"https://{HOST}/login"})
    assert signed_in.status == 302, signed_in.text
    home = browser.request("GET", "/")
    assert home.status == 200 and user.email in home.text

    style = browser.request("GET", "/static/vsc.css")
    assert style.status == 200 and style.getheader("Content-Type").startswith("text/css")

    # A body of exactly MAX_CONTENT_LENGTH reaches the app (which wants a CSRF token); one byte
    # more is refused by nginx.
    raw = {"Content-Type": "application/octet-stream"}
    at_limit = browser.request("POST", "/login", body=b"x" * MAX_CONTENT_LENGTH, headers=raw)
    assert at_limit.status == 400 and "nginx" not in at_limit.text
    over = browser.request("POST", "/login", body=b"x" * (MAX_CONTENT_LENGTH + 1), headers=raw)
    assert over.status == 413 and "nginx" in over.text
