"""drop unused columns; outbox messages keep what to show as data

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('drafts') as batch:
        batch.drop_column('expiry_notified')
    with op.batch_alter_table('requests') as batch:
        batch.drop_column('delivery_channel')
        batch.drop_column('delivery_ts')
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('request_id')
        batch.drop_column('blocks')
        batch.add_column(sa.Column('card', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('card')
        batch.add_column(sa.Column('blocks', sa.JSON(), nullable=False, server_default='[]'))
        batch.add_column(sa.Column('request_id', sa.Integer(), sa.ForeignKey('requests.id'), nullable=True))
    with op.batch_alter_table('requests') as batch:
        batch.add_column(sa.Column('delivery_ts', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('delivery_channel', sa.String(length=32), nullable=True))
    with op.batch_alter_table('drafts') as batch:
        batch.add_column(sa.Column('expiry_notified', sa.Boolean(), nullable=False, server_default=sa.false()))
