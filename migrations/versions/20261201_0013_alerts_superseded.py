"""alerts closed as superseded: their rules version is no longer the active one

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.add_column(sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_column('superseded_at')
