"""directory accounts: user.directory_username (set: the account signs in through the directory)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 14:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('directory_username', sa.String(length=254), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_user_directory_username'),
                                          ['directory_username'])


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_directory_username'), type_='unique')
        batch_op.drop_column('directory_username')
