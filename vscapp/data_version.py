"""The data version: one number that every write able to change an evaluation bumps, in the
same transaction. Evaluations are cached by it (targets.services), so a cached result is reused
until the data behind it changes, in every worker and on every server that shares the database.

Bumping updates the one row of `data_version`, which on PostgreSQL locks it until the commit:
every event write bumps it first, so event writes take their turn, and two changes of one event
can never interleave (events.daily_totals relies on this).
"""

from sqlalchemy import BigInteger, select, update
from sqlalchemy.orm import Mapped, mapped_column

from vscapp.extensions import db


class DataVersion(db.Model):
    """The one row (id 1) holding the data version; the migration creates it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger, default=0)


def bump():
    """A new data version, in the caller's transaction (and its lock, until it ends)."""
    db.session.execute(update(DataVersion).values(number=DataVersion.number + 1))


def current():
    """The data version as committed (or as this transaction has bumped it)."""
    return db.session.scalar(select(DataVersion.number).where(DataVersion.id == 1))
