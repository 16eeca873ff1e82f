"""Field inspection reports, permits nearing expiry, and the dashboard's figures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.errors import InvalidInput, WorkflowRefused
from loket.services.expiry import DueKind, Horizon
from loket.services.users import User
from tests.backoffice.support import walk_to
from tests.services.support import FakeClock, issue, register

PHOTO = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def test_inspection_scheduled_then_recorded(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    team_user = staff[Role.TIM_TEKNIS]
    inspections = loket.back_office.inspections
    early = register(loket, staff, 76).record.number
    with pytest.raises(WorkflowRefused):
        inspections.schedule(team_user, early, clock.now.date(), ["Andi"])
    number = walk_to(loket, staff, register(loket, staff, 76), clock, 8).record.number
    with pytest.raises(WorkflowRefused):
        inspections.schedule(staff[Role.KASI_PERIZINAN], number, clock.now.date(), ["Andi"])
    with pytest.raises(InvalidInput):
        inspections.schedule(team_user, number, clock.now.date(), [" "])
    planned = inspections.schedule(
        team_user, number, clock.now.date() + timedelta(days=1), ["Andi", "Budi (Dishub)"]
    )
    assert not planned.recorded
    photo = loket.back_office.attachments.attach(
        team_user, number, PHOTO, "lokasi.jpg", "foto_lapangan"
    )
    with pytest.raises(InvalidInput):
        inspections.record(
            team_user,
            number,
            inspected_on=clock.now.date(),
            team=["Andi"],
            findings="x",
            recommendation="y",
            photos=["0" * 64],
        )
    clock.advance(days=1)
    report = inspections.record(
        team_user,
        number,
        inspected_on=clock.now.date(),
        team=["Andi", "Budi (Dishub)"],
        findings="Lokasi pool sesuai denah; kapasitas 12 kendaraan.",
        recommendation="Layak diterbitkan",
        photos=[photo.sha256],
    )
    assert report.id == planned.id
    assert report.recorded and report.photos == (photo.sha256,)
    assert inspections.latest(team_user, number).findings.startswith("Lokasi pool")
    trail = [e["action"] for e in loket.dossiers.audit_trail(team_user, number)]
    assert trail.count("inspection_scheduled") == 1 and trail.count("inspection_recorded") == 1


def test_permits_nearing_expiry(loket: Loket, staff: dict[Role, User], clock: FakeClock) -> None:
    kabid = staff[Role.KABID_PERIZINAN]
    issue(loket, staff, register(loket, staff, 68))  # valid while the business runs
    view = issue(loket, staff, register(loket, staff, 76))  # valid five years
    assert view.record.permit is not None and view.record.permit.valid_until is not None
    expiry = loket.back_office.expiry
    assert expiry.due(kabid, Horizon.MONTHS_3) == []
    until = view.record.permit.valid_until
    clock.set(clock.now + (until - clock.now.date()) - timedelta(days=60))
    assert expiry.due(kabid, Horizon.DAYS_30) == []
    (due,) = expiry.due(kabid, Horizon.MONTHS_3)
    assert (due.kind, due.due_on, due.days_left) == (DueKind.EXPIRY, until, 60)
    assert due.permit_number == view.record.permit.number
    clock.advance(days=40)
    assert [d.days_left for d in expiry.due(kabid, Horizon.DAYS_30)] == [20]


def test_dashboard_figures(loket: Loket, staff: dict[Role, User], clock: FakeClock) -> None:
    issue(loket, staff, register(loket, staff, 68))
    walk_to(loket, staff, register(loket, staff, 76), clock, 9)
    register(loket, staff, 76)
    clock.advance(days=3)
    board = loket.back_office.dashboard.dashboard(staff[Role.KEPALA_DINAS], days=7)
    assert board.last_day == clock.now.date()
    assert sum(n for _d, n in board.intake_per_day) == 3
    assert dict(board.intake_per_day)[date(2026, 3, 2)] == 3
    assert dict(board.issued_per_day)[date(2026, 3, 2)] == 1
    loads = {(s.sop_number, s.step_no): s.open for s in board.by_step}
    assert loads == {(76, 9): 1, (76, 1): 1}
    # the third dossier waits at the applicant's step 1: in no queue
    assert board.overdue_per_role == {Role.KASI_PERIZINAN: 1}
    assert board.status_counts == {"issued": 1, "in_progress": 2}
    assert 0 < board.share_within <= 1
    assert {(s.sop_number, s.step_no) for s in board.steps} >= {(68, 9), (76, 8)}
    with pytest.raises(InvalidInput):
        loket.back_office.dashboard.dashboard(staff[Role.KEPALA_DINAS], days=0)
