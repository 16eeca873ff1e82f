"""A dossier of each SOP from intake through every role's step to handover, as people do it."""

from __future__ import annotations

from datetime import date

import pytest

from loket.domain.dossier import Status
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.errors import WorkflowRefused
from loket.services.users import User
from tests.backoffice.support import issue_and_hand_over, walk_to
from tests.services.support import FakeClock, register


@pytest.mark.parametrize("sop_number", [68, 76])
def test_a_dossier_goes_through_every_role_to_handover(
    loket: Loket, staff: dict[Role, User], clock: FakeClock, sop_number: int
) -> None:
    number = issue_and_hand_over(loket, staff, clock, sop_number)
    sop = loket.catalog.get(sop_number)
    trail = loket.dossiers.audit_trail(staff[Role.ADMIN], number)
    actions = [(e["action"], e["role"]) for e in trail]
    # Every step was claimed by the role that then completed (or signed) it.
    for step in sop.steps:
        role = step.acting_role.value
        assert ("claim", role) in actions
    assert ("sign", Role.KEPALA_DINAS.value) in actions
    assert ("hand_over", Role.FRONT_OFFICE.value) in actions
    assert ("handover_receiver", Role.FRONT_OFFICE.value) in actions
    assert actions[0] == ("register", Role.FRONT_OFFICE.value)
    # Each step's visit names the user of the right role.
    view = loket.dossiers.show(staff[Role.ADMIN], number)
    for visit in view.record.state.visits:
        assert visit.role == sop.step(visit.step_no).acting_role.value
        assert visit.user_id == staff[Role(visit.role)].id
    assert view.record.permit is not None

    rows = {
        r.step_no: r
        for r in loket.back_office.sla.report(staff[Role.KABID_PERIZINAN])
        if r.sop_number == sop_number
    }
    assert set(rows) == {s.no for s in sop.steps}
    assert all(r.finished == 1 for r in rows.values())
    # Five minutes per step: the ten- and thirty-minute and day-long steps are within,
    # the five-minute steps are exactly at their standard (still within).
    assert all(r.within == 1 for r in rows.values())
    assert all(r.longest_minutes == 5 for r in rows.values())

    month = loket.back_office.monthly.report(staff[Role.KEPALA_DINAS], date(2026, 3, 1))
    (line,) = [s for s in month.sops if s.sop_number == sop_number]
    assert (line.received, line.issued, line.rejected, line.in_process) == (1, 1, 0, 0)
    assert line.ikm.respondents == 1
    assert line.ikm.converted == 100.0
    assert line.ikm.grade == "A"
    assert month.ikm.respondents == 1


def test_send_back_and_reject(loket: Loket, staff: dict[Role, User], clock: FakeClock) -> None:
    office = loket.back_office
    kasi, kabid = staff[Role.KASI_PERIZINAN], staff[Role.KABID_PERIZINAN]
    first = walk_to(loket, staff, register(loket, staff, 76), clock, 9)
    office.claims.claim(kasi, first.record.number)
    with pytest.raises(WorkflowRefused):
        office.steps.send_back(kasi, first.record.number, 7, "   ")
    back = office.steps.send_back(kasi, first.record.number, 7, "Gambar denah belum sesuai")
    assert back.record.state.step_no == 7
    assert office.claims.holder(kasi, first.record.number) is None
    back = walk_to(loket, staff, back, clock, 9)
    # Step 7 was visited twice: once before the send-back, once after it.
    assert [v.step_no for v in back.record.state.visits].count(7) == 2
    assert back.record.state.visits[-1].step_no == 9

    second = walk_to(loket, staff, register(loket, staff, 68), clock, 8)
    office.claims.claim(kabid, second.record.number)
    rejected = office.steps.reject(kabid, second.record.number, "Lokasi tidak sesuai tata ruang")
    assert rejected.record.state.status is Status.REJECTED

    month = office.monthly.report(staff[Role.KEPALA_DINAS], date(2026, 3, 1))
    by_sop = {s.sop_number: s for s in month.sops}
    assert by_sop[76].sent_back == 1
    assert by_sop[76].in_process == 1
    assert by_sop[68].rejected == 1
    assert by_sop[68].in_process == 0
    trail = [e["action"] for e in loket.dossiers.audit_trail(kasi, first.record.number)]
    assert "send_back" in trail
