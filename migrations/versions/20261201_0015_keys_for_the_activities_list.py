"""keys for the activities list: (occurred_on, id) for its pages, (created_by_id, occurred_on,
id) for "recorded by me", trigrams of the note and case reference for its text search (pg_trgm
on PostgreSQL); the first replaces the index on occurred_on alone

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 14:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_occurred_on')
        batch_op.create_index('ix_event_by_date', ['occurred_on', 'id'], unique=False)
        batch_op.create_index('ix_event_by_author', ['created_by_id', 'occurred_on', 'id'],
                              unique=False)
        batch_op.create_index('ix_event_text', ['note', 'case_ref'], unique=False,
                              postgresql_using='gin',
                              postgresql_ops={'note': 'gin_trgm_ops', 'case_ref': 'gin_trgm_ops'})


def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_text')
        batch_op.drop_index('ix_event_by_author')
        batch_op.drop_index('ix_event_by_date')
        batch_op.create_index('ix_event_occurred_on', ['occurred_on'], unique=False)
