"""name_key compares byte-wise on PostgreSQL

Revision ID: 0002_name_key_collation
Revises: 0001_initial

A name prefix search is a range over ``applicants.name_key`` (``>= 'yoh'`` and
``< 'yoi'``). That range means "starts with" only under byte-wise (code point)
order: a linguistic collation such as en_US.UTF-8 ignores spaces and punctuation
at first level and would let the range miss or add names. SQLite compares
byte-wise already (BINARY); on PostgreSQL the column gets the "C" collation,
and its index is rebuilt with it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_name_key_collation"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.alter_column(
        "applicants",
        "name_key",
        type_=sa.String(length=300, collation="C"),
        existing_type=sa.String(length=300),
        existing_nullable=False,
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.alter_column(
        "applicants",
        "name_key",
        type_=sa.String(length=300),
        existing_type=sa.String(length=300, collation="C"),
        existing_nullable=False,
    )
