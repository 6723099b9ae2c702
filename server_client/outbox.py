"""Moved to ``bianmin.local.outbox`` (the outbox belongs to the local store); kept for old imports."""

from bianmin.local.outbox import *  # noqa: F403
from bianmin.local.outbox import (  # noqa: F401
    confirm,
    ensure_schema,
    mark_dirty,
    pending_count,
    quarantine,
    quarantined,
    quarantined_count,
    register_serializer,
    release,
    serializer_for,
)
