"""Text in an activity's note or case reference, found from an index on either database.

PostgreSQL: ILIKE '%words%', which the pg_trgm index `ix_event_text` serves (migration 0015).
SQLite: `event_text`, an FTS5 table of trigrams of both texts, which triggers keep in the same
transaction as every change of the event table (migration 0018); a phrase of it matches any
text that holds the words, whatever their case.
"""

import re

from sqlalchemy import literal_column, or_, select, table, text

from vscapp.events.models import Event
from vscapp.extensions import SEARCH_TABLE, db


def holding(words):
    """The condition: the event's note or case reference holds `words` (3 characters or
    more), taken as they are (no wildcard), whatever the case."""
    if db.engine.dialect.name == "sqlite":
        phrase = '"' + words.replace('"', '""') + '"'
        matching = (select(literal_column("rowid")).select_from(table(SEARCH_TABLE))
                    .where(literal_column(SEARCH_TABLE).op("MATCH")(phrase)))
        return Event.id.in_(matching)
    pattern = "%" + re.sub(r"([/%_])", r"/\1", words) + "%"
    return or_(Event.note.ilike(pattern, escape="/"), Event.case_ref.ilike(pattern, escape="/"))


def forget_erased():
    """After an erasure: on SQLite the index is merged into one segment, so that the erased
    text's trigrams leave it now rather than at some later merge. (PostgreSQL's index drops
    them at the table's next vacuum.)"""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("INSERT INTO event_text (event_text) VALUES ('optimize')"))
