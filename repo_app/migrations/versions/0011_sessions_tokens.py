"""login sessions on the server; API token scopes and revocation; watermark codes

Revision ID: 0011_sessions_tokens
Revises: 0009_app_state
"""
import sqlalchemy as sa
from alembic import op

import repo_app.models.types

revision = "0011_sessions_tokens"
down_revision = "0009_app_state"
branch_labels = None
depends_on = ("0002",)  # reader_page_views is made on the requests branch


def upgrade() -> None:
    op.create_table(
        "login_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("password_stamp", sa.String(length=16), nullable=False),
        sa.Column("created_at", repo_app.models.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", repo_app.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_login_sessions_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_sessions")),
    )
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_sessions_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        # Tokens made before scopes existed deposited and read their account's drafts.
        batch_op.add_column(sa.Column("scopes", sa.String(length=100), nullable=False,
                                      server_default="deposit read"))
        batch_op.add_column(sa.Column("revoked_at", repo_app.models.types.UTCDateTime(),
                                      nullable=True))
    with op.batch_alter_table("reader_page_views", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mark", sa.String(length=12), nullable=False,
                                      server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("reader_page_views", schema=None) as batch_op:
        batch_op.drop_column("mark")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("revoked_at")
        batch_op.drop_column("scopes")
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_sessions_user_id"))
    op.drop_table("login_sessions")
