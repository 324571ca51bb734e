"""a term index for duplicate detection (backfilled); indexes on the request times reports and digests read

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import re

from alembic import op
import sqlalchemy as sa

import storage.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# The content words of a brief as bot.briefs.duplicates reads them when this migration was written (a migration
# keeps its own copy: it must backfill the same terms whatever the code becomes later).
_WORD = re.compile(r"[^\W_]{3,}", re.UNICODE)
_STOP = frozenset(
    "the and for with our new need needs please this that from into your about want".split()
)
_TERM_MAX = 64
_BATCH = 1000


def _terms(brief: dict) -> set[str]:
    parts = [brief.get(name) for name in ("title", "objective", "campaign", "audience")]
    text = " ".join(p for p in parts if isinstance(p, str) and p)
    return {w[:_TERM_MAX] for w in (m.group(0).lower() for m in _WORD.finditer(text)) if w not in _STOP}


def upgrade() -> None:
    op.create_table(
        'request_terms',
        sa.Column('request_id', sa.Integer(), sa.ForeignKey('requests.id'), primary_key=True),
        sa.Column('term', sa.String(length=_TERM_MAX), primary_key=True),
        sa.Column('request_type', sa.String(length=64), nullable=False),
        sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_request_terms_search', 'request_terms', ['term', 'request_type', 'created_at', 'request_id'])
    with op.batch_alter_table('requests') as batch:
        batch.create_index('ix_requests_created_at', ['created_at'])
        batch.create_index('ix_requests_submitted_at', ['submitted_at'])
        batch.create_index('ix_requests_delivered_at', ['delivered_at'])
    _backfill()


def _backfill() -> None:
    """Index the terms of every existing request, a page of requests at a time."""
    requests = sa.table(
        'requests',
        sa.column('id', sa.Integer()),
        sa.column('request_type', sa.String()),
        sa.column('created_at', storage.types.UTCDateTime(timezone=True)),
        sa.column('brief', sa.JSON()),
    )
    terms = sa.table(
        'request_terms',
        sa.column('request_id', sa.Integer()),
        sa.column('term', sa.String()),
        sa.column('request_type', sa.String()),
        sa.column('created_at', storage.types.UTCDateTime(timezone=True)),
    )
    bind = op.get_bind()
    last = 0
    while True:
        page = bind.execute(
            sa.select(requests.c.id, requests.c.request_type, requests.c.created_at, requests.c.brief)
            .where(requests.c.id > last)
            .order_by(requests.c.id)
            .limit(_BATCH)
        ).all()
        if not page:
            return
        rows = [
            {'request_id': row.id, 'term': term, 'request_type': row.request_type, 'created_at': row.created_at}
            for row in page
            for term in sorted(_terms(row.brief if isinstance(row.brief, dict) else {}))
        ]
        if rows:
            bind.execute(sa.insert(terms), rows)
        last = page[-1].id


def downgrade() -> None:
    with op.batch_alter_table('requests') as batch:
        batch.drop_index('ix_requests_delivered_at')
        batch.drop_index('ix_requests_submitted_at')
        batch.drop_index('ix_requests_created_at')
    op.drop_index('ix_request_terms_search', 'request_terms')
    op.drop_table('request_terms')
