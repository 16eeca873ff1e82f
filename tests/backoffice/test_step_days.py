"""The daily sums the reports read equal the measured steps they sum, however made."""

from __future__ import annotations

from datetime import date

from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.users import User
from tests.backoffice.support import issue_and_hand_over, rebuild_from_scratch
from tests.services.support import FakeClock


def test_sums_made_step_by_step_equal_sums_rebuilt_at_once(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    issue_and_hand_over(loket, staff, clock, 68)
    clock.advance(days=1)  # a second day of measured steps
    issue_and_hand_over(loket, staff, clock, 76)
    head = staff[Role.KEPALA_DINAS]
    sla = loket.back_office.sla
    incremental = sla.report(head)
    by_day = sla.stats(date(2026, 3, 3), date(2026, 3, 4))
    assert {s.sop_number for s in by_day} == {76}  # the second day holds SOP 76 alone
    rebuild_from_scratch(loket)
    assert sla.report(head) == incremental
    assert sla.stats(date(2026, 3, 3), date(2026, 3, 4)) == by_day
    assert sum(r.finished for r in incremental) == 9 + 11
