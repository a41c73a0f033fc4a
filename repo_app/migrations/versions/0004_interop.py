"""union catalogue (harvest sources and records) and API tokens (interoperability, issue 7)

Revision ID: 0004
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

import repo_app.models.types

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "harvest_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("set_spec", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("last_datestamp", sa.String(length=30), nullable=True),
        sa.Column("resumption_token", sa.Text(), nullable=True),
        sa.Column("pending_since", sa.String(length=30), nullable=True),
        sa.Column("last_run_at", repo_app.models.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_harvest_sources")),
        sa.UniqueConstraint("url", "set_spec", name=op.f("uq_harvest_sources_url")),
    )
    op.create_table(
        "harvested_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("oai_identifier", sa.String(length=300), nullable=False),
        sa.Column("datestamp", sa.String(length=30), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("creators", sa.JSON(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("subjects", sa.JSON(), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("harvested_at", repo_app.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["harvest_sources.id"],
                                name=op.f("fk_harvested_records_source_id_harvest_sources"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_harvested_records")),
        sa.UniqueConstraint("source_id", "oai_identifier",
                            name=op.f("uq_harvested_records_source_id")),
    )
    with op.batch_alter_table("harvested_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_harvested_records_source_id"), ["source_id"],
                              unique=False)
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", repo_app.models.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", repo_app.models.types.UTCDateTime(), nullable=False),
        sa.Column("last_used_at", repo_app.models.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))
    op.drop_table("api_tokens")
    with op.batch_alter_table("harvested_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_harvested_records_source_id"))
    op.drop_table("harvested_records")
    op.drop_table("harvest_sources")
