"""Configuration from the environment, the `vsc` console script, and a schema that exists only
through migrations which agree with the models."""

import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

import config
from vscapp import StartupError, create_app
from vscapp.extensions import db, modelled


def test_migrations_and_models_agree(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "include_name": modelled})
        assert compare_metadata(context, db.metadata) == []


def test_migrations_downgrade_to_nothing_and_up_again(app):
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert {"plan", "indicator", "event", "event_type", "user", "audit_entry"} <= set(
        inspect(db.engine).get_table_names())


def test_production_without_secret_key_fails_loudly(monkeypatch):
    monkeypatch.setattr(config.Config, "SECRET_KEY", None)
    with pytest.raises(StartupError, match="VSC_SECRET_KEY is not set"):
        create_app(config.Config)


def test_unknown_environment_name_is_refused(monkeypatch):
    monkeypatch.setenv("VSC_ENV", "staging")
    with pytest.raises(config.ConfigError, match="expected one of production, development"):
        config.from_environment()


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch):
    monkeypatch.setattr(config.DevelopmentConfig, "SQLALCHEMY_DATABASE_URI", None)
    app = create_app(config.DevelopmentConfig)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{app.instance_path}/vsc.db"


def test_production_cookies_are_secure_httponly_samesite(monkeypatch):
    monkeypatch.setattr(config.Config, "SECRET_KEY", "x" * 32)
    monkeypatch.setattr(config.Config, "SQLALCHEMY_DATABASE_URI", "postgresql://db/vsc")
    app = create_app(config.Config)
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_vsc_console_script_is_the_flask_cli_without_flask_app(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "VSC_ENV": "development",
           "VSC_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db", "HOME": str(tmp_path)}
    vsc = [sys.executable, "-c", "from vscapp.cli import main; main()"]
    out = subprocess.run([*vsc, "--help"], env=env, capture_output=True, text=True, check=True)
    for command in ("plan", "users", "events", "db", "run"):
        assert f"  {command}" in out.stdout
    subprocess.run([*vsc, "db", "upgrade"], env=env, capture_output=True, check=True)
    out = subprocess.run([*vsc, "users", "create", "a@example.test", "--role", "coordinator"],
                         env=env, input="a long enough password\n", capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stderr
    assert "Created a@example.test (coordinator)" in out.stdout
