"""step_days: measured steps summed per office-local day

Revision ID: 0004_step_days
Revises: 0003_back_office

The dashboard and the reports sum these rows instead of grouping every measured
visit. The table starts empty; the SLA service fills it from ``step_results`` the
first time it finds it empty (it knows the office's time zone, a migration does not).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_step_days"
down_revision = "0003_back_office"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "step_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sop_number", sa.Integer(), nullable=False),
        sa.Column("step_no", sa.Integer(), nullable=False),
        sa.Column("finished", sa.Integer(), nullable=False),
        sa.Column("within", sa.Integer(), nullable=False),
        sa.Column("total_minutes", sa.Integer(), nullable=False),
        sa.Column("longest_minutes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "sop_number", "step_no", name=op.f("pk_step_days")),
    )


def downgrade() -> None:
    op.drop_table("step_days")
