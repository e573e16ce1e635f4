"""Column helpers shared by the feature models, and the dialect's INSERT for upserts."""

from sqlalchemy import DateTime
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import mapped_column

from vscapp.clock import utcnow
from vscapp.extensions import db


def created_at_column():
    return mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)


def dialect_insert(table):
    """The database's own INSERT for `table` (a model or a Table), which has ON CONFLICT."""
    dialect = db.session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)
