"""Leaving the straight road: sent back, rejected, returned, resumed, cancelled."""

from __future__ import annotations

import json

import pytest

from loket.domain.dossier import Outcome, Status
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.errors import (
    AuthenticationFailed,
    InvalidInput,
    NotFoundError,
    WorkflowRefused,
)
from loket.services.users import SYSTEM, User
from loket.workflow import Action, Command
from tests.services.support import (
    PASSWORD,
    FakeClock,
    company,
    counts,
    drive,
    every_requirement,
    forward,
    register,
)

FO = Role.FRONT_OFFICE
MISSING_68 = (
    "Formulir permohonan yang telah diisi dan ditandatangani; "
    "Fotokopi KTP pemohon / penanggung jawab; "
    "Pas foto berwarna ukuran 3x4 (3 lembar)"
)


def _last_audit(loket: Loket, user: User, number: str) -> dict[str, object]:
    entry = loket.dossiers.audit_trail(user, number)[-1]
    after = json.loads(str(entry["after"]))
    assert isinstance(after, dict)
    return after


def test_send_back_with_a_reason_reopens_the_earlier_step(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    view = drive(loket, staff, register(loket, staff), 7)
    kasi = staff[Role.KASI_PERIZINAN]
    number = view.record.number
    before = counts(loket)
    with pytest.raises(WorkflowRefused) as no_reason:
        loket.dossiers.act(kasi, number, Command(Action.SEND_BACK, target_step=6))
    assert no_reason.value.code == "reason.required"
    with pytest.raises(WorkflowRefused, match="4, 5, 6") as bad_target:
        loket.dossiers.act(kasi, number, Command(Action.SEND_BACK, target_step=1, reason="x"))
    assert bad_target.value.code == "send_back.bad_target"
    assert counts(loket) == before

    clock.advance(hours=1)
    reason = "Alamat usaha pada formulir tidak sesuai KTP"
    back = loket.dossiers.act(
        kasi, number, Command(Action.SEND_BACK, target_step=6, reason=f"  {reason} ")
    )
    state = back.record.state
    assert (state.status, state.step_no) == (Status.IN_PROGRESS, 6)
    sent = state.visits[-2]
    assert (sent.step_no, sent.outcome, sent.reason) == (7, Outcome.SENT_BACK, reason)
    assert (state.current_visit.step_no, state.current_visit.started_at) == (6, clock())
    after = _last_audit(loket, kasi, number)
    assert (after["reason"], after["target_step"], after["step"]) == (reason, 6, 6)
    # The entry step is done again, and the dossier comes back to the Kasi.
    again = forward(loket, staff, back)
    assert again.record.state.step_no == 7
    assert [v.step_no for v in again.record.state.visits][-3:] == [7, 6, 7]


def test_reject_with_a_reason_ends_the_dossier(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    view = drive(loket, staff, register(loket, staff), 8)
    kabid = staff[Role.KABID_PERIZINAN]
    with pytest.raises(WorkflowRefused, match="Alasan wajib"):
        loket.dossiers.act(kabid, view.record.number, Command(Action.REJECT, reason="  "))
    rejected = loket.dossiers.act(
        kabid, view.record.number, Command(Action.REJECT, reason="Lokasi di jalur hijau")
    )
    assert rejected.record.state.status is Status.REJECTED
    assert rejected.record.state.current_visit.outcome is Outcome.REJECTED
    assert rejected.record.state.current_visit.reason == "Lokasi di jalur hijau"
    assert rejected.record.permit is None
    assert rejected.deadlines.step_due is None
    for role, action in ((FO, Action.CANCEL), (FO, Action.RESUME), (kabid.role, Action.REJECT)):
        with pytest.raises(WorkflowRefused) as final:
            loket.dossiers.act(staff[role], view.record.number, Command(action, reason="lagi"))
        assert final.value.code == "dossier.final"


def test_incomplete_files_are_returned_at_the_intake_step(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    view = register(loket, staff, received=frozenset({"nib"}))
    state = view.record.state
    assert (state.status, state.step_no) == (Status.RETURNED, 4)
    assert [(v.step_no, v.outcome) for v in state.visits] == [
        (1, Outcome.COMPLETED),
        (2, Outcome.COMPLETED),
        (3, Outcome.COMPLETED),
        (4, Outcome.RETURNED),
    ]
    assert state.current_visit.reason == f"Berkas belum lengkap: {MISSING_68}"
    assert {i.key: i.received for i in view.record.checklist} == {
        "formulir": False,
        "ktp": False,
        "nib": True,
        "pas_foto": False,
        "surat_kuasa": False,
    }  # no "akta": it applies to companies only
    assert view.deadlines.step_due is None
    assert view.deadlines.dossier_fraction == 0.0
    after = _last_audit(loket, staff[FO], view.record.number)
    assert (after["status"], after["step"], after["received"]) == ("returned", 4, ["nib"])
    # Only the return is a state change the outbox carries: one entry for the registration.
    with loket.storage.reading() as store:
        assert [e["command"] for e in store.outbox()] == ["register"]


def test_a_company_missing_its_deed_is_returned_naming_it(
    loket: Loket, staff: dict[Role, User]
) -> None:
    everything_but_the_deed = every_requirement(loket, 68) - {"akta"}
    view = register(loket, staff, applicant=company(), received=everything_but_the_deed)
    assert view.record.state.status is Status.RETURNED
    assert view.record.state.current_visit.reason == (
        "Berkas belum lengkap: Fotokopi akta pendirian badan usaha beserta perubahannya"
    )


def test_resume_with_the_files_brought_back(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    view = register(loket, staff, received=frozenset({"nib"}))
    number = view.record.number
    clock.advance(days=3)
    brought = {"formulir": True, "ktp": True, "pas_foto": True}
    before = counts(loket)
    with pytest.raises(InvalidInput, match="akta"):
        loket.dossiers.act(staff[FO], number, Command(Action.RESUME), received={"akta": True})
    with pytest.raises(InvalidInput, match="tidak ada pada daftar periksa"):
        loket.dossiers.act(staff[FO], number, Command(Action.RESUME), received={"x" * 10**6: True})
    assert counts(loket) == before

    resumed = loket.dossiers.act(staff[FO], number, Command(Action.RESUME), received=brought)
    state = resumed.record.state
    assert (state.status, state.step_no) == (Status.IN_PROGRESS, 4)
    assert state.current_visit.started_at == clock()
    assert all(i.received for i in resumed.record.checklist if i.mandatory)
    after = _last_audit(loket, staff[FO], number)
    assert after["received"] == brought
    with loket.storage.reading() as store:
        assert store.outbox()[-1]["payload"]["received"] == brought
    assert resumed.deadlines.step_due is not None


def test_files_returned_at_data_entry(loket: Loket, staff: dict[Role, User]) -> None:
    view = drive(loket, staff, register(loket, staff), 6)
    returned = loket.dossiers.act(
        staff[FO],
        view.record.number,
        Command(Action.RETURN_FILES, reason="Pas foto buram"),
        received={"pas_foto": False},
    )
    assert (returned.record.state.status, returned.record.state.step_no) == (Status.RETURNED, 6)
    assert {i.key: i.received for i in returned.record.checklist}["pas_foto"] is False
    # Once the back office has it, the counter can no longer hand files back.
    at_review = drive(loket, staff, register(loket, staff), 7).record.number
    with pytest.raises(WorkflowRefused, match="Kasi Perizinan, bukan Front Office") as refused:
        loket.dossiers.act(staff[FO], at_review, Command(Action.RETURN_FILES, reason="x"))
    assert refused.value.code == "role.not_step_actor"


def test_cancel_by_the_front_office_and_by_an_admin(loket: Loket, staff: dict[Role, User]) -> None:
    first = register(loket, staff)
    cancelled = loket.dossiers.act(
        staff[FO], first.record.number, Command(Action.CANCEL, reason="Pemohon menarik berkas")
    )
    assert cancelled.record.state.status is Status.CANCELLED
    assert cancelled.record.state.current_visit.outcome is Outcome.CANCELLED
    returned = register(loket, staff, received=frozenset())
    by_admin = loket.dossiers.act(
        staff[Role.ADMIN],
        returned.record.number,
        Command(Action.CANCEL, reason="Tidak diambil 30 hari"),
    )
    assert by_admin.record.state.status is Status.CANCELLED
    # The returned visit stays as it was: cancelling adds no visit.
    assert by_admin.record.state.visits == returned.record.state.visits
    issued_number = drive(loket, staff, register(loket, staff), 9).record.number
    signed = forward(loket, staff, loket.dossiers.show(staff[FO], issued_number))
    with pytest.raises(WorkflowRefused) as too_late:
        loket.dossiers.act(staff[FO], signed.record.number, Command(Action.CANCEL, reason="x"))
    assert too_late.value.code == "dossier.wrong_status"


def test_the_command_line_cancels_as_a_recorded_system_user(
    loket: Loket, staff: dict[Role, User]
) -> None:
    number = drive(loket, staff, register(loket, staff), 5).record.number
    users_before = counts(loket).users
    view = loket.dossiers.act(SYSTEM, number, Command(Action.CANCEL, reason="Data uji"))
    assert view.record.state.status is Status.CANCELLED
    assert view.record.state.current_visit.user_id == SYSTEM.id
    second = register(loket, staff).record.number
    loket.dossiers.act(SYSTEM, second, Command(Action.CANCEL, reason="Data uji"))
    assert counts(loket).users == users_before + 1  # one row, made the first time
    assert SYSTEM not in loket.users.users(SYSTEM)
    assert all(u.id != SYSTEM.id for u in loket.users.users(SYSTEM))
    with pytest.raises(AuthenticationFailed):
        loket.users.authenticate("system", "")
    with pytest.raises(AuthenticationFailed):
        loket.users.authenticate("system", PASSWORD)
    assert loket.audit.verify(SYSTEM).ok


def test_a_stale_view_is_refused(loket: Loket, staff: dict[Role, User]) -> None:
    view = register(loket, staff)
    seen = view.record.state.version
    forward(loket, staff, view)
    before = counts(loket)
    with pytest.raises(WorkflowRefused, match="muat ulang") as stale:
        loket.dossiers.act(
            staff[FO], view.record.number, Command(Action.COMPLETE_STEP), seen_version=seen
        )
    assert stale.value.code == "dossier.stale"
    assert counts(loket) == before


def test_dossiers_are_found_by_number_as_typed(loket: Loket, staff: dict[Role, User]) -> None:
    number = register(loket, staff).record.number
    fo = staff[FO]
    assert loket.dossiers.show(fo, f"  {number.lower()} ").record.number == number
    moved = loket.dossiers.act(fo, number.lower(), Command(Action.COMPLETE_STEP))
    assert moved.record.state.step_no == 2
    assert len(loket.dossiers.audit_trail(fo, number.lower())) == 2
    for unknown in ("SOP68/2026/FO1/999999", "sop68/2026/fo1/999999", "x" * 10**7):
        with pytest.raises(NotFoundError):
            loket.dossiers.show(fo, unknown)
        with pytest.raises(NotFoundError):
            loket.dossiers.act(fo, unknown, Command(Action.COMPLETE_STEP))
        with pytest.raises(NotFoundError):
            loket.dossiers.audit_trail(fo, unknown)


def test_files_leave_the_counter_only_complete(loket: Loket, staff: dict[Role, User]) -> None:
    """A resumed dossier cannot complete intake until the missing files are ticked."""
    view = register(loket, staff, received=frozenset({"nib"}))
    number = view.record.number
    loket.dossiers.act(staff[FO], number, Command(Action.RESUME))
    before = counts(loket)
    with pytest.raises(WorkflowRefused, match="Berkas belum lengkap") as refused:
        loket.dossiers.act(staff[FO], number, Command(Action.COMPLETE_STEP))
    assert refused.value.code == "files.incomplete"
    assert "Pas foto" in str(refused.value)
    assert counts(loket) == before

    brought = {"formulir": True, "ktp": True, "pas_foto": True}
    done = loket.dossiers.act(staff[FO], number, Command(Action.COMPLETE_STEP), received=brought)
    assert done.record.state.step_no == 5
