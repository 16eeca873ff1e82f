"""back office: claims, step results, clock notices, attachments, inspections, surveys

Revision ID: 0003_back_office
Revises: 0002_name_key_collation

New tables of the back office and the indexes its worklists and reports read:
the queue index on open dossiers by (SOP, version, step, time the step began),
permits by issue and expiry date, and step visits by finishing time.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_back_office"
down_revision = "0002_name_key_collation"
branch_labels = None
depends_on = None


def _stamp(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_dossiers_queue",
            ["status", "sop_number", "sop_version", "step_no", "updated_at"],
            unique=False,
        )
    with op.batch_alter_table("permits", schema=None) as batch_op:
        batch_op.create_index("ix_permits_issued_at", ["issued_at"], unique=False)
        batch_op.create_index("ix_permits_valid_until", ["valid_until"], unique=False)
    with op.batch_alter_table("step_visits", schema=None) as batch_op:
        batch_op.create_index("ix_step_visits_finished_at", ["finished_at"], unique=False)

    op.create_table(
        "claims",
        sa.Column("dossier_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("step_no", sa.Integer(), nullable=False),
        _stamp("claimed_at"),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_claims_dossier_id_dossiers")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_claims_user_id_users")),
        sa.PrimaryKeyConstraint("dossier_id", name=op.f("pk_claims")),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claims_user_id"), ["user_id"], unique=False)

    op.create_table(
        "step_results",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("dossier_id", sa.String(length=36), nullable=False),
        sa.Column("sop_number", sa.Integer(), nullable=False),
        sa.Column("sop_version", sa.Integer(), nullable=False),
        sa.Column("step_no", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        _stamp("finished_at"),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("standard_minutes", sa.Integer(), nullable=False),
        sa.Column("within", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_step_results_dossier_id_dossiers")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["step_visits.id"], name=op.f("fk_step_results_visit_id_step_visits")
        ),
        sa.PrimaryKeyConstraint("visit_id", name=op.f("pk_step_results")),
    )
    with op.batch_alter_table("step_results", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_step_results_dossier_id"), ["dossier_id"], unique=False
        )
        batch_op.create_index(
            "ix_step_results_finished",
            ["finished_at", "sop_number", "step_no", "outcome", "minutes", "within"],
            unique=False,
        )

    op.create_table(
        "clock_notices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("dossier_id", sa.String(length=36), nullable=False),
        sa.Column("step_no", sa.Integer(), nullable=False),
        _stamp("visit_started_at"),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("notified_role", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        _stamp("due_at"),
        _stamp("created_at"),
        _stamp("acknowledged_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_clock_notices_dossier_id_dossiers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clock_notices")),
        sa.UniqueConstraint(
            "dossier_id",
            "step_no",
            "visit_started_at",
            name=op.f("uq_clock_notices_dossier_id"),
        ),
    )
    with op.batch_alter_table("clock_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_clock_notices_notified_role"), ["notified_role"], unique=False
        )

    op.create_table(
        "attachments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("dossier_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("added_by", sa.String(length=36), nullable=False),
        _stamp("added_at"),
        sa.ForeignKeyConstraint(
            ["added_by"], ["users.id"], name=op.f("fk_attachments_added_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_attachments_dossier_id_dossiers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sa.UniqueConstraint("dossier_id", "sha256", name=op.f("uq_attachments_dossier_id")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachments_sha256"), ["sha256"], unique=False)

    op.create_table(
        "inspections",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("dossier_id", sa.String(length=36), nullable=False),
        sa.Column("scheduled_on", sa.Date(), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=True),
        sa.Column("team", sa.Text(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("recommendation", sa.Text(), nullable=False),
        sa.Column("photos", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=36), nullable=False),
        _stamp("updated_at"),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_inspections_dossier_id_dossiers")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_inspections_recorded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspections")),
    )
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inspections_dossier_id"), ["dossier_id"], unique=False
        )

    op.create_table(
        "handovers",
        sa.Column("dossier_id", sa.String(length=36), nullable=False),
        sa.Column("receiver_name", sa.String(length=200), nullable=False),
        sa.Column("receiver_id_number", sa.String(length=32), nullable=False),
        _stamp("handed_at"),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_handovers_dossier_id_dossiers")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_handovers_user_id_users")),
        sa.PrimaryKeyConstraint("dossier_id", name=op.f("pk_handovers")),
    )

    op.create_table(
        "survey_responses",
        sa.Column("dossier_id", sa.String(length=36), nullable=False),
        sa.Column("sop_number", sa.Integer(), nullable=False),
        _stamp("answered_at"),
        *(sa.Column(f"u{i}", sa.Integer(), nullable=False) for i in range(1, 10)),
        sa.Column("suggestion", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_survey_responses_dossier_id_dossiers")
        ),
        sa.PrimaryKeyConstraint("dossier_id", name=op.f("pk_survey_responses")),
    )
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_responses_answered_at"), ["answered_at"], unique=False
        )


def downgrade() -> None:
    op.drop_table("survey_responses")
    op.drop_table("handovers")
    op.drop_table("inspections")
    op.drop_table("attachments")
    op.drop_table("clock_notices")
    op.drop_table("step_results")
    op.drop_table("claims")
    with op.batch_alter_table("step_visits", schema=None) as batch_op:
        batch_op.drop_index("ix_step_visits_finished_at")
    with op.batch_alter_table("permits", schema=None) as batch_op:
        batch_op.drop_index("ix_permits_valid_until")
        batch_op.drop_index("ix_permits_issued_at")
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_index("ix_dossiers_queue")
