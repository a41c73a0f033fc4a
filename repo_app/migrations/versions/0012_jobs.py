"""background jobs, recognised pages, files' progress and searchable copies

Revision ID: 0012_jobs
Revises: 0011_sessions_tokens
"""
import sqlalchemy as sa
from alembic import op

import repo_app.models.types

revision = "0012_jobs"
down_revision = "0011_sessions_tokens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("unique_key", sa.String(length=120), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("batch", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("run_after", repo_app.models.types.UTCDateTime(), nullable=False),
        sa.Column("created_at", repo_app.models.types.UTCDateTime(), nullable=False),
        sa.Column("started_at", repo_app.models.types.UTCDateTime(), nullable=True),
        sa.Column("heartbeat", repo_app.models.types.UTCDateTime(), nullable=True),
        sa.Column("finished_at", repo_app.models.types.UTCDateTime(), nullable=True),
        sa.Column("worker", sa.String(length=120), nullable=False),
        sa.Column("message", repo_app.models.types.FreeText(), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"],
                                name=op.f("fk_jobs_file_id_files"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        sa.UniqueConstraint("unique_key", name=op.f("uq_jobs_unique_key")),
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        for column in ("kind", "key", "state", "file_id", "batch", "finished_at"):
            batch_op.create_index(batch_op.f(f"ix_jobs_{column}"), [column], unique=False)

    op.create_table(
        "ocr_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("text", repo_app.models.types.FreeText(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("valid_ratio", sa.Float(), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("text_pdf_sha256", sa.String(length=64), nullable=True),
        sa.Column("review", sa.String(length=10), nullable=False),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("created_at", repo_app.models.types.UTCDateTime(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"],
                                name=op.f("fk_ocr_pages_file_id_files"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reviewed_by"], ["users.id"],
                                name=op.f("fk_ocr_pages_reviewed_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ocr_pages")),
        sa.UniqueConstraint("file_id", "page", name=op.f("uq_ocr_pages_file_id")),
    )
    with op.batch_alter_table("ocr_pages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ocr_pages_file_id"), ["file_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ocr_pages_review"), ["review"], unique=False)

    with op.batch_alter_table("files", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pages_done", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("derivative_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("derivative_size", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("derivative_pdfa", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("files", schema=None) as batch_op:
        for column in ("derivative_pdfa", "derivative_size", "derivative_sha256", "pages_done"):
            batch_op.drop_column(column)
    op.drop_table("ocr_pages")
    op.drop_table("jobs")
