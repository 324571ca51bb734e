"""duplicates are searched among requests of every type: the term index drops its type

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

The terms themselves do not change (the domain still indexes the words 0005 backfilled), so no row is re-indexed:
the index is rebuilt on (term, created_at, request_id) and the copied ``request_type`` column goes.
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_request_terms_search', 'request_terms')
    with op.batch_alter_table('request_terms') as batch:
        batch.drop_column('request_type')
    op.create_index('ix_request_terms_recent', 'request_terms', ['term', 'created_at', 'request_id'])


def downgrade() -> None:
    op.drop_index('ix_request_terms_recent', 'request_terms')
    with op.batch_alter_table('request_terms') as batch:
        batch.add_column(sa.Column('request_type', sa.String(length=64), nullable=False, server_default=''))
    requests = sa.table('requests', sa.column('id', sa.Integer()), sa.column('request_type', sa.String()))
    terms = sa.table('request_terms', sa.column('request_id', sa.Integer()), sa.column('request_type', sa.String()))
    op.execute(
        terms.update().values(
            request_type=sa.select(requests.c.request_type)
            .where(requests.c.id == terms.c.request_id)
            .scalar_subquery()
        )
    )
    op.create_index('ix_request_terms_search', 'request_terms', ['term', 'request_type', 'created_at', 'request_id'])
