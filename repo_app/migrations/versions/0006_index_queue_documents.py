"""the index queue names documents, so harvested records go through it too (issue 12)

Revision ID: 0006_index_queue
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_index_queue"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("index_queue") as batch:
        batch.add_column(sa.Column("document_id", sa.String(length=40), nullable=True))
    op.execute("UPDATE index_queue SET document_id = CAST(work_id AS VARCHAR(40))")
    with op.batch_alter_table("index_queue") as batch:
        batch.alter_column("document_id", existing_type=sa.String(length=40), nullable=False)
        batch.drop_index("ix_index_queue_work_id")
        batch.drop_constraint("fk_index_queue_work_id_works", type_="foreignkey")
        batch.drop_column("work_id")
        batch.create_index("ix_index_queue_document_id", ["document_id"], unique=False)


def downgrade() -> None:
    op.execute("DELETE FROM index_queue WHERE document_id LIKE 'h:%'")
    with op.batch_alter_table("index_queue") as batch:
        batch.add_column(sa.Column("work_id", sa.Integer(), nullable=True))
    op.execute("UPDATE index_queue SET work_id = CAST(document_id AS INTEGER)")
    with op.batch_alter_table("index_queue") as batch:
        batch.alter_column("work_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_index("ix_index_queue_document_id")
        batch.drop_column("document_id")
        batch.create_foreign_key("fk_index_queue_work_id_works", "works", ["work_id"], ["id"],
                                 ondelete="CASCADE")
        batch.create_index("ix_index_queue_work_id", ["work_id"], unique=False)
