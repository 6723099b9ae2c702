"""Working-day calendar for promised deadlines (限时办结).

A promised limit of N working days counts from the day after acceptance,
skipping weekends and the configured public holidays, but counting make-up
working days (调休) that fall on a weekend.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta


def _dates(values: Iterable[date | str]) -> frozenset[date]:
    return frozenset(v if isinstance(v, date) else date.fromisoformat(v) for v in values)


@dataclass(frozen=True)
class WorkingCalendar:
    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)  # make-up working weekend days

    @classmethod
    def of(cls, holidays: Iterable[date | str] = (), workdays: Iterable[date | str] = ()) -> WorkingCalendar:
        return cls(_dates(holidays), _dates(workdays))

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: date, days: int) -> date:
        """The date N working days after `start` (start itself not counted); 0 → start."""
        current = start
        remaining = days
        while remaining > 0:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many a case took if accepted on start, done on end."""
        if end <= start:
            return 0
        count = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count

    def due_date(self, accepted_on: date, days: int, paused: Iterable[tuple[date, date]] = ()) -> date:
        """Deadline when the clock stopped during `paused` spans (awaiting materials).

        Each span (paused_on, resumed_on) pushes the deadline back by the working
        days in it.
        """
        extra = sum(self.working_days_between(a, b) for a, b in paused)
        return self.add_working_days(accepted_on, days + extra)
