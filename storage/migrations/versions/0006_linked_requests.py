"""linked requests: the group's first reference on every request of the group (SPEC 2.7)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('requests') as batch:
        batch.add_column(sa.Column('group_ref', sa.String(length=16), nullable=True))
        batch.create_index('ix_requests_group_ref', ['group_ref'])


def downgrade() -> None:
    with op.batch_alter_table('requests') as batch:
        batch.drop_index('ix_requests_group_ref')
        batch.drop_column('group_ref')
