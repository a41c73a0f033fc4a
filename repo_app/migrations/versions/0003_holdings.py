"""holdings register and coverage snapshots (digitization coverage, issue 6)

Revision ID: 0003
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

import repo_app.models.types

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "holdings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("holding_id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("creators", sa.JSON(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("faculty", sa.String(length=300), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=True),
        sa.Column("shelf_mark", sa.String(length=100), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=True),
        sa.Column("link_status", sa.String(length=12), nullable=False),
        sa.Column("suggested_work_id", sa.Integer(), nullable=True),
        sa.Column("rejected_work_ids", sa.JSON(), nullable=False),
        sa.Column("created_at", repo_app.models.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", repo_app.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["collection_id"], ["collections.id"],
                                name=op.f("fk_holdings_collection_id_collections"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"], name=op.f("fk_holdings_work_id_works"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["suggested_work_id"], ["works.id"],
                                name=op.f("fk_holdings_suggested_work_id_works"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holdings")),
        sa.UniqueConstraint("holding_id", name=op.f("uq_holdings_holding_id")),
    )
    with op.batch_alter_table("holdings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_holdings_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_holdings_link_status"), ["link_status"], unique=False)
        batch_op.create_index(batch_op.f("ix_holdings_work_id"), ["work_id"], unique=False)
    op.create_table(
        "coverage_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("holdings", sa.Integer(), nullable=False),
        sa.Column("digitized", sa.Integer(), nullable=False),
        sa.Column("searchable", sa.Integer(), nullable=False),
        sa.Column("online", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage_snapshots")),
        sa.UniqueConstraint("taken_on", "category", name=op.f("uq_coverage_snapshots_taken_on")),
    )
    with op.batch_alter_table("coverage_snapshots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coverage_snapshots_taken_on"), ["taken_on"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("coverage_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coverage_snapshots_taken_on"))
    op.drop_table("coverage_snapshots")
    with op.batch_alter_table("holdings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_holdings_work_id"))
        batch_op.drop_index(batch_op.f("ix_holdings_link_status"))
        batch_op.drop_index(batch_op.f("ix_holdings_category"))
    op.drop_table("holdings")
