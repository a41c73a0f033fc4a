"""on-site reading requests (the onsite access level's permits)

Revision ID: 0007_onsite_requests
Revises: 0006_bilingual
"""
import sqlalchemy as sa
from alembic import op

import repo_app.models.types

revision = "0007_onsite_requests"
down_revision = "0006_bilingual"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "onsite_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("letter_sha256", sa.String(length=64), nullable=False),
        sa.Column("letter_name", sa.String(length=255), nullable=False),
        sa.Column("letter_media_type", sa.String(length=100), nullable=False),
        sa.Column("letter_size", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", repo_app.models.types.UTCDateTime(), nullable=False),
        sa.Column("decided_at", repo_app.models.types.UTCDateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_onsite_requests_user_id_users"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"],
                                name=op.f("fk_onsite_requests_work_id_works"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"],
                                name=op.f("fk_onsite_requests_decided_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onsite_requests")),
    )
    with op.batch_alter_table("onsite_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_onsite_requests_user_id"), ["user_id"])
        batch_op.create_index(batch_op.f("ix_onsite_requests_work_id"), ["work_id"])
        batch_op.create_index(batch_op.f("ix_onsite_requests_status"), ["status"])


def downgrade() -> None:
    op.drop_table("onsite_requests")
