"""frozen copies of the reports submitted to the managing agency

Revision ID: 0008_agency_reports
Revises: 0007_onsite_requests
"""
import sqlalchemy as sa
from alembic import op

import repo_app.models.types

revision = "0008_agency_reports"
down_revision = "0007_onsite_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agency_report_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("submitted_at", repo_app.models.types.UTCDateTime(), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["submitted_by_id"], ["users.id"],
                                name=op.f("fk_agency_report_submissions_submitted_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_report_submissions")),
    )
    with op.batch_alter_table("agency_report_submissions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agency_report_submissions_period"), ["period"])


def downgrade() -> None:
    op.drop_table("agency_report_submissions")
