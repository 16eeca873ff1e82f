"""search reads indexes only

Revision ID: 0005_search_indexes
Revises: 0004_step_days

A search list row's dossier columns (number, SOP, step, status, received,
permit) and applicant columns (name, NIK) now come from two covering indexes
instead of two table rows. With a million dossiers, a name prefix search read
about five B-tree paths per row; now three, and the applicants of one page sit
together in the name index. The two widened indexes keep their names, so the plans that
name them (``INDEXED BY``) stay valid.
"""

from __future__ import annotations

from alembic import op

revision = "0005_search_indexes"
down_revision = "0004_step_days"
branch_labels = None
depends_on = None

DOSSIER_COLUMNS = [
    "applicant_id",
    "received_at",
    "number",
    "sop_number",
    "step_no",
    "status",
    "permit_number",
    "business_id",
]


def upgrade() -> None:
    op.drop_index("ix_applicants_name_key", table_name="applicants")
    op.create_index("ix_applicants_name_key", "applicants", ["name_key", "id", "name", "nik"])
    op.drop_index("ix_dossiers_applicant_id", table_name="dossiers")
    op.create_index("ix_dossiers_applicant_id", "dossiers", DOSSIER_COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_dossiers_applicant_id", table_name="dossiers")
    op.create_index("ix_dossiers_applicant_id", "dossiers", ["applicant_id"])
    op.drop_index("ix_applicants_name_key", table_name="applicants")
    op.create_index("ix_applicants_name_key", "applicants", ["name_key"])
