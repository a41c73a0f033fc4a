"""app state (the access settings OAI-PMH last answered under)

Revision ID: 0009_app_state
Revises: 0008_agency_reports
"""
import sqlalchemy as sa
from alembic import op

import repo_app.models.types

revision = "0009_app_state"
down_revision = "0008_agency_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_state",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", repo_app.models.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_state")),
    )


def downgrade() -> None:
    op.drop_table("app_state")
