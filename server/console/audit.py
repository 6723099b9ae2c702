"""The append-only audit log: who did what, when, from → to, with a note."""

from __future__ import annotations

from sqlalchemy.orm import Session

from server.console.web import now
from server.models.console import AuditEntry, ConsoleUser


def record(
    db: Session,
    user: ConsoleUser | None,
    action: str,
    target_type: str,
    target_id: str,
    *,
    village_code: str | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str = "",
    actor_name: str = "",
) -> AuditEntry:
    """Add an entry in the caller's transaction (so the change and its record commit together)."""
    entry = AuditEntry(
        at=now(),
        user_id=user.id if user else None,
        username=user.username if user else (actor_name or "-"),
        action=action,
        target_type=target_type,
        target_id=target_id,
        village_code=village_code,
        from_status=from_status,
        to_status=to_status,
        note=note[:1000],
    )
    db.add(entry)
    return entry
