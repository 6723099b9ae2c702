"""Moved to ``bianmin.local.status_cache`` (it is local store data); kept for old imports."""

from bianmin.local.status_cache import *  # noqa: F403
from bianmin.local.status_cache import (  # noqa: F401
    CURSOR_KEY,
    LAST_SUCCESS_KEY,
    CachedStatus,
    cached_document,
    cached_status,
    document_etag,
    ensure_schema,
    last_sync_time,
    save_change,
)
