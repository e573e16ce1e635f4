"""audit entries made through the signed-in user's proxy name the account (User), not LocalProxy

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 15:10:00.000000

"""
from alembic import op


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    # Only current_user (always a User) was ever passed as the object through its proxy.
    op.execute("UPDATE audit_entry SET entity_type = 'User' WHERE entity_type = 'LocalProxy'")


def downgrade():
    pass  # the proxy's class name told nothing worth restoring
