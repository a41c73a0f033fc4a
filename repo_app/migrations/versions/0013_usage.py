"""usage statistics: daily counts per work, the day's visitor hashes and salt

Revision ID: 0013_usage
Revises: 0012_jobs
"""
import sqlalchemy as sa
from alembic import op

import repo_app.models.types

revision = "0013_usage"
down_revision = "0012_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "usage_daily",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=10), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("uniques", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"],
                                name=op.f("fk_usage_daily_work_id_works"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("day", "work_id", "metric", name=op.f("pk_usage_daily")),
    )
    with op.batch_alter_table("usage_daily", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_usage_daily_work_id"), ["work_id"], unique=False)
    op.create_table(
        "usage_seen",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=10), nullable=False),
        sa.Column("visitor", sa.String(length=64), nullable=False),
        sa.Column("last_at", repo_app.models.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("day", "work_id", "metric", "visitor",
                                name=op.f("pk_usage_seen")),
    )
    op.create_table(
        "usage_salts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_usage_salts")),
    )


def downgrade() -> None:
    op.drop_table("usage_salts")
    op.drop_table("usage_seen")
    with op.batch_alter_table("usage_daily", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_usage_daily_work_id"))
    op.drop_table("usage_daily")
