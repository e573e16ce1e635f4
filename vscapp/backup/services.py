"""Backing up and restoring the database, with the tools each database ships.

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists` in one transaction.
SQLite: the online backup API, which copies a consistent snapshot while the app keeps running.
No Flask here: everything takes the SQLAlchemy URL. The password never reaches a command line
or a message: it goes to pg_dump and pg_restore through PGPASSWORD.
"""

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from datetime import datetime
from pathlib import Path

from psycopg.conninfo import make_conninfo
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

MAGIC = {"postgresql": b"PGDMP", "sqlite": b"SQLite format 3\x00"}
SUFFIX = {"postgresql": ".dump", "sqlite": ".sqlite3"}
NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
SCHEMA_TABLE = "alembic_version"  # every vscapp database has it, from its first migration


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def backup(url, path):
    """Write a backup of the database at `url` to `path`, a new file or a folder to put a
    dated file in; returns the file written. The file is readable by its owner only."""
    url = make_url(url)
    kind = _kind(url)
    target = _target(Path(path), kind)
    fd, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    try:
        if kind == "postgresql":
            _pg("pg_dump", url, "--format=custom", f"--file={partial}")
        else:
            _sqlite_copy(_sqlite_file(url, must_exist=True), partial)
        _fsync(partial)
        os.replace(partial, target)  # a backup file is complete or absent
    finally:
        Path(partial).unlink(missing_ok=True)
    return target


def _target(path, kind):
    if path.is_dir():
        path = path / f"vscapp-{datetime.now():%Y%m%d-%H%M%S}{SUFFIX[kind]}"
    if path.exists():
        raise BackupError(f"{path} exists; give a new file name or a folder")
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a folder")
    return path


def restore(url, path):
    """Replace the database at `url` by the backup in `path`, all or nothing.

    Refused, before anything changes, when the file is not a backup of this kind of database
    or the database has tables the backup lacks (made by a newer version since the backup).
    """
    url = make_url(url)
    kind = _kind(url)
    path = Path(path)
    in_backup = tables_in_backup(kind, path)
    if SCHEMA_TABLE not in in_backup:
        raise BackupError(f"{path} is not a vscapp backup: it has no {SCHEMA_TABLE} table")
    newer = sorted(_tables_in_database(url) - in_backup)
    if newer:
        raise BackupError(
            f"the database has tables the backup does not: {', '.join(newer)}. It was "
            "upgraded after the backup was made: restore into an empty database (see "
            "README, Operating)")
    if kind == "postgresql":
        _pg("pg_restore", url, "--clean", "--if-exists", "--single-transaction",
            "--exit-on-error", "--no-owner", "--no-privileges", str(path))
    else:
        _sqlite_copy(path, _sqlite_file(url, must_exist=False))


def tables_in_backup(kind, path):
    """The names of the tables a backup file holds; BackupError if it is not a backup of
    this kind of database."""
    try:
        with path.open("rb") as file:
            head = file.read(len(MAGIC[kind]))
    except OSError as exc:
        raise BackupError(f"{path}: {exc.strerror}") from None
    if head != MAGIC[kind]:
        raise BackupError(f"{path} is not a {NAMES[kind]} backup made by vsc backup")
    if kind == "postgresql":
        listing = _run([_program("pg_restore"), "--list", str(path)], dict(os.environ))
        return set(re.findall(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", listing, re.MULTILINE))
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{path} is damaged (SQLite quick_check failed)")
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows}


def _tables_in_database(url):
    if url.get_backend_name() == "sqlite" and not _sqlite_file(url, must_exist=False).exists():
        return set()
    engine = create_engine(url, poolclass=NullPool)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def file_digest(path):
    """The SHA-256 of a file, to name a backup in the audit trail."""
    with Path(path).open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _kind(url):
    kind = url.get_backend_name()
    if kind not in MAGIC:
        raise BackupError(f"cannot back up a {kind} database: PostgreSQL or SQLite only")
    return kind


# PostgreSQL: the URL becomes libpq connection parameters; the password an environment variable.

def libpq_connection(url):
    """(conninfo, environment) for libpq tools: the URL's host, port, user, database and
    query parameters (sslmode=..., host=/run/postgresql) as a conninfo string, and the
    password, if any, as PGPASSWORD, so it never appears in a command line."""
    url = make_url(url)
    params = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database}
    for key, value in url.query.items():
        params[key] = value[-1] if isinstance(value, tuple) else value
    conninfo = make_conninfo("", **{k: v for k, v in params.items() if v is not None})
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = url.password
    return conninfo, env


def _pg(program, url, *args):
    conninfo, env = libpq_connection(url)
    command = [_program(program), "--no-password", *args, f"--dbname={conninfo}"]
    _run(command, env, secret=url.password)


def _program(name):
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt install postgresql-client)")
    return found


def _run(command, env, secret=None):
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        message = result.stderr.strip() or f"exit status {result.returncode}"
        if secret:
            message = message.replace(secret, "***")
        raise BackupError(f"{Path(command[0]).name} failed: {message}")
    return result.stdout


# SQLite: the online backup API copies page by page from a consistent snapshot.

def _sqlite_file(url, must_exist):
    if url.database in (None, "", ":memory:"):
        raise BackupError("an in-memory SQLite database has nothing to back up or restore")
    path = Path(url.database)
    if must_exist and not path.is_file():
        raise BackupError(f"the database file {path} does not exist")
    return path


def _sqlite_copy(source, target):
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        try:
            src.backup(dst)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source}: {exc}") from None


def _fsync(path):
    with Path(path).open("rb") as file:
        os.fsync(file.fileno())
