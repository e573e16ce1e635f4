"""daily totals per activity type, filled from the live events

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 11:09:57.433617

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('daily_total',
    sa.Column('type_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('events', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['type_id'], ['event_type.id'], name=op.f('fk_daily_total_type_id_event_type')),
    sa.PrimaryKeyConstraint('type_id', 'day', name=op.f('pk_daily_total'))
    )
    # An upgraded database counts what it already holds (vscapp.events.daily_totals.rebuild
    # does the same; this copy of its query stays as it was when the table came).
    op.execute(
        "INSERT INTO daily_total (type_id, day, events, quantity, participants) "
        "SELECT type_id, occurred_on, count(*), coalesce(sum(quantity), 0), "
        "coalesce(sum(participants), 0) FROM event WHERE voided_at IS NULL "
        "GROUP BY type_id, occurred_on")


def downgrade():
    op.drop_table('daily_total')
