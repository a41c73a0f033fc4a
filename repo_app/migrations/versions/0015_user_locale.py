"""each account's chosen interface language, for the mail written to it

Revision ID: 0015_user_locale
Revises: 0014_deposit_requests
"""
import sqlalchemy as sa
from alembic import op

revision = "0015_user_locale"
down_revision = "0014_deposit_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("locale")
