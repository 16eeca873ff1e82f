"""Whole lives of an SOP 68 and an SOP 76 dossier: registration to hand-over."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime

import pytest

from loket.domain.calendar import WIB
from loket.domain.dossier import Outcome, Status
from loket.domain.roles import Role
from loket.domain.sop import StepKind
from loket.services.context import Loket
from loket.services.dossiers import DossierView
from loket.services.errors import WorkflowRefused
from loket.services.users import User
from loket.workflow import Action, Command
from tests.services.support import (
    FIELD_VALUES,
    FakeClock,
    company,
    counts,
    drive,
    issue,
    register,
    role_of,
)

FO = Role.FRONT_OFFICE


def _walk_every_step(
    loket: Loket, staff: dict[Role, User], clock: FakeClock, view: DossierView
) -> tuple[DossierView, list[str]]:
    """Each step by its own role with every field filled, 20 minutes apart, then sign."""
    actions = []
    while view.record.state.status is Status.IN_PROGRESS:
        clock.advance(minutes=20)
        step = view.sop.step(view.record.state.step_no)
        action = Action.SIGN if step.kind is StepKind.SIGNING else Action.COMPLETE_STEP
        data = tuple((f.key, FIELD_VALUES[f.key]) for f in step.fields)
        view = loket.dossiers.act(
            staff[role_of(step)],
            view.record.number,
            Command(action, data=data),
            seen_version=view.record.state.version,
        )
        actions.append(action.value)
    return view, actions


def _check_history(loket: Loket, staff: dict[Role, User], view: DossierView) -> None:
    record = view.record
    visits = record.state.visits
    assert [v.step_no for v in visits] == [s.no for s in view.sop.steps]
    assert [v.outcome for v in visits] == [Outcome.COMPLETED] * (len(visits) - 1) + [Outcome.SIGNED]
    for visit, step in zip(visits, view.sop.steps, strict=True):
        assert visit.role == role_of(step).value
        assert visit.user_id == staff[role_of(step)].id
        assert visit.finished_at is not None and visit.finished_at > visit.started_at
    for earlier, later in itertools.pairwise(visits):
        assert later.started_at == earlier.finished_at


def _check_trail_and_outbox(
    loket: Loket, staff: dict[Role, User], view: DossierView, actions: list[str]
) -> None:
    number = view.record.number
    trail = loket.dossiers.audit_trail(staff[Role.ADMIN], number)
    assert [e["action"] for e in trail] == ["register", *actions]
    assert [e["seq"] for e in trail] == sorted(e["seq"] for e in trail)
    versions = [json.loads(e["after"])["version"] for e in trail]
    assert versions == list(range(1, len(trail) + 1))
    with loket.storage.reading() as store:
        outbox = [e for e in store.outbox() if e["entity_id"] == view.record.id]
    assert [e["command"] for e in outbox] == ["register", *actions]
    seqs = [e["client_seq"] for e in outbox]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert [e["base_version"] for e in outbox] == list(range(len(outbox)))
    assert len({e["tx_id"] for e in outbox}) == len(outbox)  # one transaction each


def test_sop_68_from_registration_to_hand_over(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    view = register(loket, staff, 68)
    assert view.record.number == "SOP68/2026/FO1/000001"
    assert (view.record.state.status, view.record.state.step_no) == (Status.IN_PROGRESS, 1)

    view, actions = _walk_every_step(loket, staff, clock, view)

    assert actions == ["complete_step"] * 8 + ["sign"]
    assert view.record.state.status is Status.ISSUED
    assert view.record.sicantik_no == FIELD_VALUES["sicantik_no"]
    permit = view.record.permit
    assert permit is not None
    assert permit.number == "503/0001/IUP-BKL/DPMPTSP-TK/2026"
    assert permit.valid_until is None  # valid while the business runs
    assert permit.signed_by == staff[Role.KEPALA_DINAS].id
    assert permit.issued_at == clock()
    _check_history(loket, staff, view)

    clock.advance(days=2)
    handed = loket.dossiers.act(staff[FO], view.record.number, Command(Action.HAND_OVER))
    assert handed.record.state.status is Status.HANDED_OVER
    assert handed.deadlines.step_due is None
    _check_trail_and_outbox(loket, staff, handed, [*actions, "hand_over"])
    assert [s.permit_number for s in loket.dossiers.search(staff[FO])] == [permit.number]
    with pytest.raises(WorkflowRefused, match="sudah selesai"):
        loket.dossiers.act(staff[FO], view.record.number, Command(Action.HAND_OVER))
    report = loket.audit.verify(staff[Role.ADMIN])
    assert report.ok and report.checked == len(Role) + 1 + len(actions) + 1


def test_sop_76_for_a_company_with_the_inspection_step(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    first = issue(loket, staff, register(loket, staff, 68))
    view = register(loket, staff, 76, applicant=company(), oss_nib=FIELD_VALUES["oss_nib"])
    assert view.record.number == "SOP76/2026/FO1/000001"
    assert view.record.oss_nib == FIELD_VALUES["oss_nib"]

    view, actions = _walk_every_step(loket, staff, clock, view)

    assert actions == ["complete_step"] * 10 + ["sign"]
    roles = [v.role for v in view.record.state.visits]
    assert roles[6:] == [
        "back_office",
        "tim_teknis",
        "kasi_perizinan",
        "kabid_perizinan",
        "kepala_dinas",
    ]
    inspection = view.record.state.visits[7]
    assert dict(inspection.data) == {
        "tanggal_pemeriksaan": "2026-03-05",
        "rekomendasi": "Layak diterbitkan",
    }
    assert first.record.permit is not None and view.record.permit is not None
    assert first.record.permit.number == "503/0001/IUP-BKL/DPMPTSP-TK/2026"
    # One gapless sequence per office and year, whatever the SOP.
    assert view.record.permit.number == "503/0002/IPK/DPMPTSP-TK/2026"
    assert view.record.permit.valid_until == date(2031, 3, 2)
    _check_history(loket, staff, view)
    handed = loket.dossiers.act(staff[FO], view.record.number, Command(Action.HAND_OVER))
    _check_trail_and_outbox(loket, staff, handed, [*actions, "hand_over"])
    assert loket.audit.verify(staff[Role.ADMIN]).ok


def test_the_inspection_needs_its_fields(loket: Loket, staff: dict[Role, User]) -> None:
    view = drive(loket, staff, register(loket, staff, 76), 8)
    before = counts(loket)
    teknis = staff[Role.TIM_TEKNIS]
    only_date = Command(Action.COMPLETE_STEP, data=(("tanggal_pemeriksaan", "2026-03-05"),))
    blank = Command(
        Action.COMPLETE_STEP,
        data=(("tanggal_pemeriksaan", "2026-03-05"), ("rekomendasi", "   ")),
    )
    for command in (Command(Action.COMPLETE_STEP), only_date, blank):
        with pytest.raises(WorkflowRefused, match="Rekomendasi Tim Teknis") as refused:
            loket.dossiers.act(teknis, view.record.number, command)
        assert refused.value.code == "step.fields_missing"
    assert counts(loket) == before


def test_permit_numbers_start_again_each_year_and_keep_29_february(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    clock.set(datetime(2028, 2, 28, 9, 0, tzinfo=WIB))
    view = register(loket, staff, 76)
    clock.set(datetime(2028, 2, 29, 10, 0, tzinfo=WIB))
    signed = issue(loket, staff, view)
    assert signed.record.permit is not None
    assert signed.record.permit.number == "503/0001/IPK/DPMPTSP-TK/2028"
    assert signed.record.permit.valid_until == date(2033, 2, 28)
    clock.set(datetime(2029, 1, 2, 9, 0, tzinfo=WIB))
    later = issue(loket, staff, register(loket, staff, 68))
    assert later.record.number == "SOP68/2029/FO1/000001"
    assert later.record.permit is not None
    assert later.record.permit.number == "503/0001/IUP-BKL/DPMPTSP-TK/2029"


def test_a_permit_signed_at_night_in_utc_is_numbered_by_the_office_date(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    view = register(loket, staff, 68)
    # 31 Dec 2026 20:00 UTC is already 1 Jan 2027 03:00 in Ngabang.
    clock.set(datetime(2026, 12, 31, 20, 0, tzinfo=UTC))
    signed = issue(loket, staff, view)
    assert signed.record.permit is not None
    assert signed.record.permit.number.endswith("/2027")
