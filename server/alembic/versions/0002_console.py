"""console: users, sessions, sign-in attempts, audit log, ID reveals, holidays; inbox indexes

Revision ID: 0002_console
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_console"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "console_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(40), nullable=False),
        sa.Column("display_name", sa.String(40), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("scope_code", sa.String(15), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("locked_until", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], name=op.f("fk_console_users_agent_id_agents"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_users")),
        sa.UniqueConstraint("username", name=op.f("uq_console_users_username")),
    )
    op.create_table(
        "console_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_secret", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_seen_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["console_users.id"], name=op.f("fk_console_sessions_user_id_console_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_console_sessions_token_hash")),
    )
    op.create_index(op.f("ix_console_sessions_user_id"), "console_sessions", ["user_id"])
    op.create_table(
        "console_login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_login_attempts")),
    )
    op.create_index("ix_console_login_attempts_username_at", "console_login_attempts", ["username", "at"])
    op.create_table(
        "console_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(40), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target_type", sa.String(20), nullable=False),
        sa.Column("target_id", sa.String(64), nullable=False),
        sa.Column("village_code", sa.String(15), nullable=True),
        sa.Column("from_status", sa.String(20), nullable=True),
        sa.Column("to_status", sa.String(20), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_audit")),
    )
    op.create_index(op.f("ix_console_audit_at"), "console_audit", ["at"])
    op.create_index(op.f("ix_console_audit_village_code"), "console_audit", ["village_code"])
    op.create_index("ix_console_audit_target", "console_audit", ["target_type", "target_id"])
    op.create_table(
        "console_id_reveals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(40), nullable=False),
        sa.Column("application_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_id_reveals")),
    )
    op.create_index(op.f("ix_console_id_reveals_application_id"), "console_id_reveals", ["application_id"])
    op.create_table(
        "console_holidays",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_console_holidays")),
    )
    _append_only("console_audit")
    _append_only("console_id_reveals")
    # The inbox: a scope's open applications, newest first or by promised date.
    op.create_index("ix_applications_village_status_created", "applications", ["village_id", "status", "created_at"])
    op.create_index("ix_applications_status_due", "applications", ["status", "due_date"])
    op.create_index("ix_applications_created_at", "applications", ["created_at"])


def _append_only(table: str) -> None:
    """The database itself refuses UPDATE and DELETE on the logs (责任追究 must not be editable)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{table} is append-only'; END $$""")
        op.execute(f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_append_only()""")
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"""CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""")


def downgrade() -> None:
    op.drop_index("ix_applications_created_at", table_name="applications")
    op.drop_index("ix_applications_status_due", table_name="applications")
    op.drop_index("ix_applications_village_status_created", table_name="applications")
    for table in ("console_audit", "console_id_reveals"):
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    for table in ("console_holidays", "console_id_reveals", "console_audit", "console_login_attempts", "console_sessions", "console_users"):
        op.drop_table(table)
