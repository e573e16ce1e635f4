"""one word for the weekly digest: user.alert_delivery 'weekly' becomes 'digest'

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 11:20:00

"""
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE \"user\" SET alert_delivery = 'digest' WHERE alert_delivery = 'weekly'")


def downgrade():
    op.execute("UPDATE \"user\" SET alert_delivery = 'weekly' WHERE alert_delivery = 'digest'")
