"""permits keep the payload signed when they were issued

Revision ID: 0006_permit_payload
Revises: 0005_search_indexes

The QR code of a permit carries its key fields signed with the office's key.
They were signed at every print, from the data as it was then; now they are
signed once, at issue, and every print carries that same text. Permits issued
before this revision (or without a key) have none and get it at their next print.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_permit_payload"
down_revision = "0005_search_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("permits") as batch:
        batch.add_column(sa.Column("payload", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("permits") as batch:
        batch.drop_column("payload")
