"""Production safety: what stops the start (in one line, never a traceback), the environment
file of `vsc`, and demo data kept out of production."""

import os
import secrets
import subprocess
import sys

import pytest

import config
from helpers import free_port
from vscapp import StartupError, create_app

KEY = secrets.token_hex(32)
VSC = [sys.executable, "-c", "from vscapp.cli import main; main()"]


def clean_env(**settings):
    """The process's environment without any VSC_* of ours, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VSC_")}
    return {**env, **settings}


def vsc(*args, env, **kwargs):
    return subprocess.run([*VSC, *args], env=env, capture_output=True, text=True, timeout=120,
                          **kwargs)


def assert_one_line_error(result, message):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.stderr


@pytest.fixture
def production(monkeypatch):
    monkeypatch.setattr(config.Config, "SECRET_KEY", KEY)
    monkeypatch.setattr(config.Config, "SQLALCHEMY_DATABASE_URI", "postgresql://db/vsc")
    return config.Config


@pytest.mark.parametrize(("key", "problem"), [
    (None, "VSC_SECRET_KEY is not set"),
    ("", "VSC_SECRET_KEY is not set"),
    ("x" * 31, "VSC_SECRET_KEY is too short (31 characters, at least 32)"),
    (config.EXAMPLE_SECRET_KEY, "still the example's placeholder"),
])
def test_production_refuses_a_missing_short_or_example_key(production, monkeypatch, key,
                                                           problem):
    monkeypatch.setattr(config.Config, "SECRET_KEY", key)
    with pytest.raises(StartupError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        create_app(config.Config)


def test_the_example_environment_file_holds_the_placeholder_the_check_knows():
    from helpers import ROOT

    assert f"VSC_SECRET_KEY={config.EXAMPLE_SECRET_KEY}\n" in (
        ROOT / "deploy" / "env.example").read_text()


def test_a_key_of_32_characters_will_do(production, monkeypatch):
    monkeypatch.setattr(config.Config, "SECRET_KEY", "k" * 32)
    assert create_app(config.Config).config["SECRET_KEY"] == "k" * 32


def test_production_needs_its_database_url(production, monkeypatch):
    monkeypatch.setattr(config.Config, "SQLALCHEMY_DATABASE_URI", None)
    with pytest.raises(StartupError, match="VSC_DATABASE_URL is not set"):
        create_app(config.Config)


def test_development_still_falls_back_to_sqlite_with_any_key(monkeypatch):
    monkeypatch.setattr(config.DevelopmentConfig, "SECRET_KEY", "short")
    monkeypatch.setattr(config.DevelopmentConfig, "SQLALCHEMY_DATABASE_URI", None)
    app = create_app(config.DevelopmentConfig)
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")


def test_vsc_says_what_stops_the_start_in_one_line(tmp_path):
    short = clean_env(VSC_ENV="production", VSC_SECRET_KEY="too-short",
                      VSC_DATABASE_URL=f"sqlite:///{tmp_path}/vsc.db")
    assert_one_line_error(vsc("db", "upgrade", env=short), "Error: VSC_SECRET_KEY is too short")
    assert not (tmp_path / "vsc.db").exists()
    nothing = clean_env(VSC_ENV="production")
    assert_one_line_error(vsc("db", "upgrade", env=nothing), "VSC_SECRET_KEY is not set")
    no_database = clean_env(VSC_ENV="production", VSC_SECRET_KEY=KEY)
    assert_one_line_error(vsc("users", "list", env=no_database), "VSC_DATABASE_URL is not set")
    help_page = vsc("--help", env=nothing)
    assert "Traceback" not in help_page.stderr
    assert help_page.stderr.strip().startswith("Error: VSC_SECRET_KEY is not set")
    assert "Usage: vsc" in help_page.stdout


def test_vsc_says_in_one_line_that_the_database_does_not_answer(tmp_path):
    env = clean_env(VSC_ENV="production", VSC_SECRET_KEY=KEY,
                    VSC_DATABASE_URL=f"postgresql://vscapp@127.0.0.1:{free_port()}/vscapp")
    assert_one_line_error(vsc("db", "upgrade", env=env), "Error: database: connection failed")


@pytest.mark.parametrize("preload", [True, False], ids=["preload", "no-preload"])
def test_gunicorn_says_what_stops_the_start_in_one_line(preload):
    env = clean_env(VSC_ENV="production", VSC_SECRET_KEY=KEY)  # no VSC_DATABASE_URL
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{free_port()}",
               "--workers", "1", *(["--preload"] if preload else []), "vscapp:create_app()"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    problem = [line for line in result.stderr.splitlines() if "VSC_DATABASE_URL" in line]
    assert len(problem) == 1 and "VSC_DATABASE_URL is not set" in problem[0], result.stderr


def test_vsc_reads_the_environment_file(tmp_path):
    database = tmp_path / "vsc.db"
    env_file = tmp_path / "env"
    env_file.write_text(f"# as deploy/env.example\nVSC_ENV=development\n"
                        f"VSC_DATABASE_URL=sqlite:///{database}\n")
    out = vsc("db", "upgrade", env=clean_env(VSC_ENV_FILE=str(env_file)))
    assert out.returncode == 0, out.stderr
    assert database.exists()
    out = vsc("--env-file", str(env_file), "users", "create", "a@example.test", "--role",
              "coordinator", env=clean_env(), input="a long enough password\n")
    assert out.returncode == 0, out.stderr
    # What the environment already says wins over the file.
    other = tmp_path / "other.db"
    out = vsc("db", "upgrade", env=clean_env(VSC_ENV_FILE=str(env_file),
                                             VSC_DATABASE_URL=f"sqlite:///{other}"))
    assert out.returncode == 0, out.stderr
    assert other.exists()


def test_a_missing_environment_file_is_one_line(tmp_path):
    missing = tmp_path / "nothing-here"
    assert_one_line_error(vsc("db", "upgrade", env=clean_env(VSC_ENV_FILE=str(missing))),
                          f"Error: VSC_ENV_FILE={missing}: No such file or directory")
    result = vsc("--env-file", str(missing), "db", "upgrade", env=clean_env())
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "does not exist" in result.stderr


@pytest.mark.parametrize("command", ["users", "events"])
def test_demo_data_never_goes_into_production(tmp_path, command):
    env = clean_env(VSC_ENV="production", VSC_SECRET_KEY=KEY,
                    VSC_DATABASE_URL=f"sqlite:///{tmp_path}/vsc.db")
    assert_one_line_error(vsc("demo", command, env=env),
                          "Error: vsc demo writes demo accounts and made-up activities: it "
                          "does not run in production")
