"""Alembic environment: runs on the connection Loket hands it (see migrate.py)."""

from __future__ import annotations

from alembic import context

from loket.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
