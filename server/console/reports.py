"""Monthly figures for assessment (考核): per item, per village, per agent.

Input is a flat list of `CaseFact`s for the month (built from a scoped query), so
the sums here are plain Python and easy to check by hand. Charts are horizontal
bars drawn by the template from `Bar.percent` — no JavaScript, readable on an
old PC and a phone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from bianmin.domain.calendar import WorkingCalendar


@dataclass(frozen=True)
class CaseFact:
    item: str
    village: str
    agent: str
    registered_on: date
    accepted_on: date | None
    due_on: date | None
    finished_on: date | None  # completed / approved / rejected / not accepted
    rating: int | None = None  # 1..5, the completion rating if any


@dataclass
class Group:
    label: str
    cases: int = 0
    finished: int = 0
    on_time: int = 0
    with_deadline: int = 0
    working_days: list[int] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        return None if not self.with_deadline else self.on_time / self.with_deadline

    @property
    def average_days(self) -> float | None:
        return None if not self.working_days else sum(self.working_days) / len(self.working_days)

    @property
    def average_rating(self) -> float | None:
        return None if not self.ratings else sum(self.ratings) / len(self.ratings)

    @property
    def satisfied_rate(self) -> float | None:
        """Share of ratings 满意 or better (4-5), the figure the guideline asks about."""
        return None if not self.ratings else sum(1 for r in self.ratings if r >= 4) / len(self.ratings)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """First day of the month and first day of the next month."""
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def summarise(
    facts: Iterable[CaseFact], key: Callable[[CaseFact], str], calendar: WorkingCalendar
) -> list[Group]:
    groups: dict[str, Group] = defaultdict(lambda: Group(""))
    for fact in facts:
        label = key(fact) or "—"
        group = groups[label]
        group.label = label
        group.cases += 1
        if fact.finished_on is not None:
            group.finished += 1
            if fact.due_on is not None:
                group.with_deadline += 1
                group.on_time += fact.finished_on <= fact.due_on
            if fact.accepted_on is not None:
                group.working_days.append(calendar.working_days_between(fact.accepted_on, fact.finished_on))
        if fact.rating is not None:
            group.ratings.append(fact.rating)
    return sorted(groups.values(), key=lambda g: (-g.cases, g.label))


def total(facts: Iterable[CaseFact], calendar: WorkingCalendar, label: str = "") -> Group:
    groups = summarise(facts, lambda _f: label or "all", calendar)
    return groups[0] if groups else Group(label or "all")


def bar_percent(value: float | None, maximum: float) -> int:
    """Bar width in percent of the widest bar (at least 1 so a small value stays visible)."""
    if not value or maximum <= 0:
        return 0
    return max(1, round(100 * value / maximum))
