"""An application's life (design.md §4): states, legal transitions, plain wording.

Both the kiosk (showing progress) and the server (enforcing transitions) use this
table, so a transition the console refuses is one the kiosk can never show.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    SUBMITTED = "submitted"
    AWAITING_MATERIALS = "awaiting_materials"
    ACCEPTED = "accepted"
    NOT_ACCEPTED = "not_accepted"
    FORWARDED = "forwarded"
    APPROVED = "approved"
    REJECTED = "rejected"
    READY_FOR_PICKUP = "ready_for_pickup"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


OPEN_STATES = frozenset(
    {Status.SUBMITTED, Status.AWAITING_MATERIALS, Status.ACCEPTED, Status.FORWARDED, Status.APPROVED, Status.READY_FOR_PICKUP}
)
FINAL_STATES = frozenset({Status.NOT_ACCEPTED, Status.REJECTED, Status.COMPLETED, Status.WITHDRAWN})
CLOCK_RUNNING = frozenset({Status.ACCEPTED, Status.FORWARDED})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.SUBMITTED: frozenset({Status.AWAITING_MATERIALS, Status.ACCEPTED, Status.NOT_ACCEPTED}),
    Status.AWAITING_MATERIALS: frozenset({Status.ACCEPTED, Status.NOT_ACCEPTED}),
    Status.ACCEPTED: frozenset({Status.FORWARDED, Status.APPROVED, Status.REJECTED, Status.AWAITING_MATERIALS}),
    Status.FORWARDED: frozenset({Status.APPROVED, Status.REJECTED, Status.AWAITING_MATERIALS}),
    Status.APPROVED: frozenset({Status.READY_FOR_PICKUP, Status.COMPLETED}),
    Status.READY_FOR_PICKUP: frozenset({Status.COMPLETED}),
}
REASON_REQUIRED = frozenset({Status.REJECTED, Status.NOT_ACCEPTED, Status.WITHDRAWN})

# Villager-facing wording, as translation keys (zh_CN: 已登记, 待补材料, …).
VILLAGER_LABEL_KEYS: dict[Status, str] = {s: f"status.{s.value}" for s in Status}


class IllegalTransition(ValueError):
    def __init__(self, current: Status, target: Status, reason: str):
        super().__init__(reason)
        self.current, self.target = current, target


def allowed_targets(current: Status, item_type: str = "proxy") -> frozenset[Status]:
    targets = set(TRANSITIONS.get(current, frozenset()))
    if current in OPEN_STATES:
        targets.add(Status.WITHDRAWN)
    if item_type == "instant" and current == Status.SUBMITTED:
        targets.add(Status.COMPLETED)  # 即办: done on the spot
    return frozenset(targets)


def check_transition(current: Status | str, target: Status | str, item_type: str = "proxy", note: str = "") -> None:
    """Raise IllegalTransition (with a translation key as message) if not allowed."""
    current, target = Status(current), Status(target)
    if target not in allowed_targets(current, item_type):
        raise IllegalTransition(current, target, "lifecycle.illegal")
    if target in REASON_REQUIRED and not note.strip():
        raise IllegalTransition(current, target, "lifecycle.reason_required")
