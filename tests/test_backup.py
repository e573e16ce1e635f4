"""`vsc backup` and `vsc restore` on the database the suite runs on (SQLite, or PostgreSQL with
VSC_TEST_DATABASE_URL): back up, change the data, restore, and the change is gone."""

import stat
from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from fixtures.database import PG_URL, make_app
from helpers import make_event
from vscapp.audit.models import AuditEntry
from vscapp.backup.services import file_digest, libpq_connection
from vscapp.events.models import Event
from vscapp.extensions import db
from vscapp.users import services as accounts


def backup(runner, path):
    return runner.invoke(args=["backup", str(path)])


def restore(runner, path, *options):
    return runner.invoke(args=["restore", str(path), *options])


def test_restore_brings_back_the_data_of_the_backup(runner, make_user, tmp_path):
    officer = make_user("officer", email="kept@example.test")
    make_event("individual_consultation", officer, on=date(2023, 3, 1))
    result = backup(runner, tmp_path / "before.dump")
    assert result.exit_code == 0, result.output
    assert f"to {tmp_path / 'before.dump'}" in result.output

    make_user("coordinator", email="added@example.test")
    accounts.update_user(officer, {"language": "fr", "active": False})
    db.session.execute(text("DELETE FROM event"))
    db.session.commit()

    result = restore(runner, tmp_path / "before.dump", "--yes")
    assert result.exit_code == 0, result.output
    assert accounts.user_by_email("added@example.test") is None
    kept = accounts.user_by_email("kept@example.test")
    assert (kept.language, kept.active) == ("en", True)
    assert db.session.scalar(select(func.count()).select_from(Event)) == 1
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "database.restore")).one()
    assert entry.after == {"file": "before.dump",
                           "sha256": file_digest(tmp_path / "before.dump")}


def test_backup_into_a_folder_makes_a_dated_file_only_its_owner_reads(runner, tmp_path):
    result = backup(runner, tmp_path)
    assert result.exit_code == 0, result.output
    (written,) = tmp_path.iterdir()
    assert written.name.startswith(f"vscapp-{date.today():%Y%m%d}-")
    assert written.suffix == (".dump" if PG_URL else ".sqlite3")
    assert stat.S_IMODE(written.stat().st_mode) == 0o600


def test_backup_never_overwrites_a_file(runner, tmp_path):
    existing = tmp_path / "vsc.dump"
    existing.write_text("an older backup")
    result = backup(runner, existing)
    assert result.exit_code == 1
    assert "exists" in result.output
    assert existing.read_text() == "an older backup"
    assert list(tmp_path.iterdir()) == [existing]  # no partial file left behind


def test_restore_refuses_a_file_that_is_not_a_backup(runner, make_user, tmp_path):
    make_user(email="kept@example.test")
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("SQLite? PGDMP? neither")
    result = restore(runner, not_a_backup, "--yes")
    assert result.exit_code == 1
    assert "is not a" in result.output and "backup made by vsc backup" in result.output
    assert accounts.user_by_email("kept@example.test") is not None


def test_restore_refuses_when_the_database_has_tables_the_backup_lacks(runner, make_user,
                                                                       tmp_path):
    assert backup(runner, tmp_path / "old.dump").exit_code == 0
    make_user(email="added@example.test")
    db.session.execute(text("CREATE TABLE made_by_a_newer_version (id integer)"))
    db.session.commit()
    result = restore(runner, tmp_path / "old.dump", "--yes")
    assert result.exit_code == 1
    assert "tables the backup does not: made_by_a_newer_version" in result.output
    assert accounts.user_by_email("added@example.test") is not None


def test_restore_asks_before_replacing_the_data(runner, make_user, tmp_path):
    assert backup(runner, tmp_path / "b.dump").exit_code == 0
    make_user(email="added@example.test")
    result = runner.invoke(args=["restore", str(tmp_path / "b.dump")], input="n\n")
    assert result.exit_code == 1
    assert "replaces all the data" in result.output
    assert accounts.user_by_email("added@example.test") is not None


def test_password_goes_to_libpq_in_the_environment_not_the_command_line(monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    conninfo, env = libpq_connection(
        "postgresql+psycopg://vsc:s3cr%40t@db.example:5433/vsc?sslmode=verify-full")
    assert env["PGPASSWORD"] == "s3cr@t"
    assert "s3cr" not in conninfo
    assert sorted(conninfo.split()) == ["dbname=vsc", "host=db.example", "port=5433",
                                        "sslmode=verify-full", "user=vsc"]
    conninfo, env = libpq_connection("postgresql+psycopg://vscapp@/vscapp?host=/run/postgresql")
    assert sorted(conninfo.split()) == ["dbname=vscapp", "host=/run/postgresql", "user=vscapp"]
    assert "PGPASSWORD" not in env


def backup_with(url, path):
    app = make_app(url.render_as_string(hide_password=False))
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["backup", str(path)])
        db.engine.dispose()
    return result


@pytest.mark.skipif(not PG_URL, reason="pg_dump runs only on PostgreSQL")
def test_pg_dump_output_and_errors_never_show_the_password(database_url, tmp_path):
    canary = "canary-Pa55word"
    url = make_url(database_url).set(password=canary)  # the test server trusts 127.0.0.1
    done = backup_with(url, tmp_path / "done.dump")
    assert done.exit_code == 0, done.output
    failed = backup_with(url.set(database="no_such_database"), tmp_path / "failed.dump")
    assert failed.exit_code == 1
    assert "pg_dump failed" in failed.output and "no_such_database" in failed.output
    assert canary not in done.output + failed.output
