"""a durable inbox of Slack deliveries; the outbox becomes transactional (every call, keyed, leased)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa

import storage.types


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'inbox',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('key', sa.String(length=160), nullable=False, unique=True),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('queue', sa.String(length=64), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('lease', sa.String(length=32), nullable=True),
        sa.Column('lease_until', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('next_attempt_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_error', sa.String(length=200), nullable=True),
        sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('done_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_index('ix_inbox_status_next', 'inbox', ['status', 'next_attempt_at'])
    op.create_index('ix_inbox_queue_status', 'inbox', ['queue', 'status'])
    op.create_index('ix_inbox_done_at', 'inbox', ['done_at'])
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('key', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('method', sa.String(length=16), nullable=False, server_default='post'))
        batch.add_column(sa.Column('ts', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('user', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('lease', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('lease_until', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('sent_channel', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('sent_ts', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('sent_at', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch.create_unique_constraint('uq_outbox_key', ['key'])
    op.create_index('ix_outbox_channel_status', 'outbox', ['channel', 'status'])
    op.create_index('ix_outbox_sent_at', 'outbox', ['sent_at'])
    op.drop_table('processed_events')  # the inbox's unique keys stop Slack's retries now


def downgrade() -> None:
    op.create_table(
        'processed_events',
        sa.Column('event_id', sa.String(length=128), primary_key=True),
        sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
    )
    op.drop_index('ix_outbox_sent_at', 'outbox')
    op.drop_index('ix_outbox_channel_status', 'outbox')
    with op.batch_alter_table('outbox') as batch:
        batch.drop_constraint('uq_outbox_key', type_='unique')
        for column in ('sent_at', 'sent_ts', 'sent_channel', 'lease_until', 'lease', 'user', 'ts', 'method', 'key'):
            batch.drop_column(column)
    op.drop_index('ix_inbox_done_at', 'inbox')
    op.drop_index('ix_inbox_queue_status', 'inbox')
    op.drop_index('ix_inbox_status_next', 'inbox')
    op.drop_table('inbox')
