"""`vsc backup` and `vsc restore`."""

from pathlib import Path

import click
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from vscapp.audit import services as audit
from vscapp.backup import services
from vscapp.extensions import db


@click.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
def backup_command(path):
    """Back up the database to PATH, a new file or a folder (a dated file is made in it).

    PostgreSQL: pg_dump's custom format; SQLite: a copy made with SQLite's backup API. Safe
    while the app runs. The file is readable by its owner only: it holds all the data.
    """
    try:
        written = services.backup(_database_url(), path)
    except services.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backed up {_database_name()} to {written} ({written.stat().st_size:,} bytes).")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="This replaces all the data in the database by the "
                           "backup's. Continue?")
def restore_command(path):
    """Replace the database by the backup in PATH (made by `vsc backup`), then bring its
    schema up to this version (`vsc db upgrade`). Stop the app and the timers first."""
    db.session.remove()
    db.engine.dispose()  # the app's own connections would hold locks the restore waits for
    try:
        services.restore(_database_url(), path)
    except services.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    upgrade()
    audit.record("database.restore", Database(_database_name()),
                 after={"file": path.name, "sha256": services.file_digest(path)})
    db.session.commit()
    click.echo(f"Restored {_database_name()} from {path}.")


class Database:
    """The database as the subject of an audit entry."""

    def __init__(self, name):
        self.id = name[:40]  # the width of audit_entry.entity_id


def _database_url():
    return current_app.config["SQLALCHEMY_DATABASE_URI"]


def _database_name():
    """The database as a message may name it: no password."""
    url = make_url(_database_url())
    return Path(url.database).name if url.get_backend_name() == "sqlite" else url.database
