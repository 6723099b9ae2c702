"""What the public tracking page and the kiosk's 查询进度 API know, without HTTP.

Everything a villager may see about an application is built here by
``tracking_view``: masked name, plain-word state, timeline, promised date, the
one-time notice of missing materials, where to pick up, a supervisor's answer to
their 差评. Never the ID number, never the phone.

Short-code lookups are limited per address (IP or kiosk), per code and overall by
the shared limiter (``server.services.ratelimit``): each limit is reserved atomically
before the guess is evaluated and given back when the guess was right, so only failed
guesses use a budget and concurrent guesses can never exceed one. Every attempt is
also logged in ``lookup_attempts``. A wrong code, a wrong phone and an unknown code
take the same path and give the same answer.
"""

from __future__ import annotations

import hmac
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bianmin.domain.calendar import WorkingCalendar
from bianmin.domain.lifecycle import Status
from bianmin.domain.masking import mask_name
from bianmin.domain.tracking import is_token, normalise_short_code
from server.core.config import Settings, process_settings
from server.db import begin_write
from server.models import (
    Application,
    ApplicationEvent,
    Complaint,
    ComplaintCase,
    FollowUp,
    LookupAttempt,
    Rating,
    ServiceRoom,
    Village,
    utcnow,
)
from server.services.ratelimit import Limiter

# 差评 levels (the wire's numbering: 5 非常满意 … 1 非常不满意).
BAD_LEVELS = frozenset({1, 2})
LEVELS = (5, 4, 3, 2, 1)
REASONS = ("slow", "attitude", "unclear", "many_trips", "fee", "other")
MAX_TEXT = 500
# States after which the villager may rate the handling of their application.
RATABLE = frozenset({Status.COMPLETED, Status.REJECTED, Status.NOT_ACCEPTED})
PICKUP_STATES = frozenset({Status.APPROVED, Status.READY_FOR_PICKUP})



def followup_days() -> int:
    """Working days a supervisor has to answer a 差评 or a complaint (``Settings.followup_days``)."""
    return process_settings().followup_days


@dataclass(frozen=True)
class LookupLimits:
    """Failed short-code guesses allowed per address, per code and overall (from Settings)."""

    per_address: int = 30
    per_code: int = 10
    overall: int = 2000
    window: timedelta = timedelta(minutes=15)  # address and overall
    code_window: timedelta = timedelta(hours=24)

    @classmethod
    def of(cls, settings: Settings) -> LookupLimits:
        return cls(settings.lookup_per_address, settings.lookup_per_code, settings.lookup_overall,
                   timedelta(minutes=settings.lookup_window_minutes),
                   timedelta(hours=settings.lookup_code_window_hours))


def working_calendar(session: Session) -> WorkingCalendar:
    """Holidays and make-up workdays from the console's calendar table, if it exists."""
    try:
        from server.models.console import HolidayEntry
    except ImportError:
        return WorkingCalendar()
    if not inspect(session.get_bind()).has_table(HolidayEntry.__tablename__):
        return WorkingCalendar()
    rows = session.execute(select(HolidayEntry.day, HolidayEntry.kind)).all()
    return WorkingCalendar.of(
        [d for d, k in rows if k == "holiday"], [d for d, k in rows if k == "workday"]
    )


# ----- the view -------------------------------------------------------------------------
@dataclass
class Step:
    status: str
    at: datetime
    note: str = ""


@dataclass
class View:
    token: str
    application_uuid: str
    item_name: str
    masked_name: str
    status: str
    timeline: list[Step] = field(default_factory=list)
    due_date: date | None = None
    overdue: bool = False
    missing_materials: list[str] = field(default_factory=list)
    pickup: str = ""
    room_name: str = ""
    room_phone: str = ""
    answers: list[str] = field(default_factory=list)
    followup_deadline: date | None = None  # a 差评 awaiting the supervisor's answer
    rated: bool = False
    can_rate: bool = False

    def to_api(self) -> dict:
        """The kiosk's JSON (bianmin.local.tracking.TrackingView)."""
        return {
            "token": self.token,
            "application_uuid": self.application_uuid,
            "item_name": self.item_name,
            "masked_name": self.masked_name,
            "status": self.status,
            "timeline": [
                {"status": s.status, "at": s.at.isoformat(), "note": s.note} for s in self.timeline
            ],
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "overdue": self.overdue,
            "missing_materials": list(self.missing_materials),
            "pickup": self.pickup,
            "answer": "\n".join(self.answers),
            "rated": self.rated,
        }


def find_by_token(session: Session, token: str) -> Application | None:
    if not is_token(token):
        return None
    return session.execute(
        select(Application).where(Application.token == token)
    ).scalar_one_or_none()


def completion_rating(session: Session, application: Application) -> Rating | None:
    return session.execute(
        select(Rating).where(
            Rating.application_uuid == application.uuid, Rating.stage == "completion"
        )
    ).scalar_one_or_none()


def tracking_view(session: Session, application: Application, today: date | None = None) -> View:
    today = today or datetime.now(UTC).date()
    status = Status(application.status)
    events = (
        session.execute(
            select(ApplicationEvent)
            .where(ApplicationEvent.application_id == application.id)
            .order_by(ApplicationEvent.id)
        )
        .scalars()
        .all()
    )
    timeline = [Step(e.to_status, e.at, e.note) for e in events]
    if not timeline:
        timeline = [Step(Status.SUBMITTED.value, application.created_at)]
    room = (
        session.execute(
            select(ServiceRoom)
            .where(ServiceRoom.village_id == application.village_id)
            .order_by(ServiceRoom.id)
        )
        .scalars()
        .first()
    )
    village = session.get(Village, application.village_id)
    room_name = room.name if room else (village.name if village else "")
    pickup = ""
    if status in PICKUP_STATES and room is not None:
        pickup = " ".join(part for part in (room.name, room.address, room.hours) if part)
    missing: list[str] = []
    if status == Status.AWAITING_MATERIALS:
        last = next((e for e in reversed(events) if e.to_status == Status.AWAITING_MATERIALS), None)
        missing = (
            list(last.missing_materials)
            if last and last.missing_materials
            else list(application.materials_missing or [])
        )
    open_state = status not in (
        Status.COMPLETED,
        Status.REJECTED,
        Status.NOT_ACCEPTED,
        Status.WITHDRAWN,
    )
    overdue = bool(application.due_date and open_state and today > application.due_date)
    rating = completion_rating(session, application)
    answers: list[str] = []
    followup_deadline: date | None = None
    if rating is not None:
        follow = session.execute(
            select(FollowUp).where(FollowUp.rating_id == rating.id)
        ).scalar_one_or_none()
        if follow is not None and follow.answer:
            answers.append(follow.answer)
        elif follow is not None:
            followup_deadline = follow.deadline
        elif rating.level in BAD_LEVELS:  # arrived by sync; opened on the supervisors' next visit
            followup_deadline = followup_deadline_for(session, rating.received_at)
    return View(
        token=application.token,
        application_uuid=application.uuid,
        item_name=application.item_name,
        masked_name=mask_name(application.applicant_name),
        status=status.value,
        timeline=timeline,
        due_date=application.due_date,
        overdue=overdue,
        missing_materials=missing,
        pickup=pickup,
        room_name=room_name,
        room_phone=room.phone if room else "",
        answers=answers,
        followup_deadline=followup_deadline,
        rated=rating is not None,
        can_rate=rating is None and status in RATABLE,
    )


# ----- short-code lookup ----------------------------------------------------------------
class RateLimited(Exception):
    def __init__(self, client: str, retry_after: int = 60):
        super().__init__(client)
        self.retry_after = retry_after


def _relaxed_commit(session: Session) -> None:
    """The guess log need not wait for PostgreSQL's WAL flush: a crash may lose the last fraction
    of a second of log rows (the limits themselves live in the limiter), and lookups stay fast."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))


def lookup_short_code(
    session: Session,
    limiter: Limiter,
    code_text: str,
    last4: str,
    client: str,
    channel: str,
    limits: LookupLimits = LookupLimits(),  # noqa: B008 - frozen dataclass
) -> Application | None:
    """The application for (short code, last four phone digits), or None; logs the attempt.

    Raises RateLimited when the address, the code or everyone together used up their
    budget of failed guesses (the attempt is still logged). Budgets are reserved before
    the guess is evaluated (atomically, in the shared limiter) and refunded when it was
    right. Call it before the session takes SQLite's write lock; the caller commits —
    also on None and on RateLimited, so the log persists.
    """
    now = utcnow()
    code = normalise_short_code(code_text or "")
    digits = "".join(ch for ch in (last4 or "") if ch.isdigit())[:4]
    budgets = [(f"lookup:client:{client}", limits.per_address, limits.window)]
    if code:
        budgets.append((f"lookup:code:{code}", limits.per_code, limits.code_window))
    budgets.append(("lookup:all", limits.overall, limits.window))
    # Before the write lock: the limiter writes on its own connection.
    reserved = limiter.hit_all(budgets)
    refused = next((d for d in reserved if not d.allowed), None)
    if refused is not None:
        begin_write(session)
        _relaxed_commit(session)
        session.add(LookupAttempt(client=client[:80], at=now, channel=channel,
                                  code_tried=(code or "?")[:16], success=False))
        raise RateLimited(client, refused.retry_after)
    # Always query (with an impossible code if malformed) and always compare, so a
    # malformed, unknown or mismatched guess costs about the same time.
    application = session.execute(
        select(Application).where(Application.short_code == (code or "#########"))
    ).scalar_one_or_none()
    expected = application.phone[-4:] if application is not None else "\0\0\0\0"
    ok = (
        hmac.compare_digest(expected.encode(), digits.encode().ljust(4, b"-"))
        and application is not None
    )
    if ok:  # a right answer uses no budget (still before the write lock)
        limiter.refund_all(reserved)
    begin_write(session)
    _relaxed_commit(session)
    session.add(
        LookupAttempt(
            client=client[:80], at=now, channel=channel, code_tried=(code or "?")[:16], success=ok
        )
    )
    return application if ok else None


# ----- ratings and follow-ups -----------------------------------------------------------
class RatingError(ValueError):
    """``key`` is a translation key for the message."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def clean_text(text: str) -> str:
    return "".join(ch for ch in (text or "").strip() if ch == "\n" or ch.isprintable())


def check_rating(level: int, reasons: list[str], text: str) -> tuple[int, list[str], str]:
    if level not in LEVELS:
        raise RatingError("rating.error.level")
    text = clean_text(text)
    if len(text) > MAX_TEXT:
        raise RatingError("rating.error.too_long")
    reasons = [r for r in dict.fromkeys(reasons) if r in REASONS] if level in BAD_LEVELS else []
    if level in BAD_LEVELS and not reasons and not text:
        raise RatingError("rating.error.reason_required")
    return level, reasons, text


def rate_application(
    session: Session, application: Application, level: int, reasons: list[str], text: str,
    followup_days: int | None = None,
) -> Rating:
    """The villager's completion rating from the tracking page; one per application.

    The unique index on (application_uuid, stage) settles a race between two
    posts or a post and a kiosk upload: the loser gets ``rating.error.already_rated``.
    """
    if Status(application.status) not in RATABLE:
        raise RatingError("rating.error.not_yet")
    level, reasons, text = check_rating(level, reasons, text)
    now = utcnow()
    rating = Rating(
        uuid=str(uuidlib.uuid4()),
        village_id=application.village_id,
        device_id=None,
        application_uuid=application.uuid,
        stage="completion",
        level=level,
        reasons=reasons,
        text=text,
        created_at=now,
        updated_at=now,
        received_at=now,
    )
    try:
        with session.begin_nested():
            session.add(rating)
            session.flush()
    except IntegrityError as exc:
        raise RatingError("rating.error.already_rated") from exc
    open_followups(session, followup_days)
    return rating


def followup_deadline_for(session: Session, received_at: datetime | None, days: int | None = None) -> date:
    received = (received_at or utcnow()).date()
    return working_calendar(session).add_working_days(received, days or followup_days())


def open_followups(session: Session, days: int | None = None) -> int:
    """Give every 差评 without one a follow-up (ratings also arrive by kiosk sync); caller commits."""
    days = days or followup_days()
    pending = (
        session.execute(
            select(Rating)
            .outerjoin(FollowUp, FollowUp.rating_id == Rating.id)
            .where(Rating.level.in_(BAD_LEVELS), FollowUp.id.is_(None))
        )
        .scalars()
        .all()
    )
    if not pending:
        return 0
    calendar = working_calendar(session)
    for rating in pending:
        received = (rating.received_at or utcnow()).date()
        session.add(
            FollowUp(
                rating_id=rating.id,
                village_id=rating.village_id,
                opened_at=utcnow(),
                deadline=calendar.add_working_days(received, days),
            )
        )
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # another worker opened them first
        return 0
    return len(pending)


def answer_followup(session: Session, follow: FollowUp, answer: str, by: str) -> None:
    answer = clean_text(answer)
    if not answer:
        raise RatingError("followup.error.empty")
    if len(answer) > 1000:
        raise RatingError("followup.error.too_long")
    follow.answer, follow.answered_by, follow.answered_at = answer, by[:80], utcnow()


def open_complaint_cases(session: Session, days: int | None = None) -> int:
    """Route every new complaint to its village's township (never to the village's agents)."""
    days = days or followup_days()
    pending = (
        session.execute(
            select(Complaint)
            .outerjoin(ComplaintCase, ComplaintCase.complaint_id == Complaint.id)
            .where(ComplaintCase.id.is_(None))
        )
        .scalars()
        .all()
    )
    if not pending:
        return 0
    calendar = working_calendar(session)
    for complaint in pending:
        village = session.get(Village, complaint.village_id)
        received = (complaint.received_at or utcnow()).date()
        session.add(
            ComplaintCase(
                complaint_id=complaint.id,
                township_id=village.township_id,
                opened_at=utcnow(),
                deadline=calendar.add_working_days(received, days),
            )
        )
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        return 0
    return len(pending)


def reply_complaint(session: Session, case: ComplaintCase, reply: str, by: str) -> None:
    reply = clean_text(reply)
    if not reply:
        raise RatingError("followup.error.empty")
    if len(reply) > 1000:
        raise RatingError("followup.error.too_long")
    case.reply, case.replied_by, case.replied_at = reply, by[:80], utcnow()


def complaint_counts(
    session: Session, township_ids: list[int] | None, start: date, end: date
) -> dict[str, int]:
    """Complaints received in [start, end): total, answered, overdue (monthly report)."""
    start_dt = datetime(start.year, start.month, start.day, tzinfo=UTC)
    end_dt = datetime(end.year, end.month, end.day, tzinfo=UTC)
    stmt = (
        select(ComplaintCase)
        .join(Complaint, Complaint.id == ComplaintCase.complaint_id)
        .where(Complaint.received_at >= start_dt, Complaint.received_at < end_dt)
    )
    if township_ids is not None:
        stmt = stmt.where(ComplaintCase.township_id.in_(township_ids))
    cases = session.execute(stmt).scalars().all()
    today = datetime.now(UTC).date()
    answered = [c for c in cases if c.replied_at is not None]
    late = [c for c in cases if (c.replied_at.date() if c.replied_at else today) > c.deadline]
    return {"total": len(cases), "answered": len(answered), "overdue": len(late)}


def bad_rating_count(session: Session, township_ids: list[int] | None, start: date, end: date) -> int:
    """差评 received in [start, end) in the given townships (None = all)."""
    start_dt = datetime(start.year, start.month, start.day, tzinfo=UTC)
    end_dt = datetime(end.year, end.month, end.day, tzinfo=UTC)
    stmt = select(func.count()).select_from(Rating).where(
        Rating.level.in_(BAD_LEVELS), Rating.received_at >= start_dt, Rating.received_at < end_dt)
    if township_ids is not None:
        stmt = stmt.join(Village, Village.id == Rating.village_id).where(Village.township_id.in_(township_ids))
    return int(session.execute(stmt).scalar_one())
