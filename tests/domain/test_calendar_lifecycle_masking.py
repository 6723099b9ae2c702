"""Working days, the application lifecycle and masking."""

from __future__ import annotations

from datetime import date

import pytest

from bianmin.domain.calendar import WorkingCalendar
from bianmin.domain.lifecycle import IllegalTransition, Status, allowed_targets, check_transition
from bianmin.domain.masking import mask_id_number, mask_name, mask_phone


def test_working_days_skip_weekends_and_holidays_and_count_makeup_days():
    cal = WorkingCalendar.of(holidays=["2026-10-01", "2026-10-02", "2026-10-05"], workdays=["2026-10-10"])
    # Accepted Wed 30 Sep: Thu 1 and Fri 2 are holidays, Sat/Sun skipped, Mon 5 holiday.
    assert cal.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 6)
    # Sat 10 Oct is a make-up working day.
    assert cal.add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 10)
    assert cal.add_working_days(date(2026, 11, 20), 0) == date(2026, 11, 20)
    assert cal.working_days_between(date(2026, 11, 20), date(2026, 11, 27)) == 5


def test_due_date_is_pushed_back_by_paused_working_days():
    cal = WorkingCalendar()
    accepted = date(2026, 11, 2)  # Monday
    assert cal.due_date(accepted, 5) == date(2026, 11, 9)
    # Awaiting materials Tue 3 → Thu 5: two working days paused.
    assert cal.due_date(accepted, 5, [(date(2026, 11, 3), date(2026, 11, 5))]) == date(2026, 11, 11)


def test_lifecycle_allows_the_designed_paths_only():
    check_transition("submitted", "accepted")
    check_transition("accepted", "forwarded")
    check_transition("forwarded", "approved")
    check_transition("approved", "ready_for_pickup")
    check_transition("ready_for_pickup", "completed")
    check_transition("submitted", "completed", item_type="instant")
    with pytest.raises(IllegalTransition):
        check_transition("submitted", "completed", item_type="proxy")
    with pytest.raises(IllegalTransition):
        check_transition("completed", "accepted")
    with pytest.raises(IllegalTransition) as err:
        check_transition("forwarded", "rejected", note="  ")
    assert str(err.value) == "lifecycle.reason_required"
    assert Status.WITHDRAWN in allowed_targets(Status.FORWARDED)
    assert Status.WITHDRAWN not in allowed_targets(Status.COMPLETED)


def test_masking():
    assert mask_name("王秀英") == "王*英"
    assert mask_name("王英") == "王*"
    assert mask_name("乌云其其格") == "乌***格"
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("0471-1234567") == "047****4567"
    assert mask_id_number("11010519491231002X") == "110***********002X"
