"""sync: status feed in commit order (application_events.feed_seq), idempotent enrolment
(enrolment_codes.key_hash), kiosk health reports (devices.health, devices.health_at)

Revision ID: 0004_sync
Revises: 0003_tracking

Why the feed position is assigned at commit: an event's autoincrement id is taken when
it is inserted, but its transaction may commit much later (waiting on a lock). A kiosk
that pulled "id > cursor" in between had already moved past it and skipped it for good.
On PostgreSQL a deferred constraint trigger runs at COMMIT, takes a transaction-level
advisory lock and numbers the transaction's events from a sequence; the lock is held
until the commit is visible, so positions are handed out in commit order. On SQLite
writers are serialised (BEGIN IMMEDIATE), so the insert order is the commit order and
a plain trigger copies the id. Existing events keep their id as position, so cursors
kiosks already hold stay valid.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_sync"
down_revision = "0003_tracking"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
# Any constant shared by all writers of application_events (pg_advisory_xact_lock key).
FEED_LOCK_KEY = 7_413_001

PG_UP = [
    "CREATE SEQUENCE application_events_feed_seq_seq AS bigint",
    "UPDATE application_events SET feed_seq = id",
    "SELECT setval('application_events_feed_seq_seq', COALESCE((SELECT MAX(id) FROM application_events), 0) + 1,"
    " false)",
    f"""CREATE FUNCTION application_events_assign_feed_seq() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_advisory_xact_lock({FEED_LOCK_KEY});
        UPDATE application_events SET feed_seq = nextval('application_events_feed_seq_seq')
         WHERE id = NEW.id AND feed_seq IS NULL;
        RETURN NULL;
    END $$""",
    """CREATE CONSTRAINT TRIGGER application_events_feed_seq AFTER INSERT ON application_events
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION application_events_assign_feed_seq()""",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS application_events_feed_seq ON application_events",
    "DROP FUNCTION IF EXISTS application_events_assign_feed_seq()",
    "DROP SEQUENCE IF EXISTS application_events_feed_seq_seq",
]
SQLITE_UP = [
    "UPDATE application_events SET feed_seq = id",
    """CREATE TRIGGER application_events_feed_seq AFTER INSERT ON application_events
       FOR EACH ROW WHEN NEW.feed_seq IS NULL BEGIN
           UPDATE application_events SET feed_seq = NEW.id WHERE id = NEW.id;
       END""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS application_events_feed_seq"]


def upgrade() -> None:
    with op.batch_alter_table("application_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("feed_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index("ix_application_events_village_id_feed_seq", ["village_id", "feed_seq"], unique=False)
    with op.batch_alter_table("enrolment_codes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_hash", sa.String(length=64), nullable=True))
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("health", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("health_at", TS, nullable=True))
    statements = PG_UP if op.get_bind().dialect.name == "postgresql" else SQLITE_UP
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    statements = PG_DOWN if op.get_bind().dialect.name == "postgresql" else SQLITE_DOWN
    for statement in statements:
        op.execute(statement)
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_column("health_at")
        batch_op.drop_column("health")
    with op.batch_alter_table("enrolment_codes", schema=None) as batch_op:
        batch_op.drop_column("key_hash")
    with op.batch_alter_table("application_events", schema=None) as batch_op:
        batch_op.drop_index("ix_application_events_village_id_feed_seq")
        batch_op.drop_column("feed_seq")
