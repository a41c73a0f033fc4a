"""harvest partners (one record per OAI identifier across sets and base URLs) and the harvest log

Revision ID: 0005_harvest_partners
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

import repo_app.models.types

revision = "0005_harvest_partners"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "harvest_partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("created_at", repo_app.models.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_harvest_partners")),
        sa.UniqueConstraint("key", name=op.f("uq_harvest_partners_key")),
    )
    # Every existing source becomes its own partner (keyed by its URL), as before.
    op.execute("INSERT INTO harvest_partners (id, key, name, mapping, created_at) "
               "SELECT id, url || '#' || set_spec, name, '{}', CURRENT_TIMESTAMP "
               "FROM harvest_sources")
    with op.batch_alter_table("harvest_sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partner_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_harvest_sources_partner_id_harvest_partners"),
                                    "harvest_partners", ["partner_id"], ["id"],
                                    ondelete="CASCADE")
        batch_op.create_index(batch_op.f("ix_harvest_sources_partner_id"), ["partner_id"])
    op.execute("UPDATE harvest_sources SET partner_id = id")
    with op.batch_alter_table("harvested_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partner_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("language", sa.String(length=20), nullable=False,
                                      server_default=""))
    op.execute("UPDATE harvested_records SET partner_id = source_id")
    with op.batch_alter_table("harvested_records", schema=None) as batch_op:
        batch_op.drop_constraint("uq_harvested_records_source_id", type_="unique")
        batch_op.drop_constraint("fk_harvested_records_source_id_harvest_sources",
                                 type_="foreignkey")
        batch_op.alter_column("source_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("partner_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_harvested_records_source_id_harvest_sources"), "harvest_sources",
            ["source_id"], ["id"], ondelete="SET NULL")
        batch_op.create_foreign_key(
            batch_op.f("fk_harvested_records_partner_id_harvest_partners"), "harvest_partners",
            ["partner_id"], ["id"], ondelete="CASCADE")
        batch_op.create_unique_constraint(batch_op.f("uq_harvested_records_partner_id"),
                                          ["partner_id", "oai_identifier"])
        batch_op.create_index(batch_op.f("ix_harvested_records_partner_id"), ["partner_id"])
    op.create_table(
        "harvest_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("started_at", repo_app.models.types.UTCDateTime(), nullable=False),
        sa.Column("finished_at", repo_app.models.types.UTCDateTime(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("since", sa.String(length=30), nullable=False),
        sa.Column("resumed", sa.Boolean(), nullable=False),
        sa.Column("restarted", sa.Boolean(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["partner_id"], ["harvest_partners.id"],
                                name=op.f("fk_harvest_runs_partner_id_harvest_partners"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_id"], ["harvest_sources.id"],
                                name=op.f("fk_harvest_runs_source_id_harvest_sources"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_harvest_runs")),
    )
    with op.batch_alter_table("harvest_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_harvest_runs_partner_id"), ["partner_id"])
        batch_op.create_index(batch_op.f("ix_harvest_runs_started_at"), ["started_at"])


def downgrade() -> None:
    op.drop_table("harvest_runs")
    with op.batch_alter_table("harvested_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_harvested_records_partner_id"))
        batch_op.drop_constraint(batch_op.f("uq_harvested_records_partner_id"), type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_harvested_records_partner_id_harvest_partners"),
                                 type_="foreignkey")
        batch_op.drop_column("language")
        batch_op.drop_column("partner_id")
        batch_op.create_unique_constraint("uq_harvested_records_source_id",
                                          ["source_id", "oai_identifier"])
    with op.batch_alter_table("harvest_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_harvest_sources_partner_id"))
        batch_op.drop_constraint(batch_op.f("fk_harvest_sources_partner_id_harvest_partners"),
                                 type_="foreignkey")
        batch_op.drop_column("partner_id")
    op.drop_table("harvest_partners")
