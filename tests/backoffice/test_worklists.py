"""Worklists: most urgent first, filtered, counted, paged; claims keep two users apart."""

from __future__ import annotations

import pytest

from loket.domain.calendar import ClockState
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.errors import InvalidInput, PermissionDenied, WorkflowRefused
from loket.services.users import User
from loket.workflow import Action, Command
from tests.backoffice.support import walk_to
from tests.services.support import FakeClock, register


def _at_kasi(loket: Loket, staff: dict[Role, User], clock: FakeClock, sop: int) -> str:
    return walk_to(
        loket, staff, register(loket, staff, sop), clock, 7 if sop == 68 else 9
    ).record.number


def test_queue_is_most_urgent_first_with_colours(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    kasi = staff[Role.KASI_PERIZINAN]
    first = _at_kasi(loket, staff, clock, 68)  # reaches the Kasi first
    clock.advance(hours=1)
    second = _at_kasi(loket, staff, clock, 68)
    clock.advance(hours=1)
    third = _at_kasi(loket, staff, clock, 76)
    clock.advance(hours=6)  # same day, 1 working day standard: about 3/4 used by the first
    rows = loket.back_office.worklists.rows(kasi)
    assert [r.number for r in rows] == [first, second, third]
    assert all(r.role is Role.KASI_PERIZINAN for r in rows)
    assert [r.due_at for r in rows] == sorted(r.due_at for r in rows)
    clock.advance(days=1)  # Tuesday: the first two are overdue
    rows = loket.back_office.worklists.rows(kasi)
    states = [r.state for r in rows]
    assert states[0] is ClockState.OVERDUE
    assert rows[0].days_in_step == 1
    overdue = loket.back_office.worklists.rows(kasi, state=ClockState.OVERDUE)
    assert [r.number for r in overdue] == [r.number for r in rows if r.state is ClockState.OVERDUE]
    counts = loket.back_office.worklists.counts(kasi)[Role.KASI_PERIZINAN]
    assert counts.total == 3
    assert counts.overdue == len(overdue)
    assert counts.warning == sum(r.state is ClockState.WARNING for r in rows)
    only_76 = loket.back_office.worklists.rows(kasi, sop_number=76)
    assert [r.number for r in only_76] == [third]
    assert rows[0].applicant == "Yohanes Dadi"
    assert rows[0].sop_name == loket.catalog.get(68).name


def test_pages_join_up_to_the_whole_queue(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    numbers = []
    for i in range(7):
        numbers.append(_at_kasi(loket, staff, clock, 68 if i % 2 else 76))
        clock.advance(minutes=13)
    service, kasi = loket.back_office.worklists, staff[Role.KASI_PERIZINAN]
    whole = [r.number for r in service.rows(kasi)]
    paged: list[str] = []
    cursor = None
    while True:
        page = service.page(kasi, limit=3, cursor=cursor)
        paged.extend(r.number for r in page.rows)
        if page.cursor is None:
            break
        cursor = page.cursor
    assert paged == whole
    assert sorted(whole) == sorted(numbers)
    with pytest.raises(InvalidInput):
        service.page(kasi, limit=0)


def test_two_users_of_one_role_cannot_hold_one_dossier(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    kasi = staff[Role.KASI_PERIZINAN]
    other = loket.users.add_user(
        staff[Role.ADMIN],
        username="kasi2",
        full_name="Kasi Dua",
        role=Role.KASI_PERIZINAN,
        password="rahasia-123",
    )
    number = _at_kasi(loket, staff, clock, 68)
    claims = loket.back_office.claims
    held = claims.claim(kasi, number)
    assert held.user_id == kasi.id
    with pytest.raises(WorkflowRefused, match="sedang dikerjakan"):
        claims.claim(other, number)
    with pytest.raises(WorkflowRefused):
        loket.back_office.steps.act(other, number, Command(Action.COMPLETE_STEP))
    row = loket.back_office.worklists.rows(kasi)[0]
    assert row.claimed_by == kasi.id
    with pytest.raises(WorkflowRefused):
        claims.claim(staff[Role.KABID_PERIZINAN], number)  # not the Kabid's step
    with pytest.raises(WorkflowRefused):
        claims.release(other, number)
    with pytest.raises(PermissionDenied):
        claims.reassign(kasi, number, other)
    moved = claims.reassign(staff[Role.ADMIN], number, other)
    assert moved.user_id == other.id
    assert claims.mine(other) == [number]
    claims.release(other, number)
    assert claims.holder(kasi, number) is None
    trail = [(e["action"], e["user"]) for e in loket.dossiers.audit_trail(kasi, number)]
    assert ("claim", "kasi_perizinan") in trail
    assert ("reassign", "admin") in trail
    assert ("release", "kasi2") in trail


def test_a_claim_holds_for_every_caller_and_ends_with_the_step(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    """The claim is checked where every action passes: DossierService.act itself."""
    kasi = staff[Role.KASI_PERIZINAN]
    other = loket.users.add_user(
        staff[Role.ADMIN],
        username="kasi2",
        full_name="Kasi Dua",
        role=Role.KASI_PERIZINAN,
        password="rahasia-123",
    )
    number = _at_kasi(loket, staff, clock, 68)
    loket.back_office.claims.claim(kasi, number)
    version = loket.dossiers.show(kasi, number).record.state.version
    for action in (Action.COMPLETE_STEP, Action.REJECT):
        with pytest.raises(WorkflowRefused, match="sedang dikerjakan oleh"):
            loket.dossiers.act(other, number, Command(action, reason="alasan"))
    assert loket.dossiers.show(kasi, number).record.state.version == version
    moved = loket.dossiers.act(kasi, number, Command(Action.COMPLETE_STEP))
    assert moved.record.state.step_no == 8
    assert loket.back_office.claims.holder(kasi, number) is None
    # An admin's cancellation is not held up by a claim.
    second = _at_kasi(loket, staff, clock, 68)
    loket.back_office.claims.claim(kasi, second)
    cancelled = loket.dossiers.act(staff[Role.ADMIN], second, Command(Action.CANCEL, reason="x"))
    assert cancelled.record.state.status.value == "cancelled"
