"""request a copy, notification outbox, reader page log (access and restricted reading, issue 5)

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

import repo_app.models.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "copy_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", repo_app.models.types.UTCDateTime(), nullable=False),
        sa.Column("decided_at", repo_app.models.types.UTCDateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("grant_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_copy_requests_user_id_users"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"],
                                name=op.f("fk_copy_requests_work_id_works"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"],
                                name=op.f("fk_copy_requests_decided_by_id_users")),
        sa.ForeignKeyConstraint(["grant_id"], ["access_grants.id"],
                                name=op.f("fk_copy_requests_grant_id_access_grants"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_copy_requests")),
    )
    with op.batch_alter_table("copy_requests") as batch:
        batch.create_index(batch.f("ix_copy_requests_user_id"), ["user_id"])
        batch.create_index(batch.f("ix_copy_requests_work_id"), ["work_id"])
        batch.create_index(batch.f("ix_copy_requests_status"), ["status"])
        batch.create_index(batch.f("ix_copy_requests_created_at"), ["created_at"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", repo_app.models.types.UTCDateTime(), nullable=False),
        sa.Column("sent_at", repo_app.models.types.UTCDateTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_notifications_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications") as batch:
        batch.create_index(batch.f("ix_notifications_user_id"), ["user_id"])
    op.create_table(
        "reader_page_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("viewer", sa.String(length=80), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("at", repo_app.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"],
                                name=op.f("fk_reader_page_views_file_id_files"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reader_page_views")),
    )
    with op.batch_alter_table("reader_page_views") as batch:
        batch.create_index(batch.f("ix_reader_page_views_viewer"), ["viewer"])
        batch.create_index(batch.f("ix_reader_page_views_at"), ["at"])


def downgrade() -> None:
    op.drop_table("reader_page_views")
    op.drop_table("notifications")
    op.drop_table("copy_requests")
