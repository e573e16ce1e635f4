"""the activities list's text search on SQLite: a full-text index of trigrams (FTS5) of each
event's note and case reference, `event_text`, kept by triggers in the same transaction as
every change of the event table (PostgreSQL searches with pg_trgm, migration 0015)

A migration that rebuilds the event table on SQLite (batch mode) drops these triggers: it must
make them again (tests/test_listing.py finds a search that misses a new or corrected note).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 18:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

CREATE = [
    # external content: the texts stay in `event`; the index holds their trigrams only
    "CREATE VIRTUAL TABLE event_text USING fts5(note, case_ref, content='event', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER event_text_insert AFTER INSERT ON event BEGIN "
    "INSERT INTO event_text (rowid, note, case_ref) VALUES (new.id, new.note, new.case_ref); "
    "END",
    "CREATE TRIGGER event_text_delete AFTER DELETE ON event BEGIN "
    "INSERT INTO event_text (event_text, rowid, note, case_ref) "
    "VALUES ('delete', old.id, old.note, old.case_ref); END",
    "CREATE TRIGGER event_text_update AFTER UPDATE OF note, case_ref ON event BEGIN "
    "INSERT INTO event_text (event_text, rowid, note, case_ref) "
    "VALUES ('delete', old.id, old.note, old.case_ref); "
    "INSERT INTO event_text (rowid, note, case_ref) VALUES (new.id, new.note, new.case_ref); "
    "END",
    "INSERT INTO event_text (event_text) VALUES ('rebuild')",  # the events already there
]


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':
        for statement in CREATE:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        for trigger in ('event_text_update', 'event_text_delete', 'event_text_insert'):
            op.execute(f'DROP TRIGGER IF EXISTS {trigger}')
        op.execute('DROP TABLE IF EXISTS event_text')
