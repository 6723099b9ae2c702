"""Fixed-window rate limits kept in the database, so every worker process sees the same counts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import RateLimitBucket, utcnow


def hit(session: Session, key: str, limit: int, window: timedelta) -> bool:
    """Count one attempt for ``key``; False when the limit for the current window is used up.

    The caller commits. Under concurrency the row lock (PostgreSQL ``FOR UPDATE``,
    SQLite's single writer) keeps the count exact.
    """
    now = utcnow()
    bucket = session.execute(
        select(RateLimitBucket).where(RateLimitBucket.key == key).with_for_update()
    ).scalar_one_or_none()
    if bucket is None:
        session.add(RateLimitBucket(key=key, window_start=now, count=1))
        session.flush()
        return True
    if now - bucket.window_start >= window:
        bucket.window_start, bucket.count = now, 1
        return True
    bucket.count += 1
    return bucket.count <= limit
