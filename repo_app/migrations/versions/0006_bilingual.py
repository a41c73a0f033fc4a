"""bilingual metadata: English title, abstract and keywords beside the work's own

Revision ID: 0006_bilingual
Revises: 0005_harvest_partners
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_bilingual"
down_revision = "0005_harvest_partners"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("works", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title_en", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("abstract_en", sa.Text(), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("keywords_en", sa.JSON(), nullable=False,
                                      server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("works", schema=None) as batch_op:
        batch_op.drop_column("keywords_en")
        batch_op.drop_column("abstract_en")
        batch_op.drop_column("title_en")
