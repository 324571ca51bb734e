"""Persistence: SQLModel tables, sessions, repositories and Alembic migrations. The only place that talks SQL."""
