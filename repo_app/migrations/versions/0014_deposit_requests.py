"""the depositor's embargo request (until, reason) and the deposit licence they accepted

Revision ID: 0014_deposit_requests
Revises: 0013_usage
"""
import sqlalchemy as sa
from alembic import op

import repo_app.models.types

revision = "0014_deposit_requests"
down_revision = "0013_usage"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("works", schema=None) as batch_op:
        batch_op.add_column(sa.Column("embargo_requested_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("embargo_request_reason", repo_app.models.types.FreeText(),
                                      nullable=False, server_default=""))
        batch_op.add_column(sa.Column("licence_text", repo_app.models.types.FreeText(),
                                      nullable=False, server_default=""))
        batch_op.add_column(sa.Column("licence_accepted_at", repo_app.models.types.UTCDateTime(),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("works", schema=None) as batch_op:
        batch_op.drop_column("licence_accepted_at")
        batch_op.drop_column("licence_text")
        batch_op.drop_column("embargo_request_reason")
        batch_op.drop_column("embargo_requested_until")
