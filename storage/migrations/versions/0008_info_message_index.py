"""an index for the requester's reply to a relayed ops question: (info_ts, info_channel)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

A thread reply in a requester's DM is matched to its request by the question's ts; without an index that lookup
read the whole table (68 ms at 100,000 requests).
"""

from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_requests_info_message', 'requests', ['info_ts', 'info_channel'])


def downgrade() -> None:
    op.drop_index('ix_requests_info_message', 'requests')
