"""Every action of the workflow engine, and every reason it refuses one.

Most cases use the real SOP 68 (applicant steps 1–3, two of them optional;
intake 4, receipt 5, entry 6; reviews 7 and 8; signing 9); the inspection cases
use SOP 76 (step 8) and the made-up SOP 999 of ``tests/data``.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from loket.domain.dossier import DossierState, Outcome, Status, StepVisit
from loket.domain.roles import Role
from loket.domain.sop import (
    Actor,
    PermitSpec,
    Sop,
    Step,
    StepField,
    StepKind,
    TimeStandard,
    TimeUnit,
    Validity,
)
from loket.workflow.engine import (
    CANCELLERS,
    MAX_REASON_CHARS,
    REASON_REQUIRED,
    Acting,
    Action,
    Command,
    Result,
    advance,
    start,
)
from tests.workflow.support import (
    T0,
    acting,
    at,
    drive_to,
    filled,
    issued,
    ok,
    real_catalog,
    refused,
    reklame_sop,
)

FO = acting(Role.FRONT_OFFICE)
KASI = acting(Role.KASI_PERIZINAN)
KABID = acting(Role.KABID_PERIZINAN)
KADIS = acting(Role.KEPALA_DINAS)
ADMIN = acting(Role.ADMIN)
TEKNIS = acting(Role.TIM_TEKNIS)


@pytest.fixture(scope="module")
def sop() -> Sop:
    return real_catalog().get(68)


@pytest.fixture(scope="module")
def sop76() -> Sop:
    return real_catalog().get(76)


def act(
    sop: Sop,
    state: DossierState,
    action: Action,
    who: Acting,
    *,
    minutes: int = 1,
    target: int | None = None,
    reason: str = "",
    data: tuple[tuple[str, str], ...] = (),
) -> Result:
    command = Command(action, target_step=target, reason=reason, data=data)
    return advance(sop, state, command, actor=who, now=at(minutes))


def returned(sop: Sop, step_no: int = 4) -> DossierState:
    """A dossier whose files were given back to the applicant at ``step_no``."""
    state = drive_to(sop, step_no)
    return ok(act(sop, state, Action.RETURN_FILES, FO, reason="KTP kurang"))


def final_state(sop: Sop, status: Status) -> DossierState:
    return DossierState(status=status, step_no=sop.last_step.no, visits=(), version=9)


# -- start ---------------------------------------------------------------------


def test_start_opens_the_first_step(sop: Sop) -> None:
    state = start(sop, actor=FO, now=T0)
    assert state.status is Status.IN_PROGRESS
    assert state.step_no == 1
    assert state.version == 1
    assert state.visits == (StepVisit(step_no=1, started_at=T0),)
    assert state.current_visit.open


# -- checks made before any action -------------------------------------------------


@pytest.mark.parametrize("status", [Status.REJECTED, Status.CANCELLED, Status.HANDED_OVER])
@pytest.mark.parametrize("action", list(Action))
def test_final_statuses_refuse_every_action(sop: Sop, status: Status, action: Action) -> None:
    """A rejected, cancelled or handed-over dossier is closed for good, for every role."""
    for role in Role:
        result = act(sop, final_state(sop, status), action, acting(role), reason="alasan")
        refusal = refused(result, "dossier.final")
        assert refusal.message == (
            f"Berkas sudah selesai ({status.label}); tidak ada tindakan lagi."
        )


@pytest.mark.parametrize("action", sorted(REASON_REQUIRED))
@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_reason_is_required(sop: Sop, action: Action, reason: str) -> None:
    """Returning, sending back, rejecting and cancelling need a written reason."""
    state = drive_to(sop, 7)
    refusal = refused(act(sop, state, action, KASI, reason=reason, target=4), "reason.required")
    assert refusal.message == "Alasan wajib diisi untuk tindakan ini."


def test_reason_required_set_is_exactly_the_four_actions() -> None:
    assert (
        frozenset({Action.RETURN_FILES, Action.SEND_BACK, Action.REJECT, Action.CANCEL})
        == REASON_REQUIRED
    )


def test_reason_over_the_limit_is_refused(sop: Sop) -> None:
    state = drive_to(sop, 7)
    reason = "x" * (MAX_REASON_CHARS + 1)
    refusal = refused(act(sop, state, Action.REJECT, KASI, reason=reason), "reason.too_long")
    assert refusal.message == "Alasan terlalu panjang (paling banyak 2000 karakter)."


def test_reason_too_long_applies_to_optional_reasons_too(sop: Sop) -> None:
    state = drive_to(sop, 7)
    reason = "x" * (MAX_REASON_CHARS + 1)
    refused(act(sop, state, Action.COMPLETE_STEP, KASI, reason=reason), "reason.too_long")


def test_reason_at_the_limit_is_accepted_and_stored_stripped(sop: Sop) -> None:
    state = drive_to(sop, 7)
    reason = " " + "x" * (MAX_REASON_CHARS - 2) + " "
    after = ok(act(sop, state, Action.REJECT, KASI, reason=reason))
    assert after.visits[-1].reason == "x" * (MAX_REASON_CHARS - 2)


# -- complete --------------------------------------------------------------------


def test_complete_closes_the_visit_and_opens_the_next_step(sop: Sop) -> None:
    state = drive_to(sop, 7, now=at(0))
    data = (("catatan", "lengkap"),)
    after = ok(act(sop, state, Action.COMPLETE_STEP, KASI, minutes=30, data=data, reason=" ok "))
    closed, opened = after.visits[-2:]
    assert closed == replace(
        state.current_visit,
        finished_at=at(30),
        user_id=KASI.user_id,
        role="kasi_perizinan",
        outcome=Outcome.COMPLETED,
        reason="ok",
        data=data,
    )
    assert opened == StepVisit(step_no=8, started_at=at(30))
    assert (after.step_no, after.status, after.version) == (
        8,
        Status.IN_PROGRESS,
        state.version + 1,
    )
    assert after.visits[:-2] == state.visits[:-1]


def test_applicant_step_is_recorded_by_front_office(sop: Sop) -> None:
    """The applicant is never a user: the counter records the applicant's step."""
    state = start(sop, actor=FO, now=T0)
    after = ok(act(sop, state, Action.COMPLETE_STEP, FO))
    assert after.visits[0].role == "front_office"
    assert after.step_no == 2


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.KASI_PERIZINAN])
def test_complete_by_another_role_is_refused(sop: Sop, role: Role) -> None:
    """Step 7 belongs to the Kasi Perizinan; nobody else may complete it."""
    state = drive_to(sop, 7)
    refusal = refused(act(sop, state, Action.COMPLETE_STEP, acting(role)), "role.not_step_actor")
    assert refusal.message == (
        f"Langkah 7 (Verifikasi Penerbitan Izin) dikerjakan oleh Kasi Perizinan, "
        f"bukan {role.label}."
    )


def test_complete_at_the_signing_step_is_refused(sop: Sop) -> None:
    state = drive_to(sop, 9)
    refusal = refused(act(sop, state, Action.COMPLETE_STEP, KADIS), "step.needs_signing")
    assert refusal.message == "Langkah penetapan diselesaikan dengan tanda tangan."


def test_complete_needs_every_required_field(sop76: Sop) -> None:
    """SOP 76 step 8 (Tim Teknis) needs the inspection date and the recommendation."""
    state = drive_to(sop76, 8)
    refusal = refused(act(sop76, state, Action.COMPLETE_STEP, TEKNIS), "step.fields_missing")
    assert refusal.message == (
        "Isian wajib belum diisi: Tanggal pemeriksaan lapangan, Rekomendasi Tim Teknis."
    )
    partial = (("tanggal_pemeriksaan", "2025-03-04"), ("rekomendasi", ""))
    refusal = refused(
        act(sop76, state, Action.COMPLETE_STEP, TEKNIS, data=partial), "step.fields_missing"
    )
    assert refusal.message == "Isian wajib belum diisi: Rekomendasi Tim Teknis."
    after = ok(act(sop76, state, Action.COMPLETE_STEP, TEKNIS, data=filled(sop76.step(8))))
    assert after.step_no == 9


def test_blank_required_field_is_missing(sop76: Sop) -> None:
    state = drive_to(sop76, 8)
    blank = (("tanggal_pemeriksaan", "   "), ("rekomendasi", "Layak"))
    refused(act(sop76, state, Action.COMPLETE_STEP, TEKNIS, data=blank), "step.fields_missing")


def test_optional_fields_may_stay_empty(sop: Sop) -> None:
    state = drive_to(sop, 4)
    assert not any(f.required for f in sop.step(4).fields)
    assert ok(act(sop, state, Action.COMPLETE_STEP, FO)).step_no == 5


@pytest.mark.parametrize("action", [Action.COMPLETE_STEP, Action.SKIP_STEP, Action.SIGN])
def test_step_actions_need_a_dossier_in_progress(sop: Sop, action: Action) -> None:
    refusal = refused(act(sop, returned(sop, 4), action, FO), "dossier.wrong_status")
    assert refusal.message == (
        "Tindakan ini tidak dapat dilakukan pada berkas berstatus Berkas dikembalikan."
    )


@pytest.mark.parametrize(
    "action", [Action.COMPLETE_STEP, Action.SKIP_STEP, Action.SIGN, Action.RETURN_FILES]
)
def test_step_actions_are_refused_once_issued(sop: Sop, action: Action) -> None:
    """An issued permit is not signed twice nor sent round the steps again."""
    refused(act(sop, issued(sop), action, KADIS, reason="x"), "dossier.wrong_status")


# -- skip --------------------------------------------------------------------------


def test_optional_step_may_be_skipped(sop: Sop) -> None:
    state = drive_to(sop, 2)
    after = ok(act(sop, state, Action.SKIP_STEP, FO))
    assert after.visits[-2].outcome is Outcome.SKIPPED
    assert after.step_no == 3


@pytest.mark.parametrize("step_no", [1, 4, 5, 6])
def test_mandatory_step_cannot_be_skipped(sop: Sop, step_no: int) -> None:
    state = drive_to(sop, step_no)
    refusal = refused(act(sop, state, Action.SKIP_STEP, FO), "step.mandatory")
    assert refusal.message == f"Langkah {step_no} wajib dan tidak dapat dilewati."


def test_skip_by_another_role_is_refused() -> None:
    sop = reklame_sop()
    state = drive_to(sop, 4)  # optional, Back Office
    refused(act(sop, state, Action.SKIP_STEP, FO), "role.not_step_actor")
    assert ok(act(sop, state, Action.SKIP_STEP, acting(Role.BACK_OFFICE))).step_no == 5


def test_skip_ignores_required_fields() -> None:
    """A skipped step was not done: its required fields are not asked for."""
    sop = reklame_sop()
    optional = replace(sop.step(4), fields=(StepField("nilai", "Nilai sewa", required=True),))
    changed = replace(sop, steps=(*sop.steps[:3], optional, *sop.steps[4:]))
    state = drive_to(changed, 4)
    assert ok(act(changed, state, Action.SKIP_STEP, acting(Role.BACK_OFFICE))).step_no == 5


# -- return files and resume ---------------------------------------------------------


@pytest.mark.parametrize("step_no", [4, 5, 6])
def test_files_may_be_returned_at_the_counter(sop: Sop, step_no: int) -> None:
    """Intake, receipt and entry steps may give the files back to the applicant."""
    state = drive_to(sop, step_no)
    after = ok(act(sop, state, Action.RETURN_FILES, FO, reason="  KTP tidak terbaca "))
    assert after.status is Status.RETURNED
    assert after.step_no == step_no
    assert after.visits[-1].outcome is Outcome.RETURNED
    assert after.visits[-1].reason == "KTP tidak terbaca"
    assert not any(v.open for v in after.visits)


@pytest.mark.parametrize(
    ("number", "step_no", "who"),
    [
        (68, 1, FO),  # applicant
        (68, 7, KASI),  # review
        (76, 8, TEKNIS),  # inspection
        (68, 9, KADIS),  # signing
    ],
)
def test_files_cannot_be_returned_beyond_the_counter(
    number: int, step_no: int, who: Acting
) -> None:
    sop = real_catalog().get(number)
    state = drive_to(sop, step_no)
    refusal = refused(act(sop, state, Action.RETURN_FILES, who, reason="x"), "step.cannot_return")
    assert refusal.message == (
        "Berkas hanya dapat dikembalikan ke pemohon di loket (penerimaan dan entri data)."
    )


def test_return_files_by_another_role_is_refused(sop: Sop) -> None:
    state = drive_to(sop, 4)
    refused(act(sop, state, Action.RETURN_FILES, KASI, reason="x"), "role.not_step_actor")


def test_resume_reopens_the_same_step(sop: Sop) -> None:
    state = returned(sop, 5)
    after = ok(act(sop, state, Action.RESUME, FO, minutes=600))
    assert after.status is Status.IN_PROGRESS
    assert after.step_no == 5
    assert after.visits[:-1] == state.visits
    assert after.visits[-1] == StepVisit(step_no=5, started_at=at(600))


def test_resume_needs_returned_files(sop: Sop) -> None:
    refusal = refused(act(sop, drive_to(sop, 4), Action.RESUME, FO), "dossier.wrong_status")
    assert "Diproses" in refusal.message


def test_resume_by_another_role_is_refused(sop: Sop) -> None:
    refused(act(sop, returned(sop, 4), Action.RESUME, ADMIN), "role.not_step_actor")


# -- send back ---------------------------------------------------------------------------


@pytest.mark.parametrize("target", [4, 5, 6])
def test_send_back_to_an_earlier_office_step(sop: Sop, target: int) -> None:
    state = drive_to(sop, 7, now=at(0))
    after = ok(act(sop, state, Action.SEND_BACK, KASI, target=target, reason="NIB salah"))
    closed, opened = after.visits[-2:]
    assert (closed.step_no, closed.outcome, closed.reason) == (7, Outcome.SENT_BACK, "NIB salah")
    assert opened == StepVisit(step_no=target, started_at=at(1))
    assert after.step_no == target
    assert after.status is Status.IN_PROGRESS


@pytest.mark.parametrize("target", [None, 0, 1, 2, 3, 7, 8, 9, 99, -1])
def test_send_back_to_an_invalid_target_is_refused(sop: Sop, target: int | None) -> None:
    """Only earlier, non-applicant steps: not the applicant's, not itself, not forward."""
    state = drive_to(sop, 7)
    refusal = refused(
        act(sop, state, Action.SEND_BACK, KASI, target=target, reason="x"),
        "send_back.bad_target",
    )
    assert refusal.message == "Berkas hanya dapat dikembalikan ke langkah sebelumnya: 4, 5, 6."


def test_signing_step_may_send_back(sop: Sop) -> None:
    state = drive_to(sop, 9)
    after = ok(act(sop, state, Action.SEND_BACK, KADIS, target=8, reason="Perbaiki draft"))
    assert after.step_no == 8


def test_inspection_step_may_send_back(sop76: Sop) -> None:
    state = drive_to(sop76, 8)
    assert ok(act(sop76, state, Action.SEND_BACK, TEKNIS, target=7, reason="x")).step_no == 7


@pytest.mark.parametrize("step_no", [1, 4, 5, 6])
def test_counter_steps_cannot_send_back(sop: Sop, step_no: int) -> None:
    state = drive_to(sop, step_no)
    refusal = refused(
        act(sop, state, Action.SEND_BACK, FO, target=1, reason="x"), "step.not_deciding"
    )
    assert refusal.message == (
        f"Langkah {step_no} bukan langkah verifikasi; "
        "berkas tidak dapat dikembalikan atau ditolak di sini."
    )


def test_send_back_by_another_role_is_refused(sop: Sop) -> None:
    state = drive_to(sop, 8)
    refused(act(sop, state, Action.SEND_BACK, KASI, target=7, reason="x"), "role.not_step_actor")


def _step(no: int, actor: Actor, kind: StepKind, recorded_by: Actor | None = None) -> Step:
    return Step(
        no=no,
        seed_no=None,
        activity=f"Langkah {no}",
        actor=actor,
        kind=kind,
        requirement="",
        time=TimeStandard(1, TimeUnit.HOUR),
        output="",
        recorded_by=recorded_by,
    )


def _tiny_sop() -> Sop:
    """Applicant step, then a review, then signing: nowhere for the review to send back."""
    base = reklame_sop()
    steps = (
        _step(1, Actor.PEMOHON, StepKind.APPLICANT, recorded_by=Actor.FRONT_OFFICE),
        _step(2, Actor.KASI_PERIZINAN, StepKind.REVIEW),
        _step(3, Actor.KEPALA_DINAS, StepKind.SIGNING),
    )
    return replace(base, number=998, steps=steps, permit=PermitSpec("Izin Uji", "UJI", Validity()))


def test_send_back_with_no_valid_target_says_so() -> None:
    sop = _tiny_sop()
    state = drive_to(sop, 2)
    refusal = refused(
        act(sop, state, Action.SEND_BACK, KASI, target=1, reason="x"), "send_back.bad_target"
    )
    assert refusal.message == "Berkas hanya dapat dikembalikan ke langkah sebelumnya: -."


# -- reject --------------------------------------------------------------------------------


@pytest.mark.parametrize(("step_no", "who"), [(7, KASI), (8, KABID), (9, KADIS)])
def test_deciding_steps_may_reject(sop: Sop, step_no: int, who: Acting) -> None:
    state = drive_to(sop, step_no)
    after = ok(act(sop, state, Action.REJECT, who, reason="Lokasi di jalur hijau"))
    assert after.status is Status.REJECTED
    assert after.status.is_final
    assert after.visits[-1].outcome is Outcome.REJECTED
    assert after.visits[-1].reason == "Lokasi di jalur hijau"
    assert after.step_no == step_no


def test_inspection_may_reject() -> None:
    sop = reklame_sop()
    state = drive_to(sop, 3)
    assert ok(act(sop, state, Action.REJECT, TEKNIS, reason="x")).status is Status.REJECTED


@pytest.mark.parametrize("step_no", [1, 2, 4, 5, 6])
def test_counter_steps_cannot_reject(sop: Sop, step_no: int) -> None:
    state = drive_to(sop, step_no)
    refused(act(sop, state, Action.REJECT, FO, reason="x"), "step.not_deciding")


def test_reject_by_another_role_is_refused(sop: Sop) -> None:
    refused(act(sop, drive_to(sop, 7), Action.REJECT, KABID, reason="x"), "role.not_step_actor")


def test_reject_needs_a_dossier_in_progress(sop: Sop) -> None:
    refused(act(sop, returned(sop), Action.REJECT, FO, reason="x"), "dossier.wrong_status")


# -- sign ------------------------------------------------------------------------------------


def test_signing_issues_the_permit(sop: Sop) -> None:
    state = drive_to(sop, 9, now=at(0))
    after = ok(act(sop, state, Action.SIGN, KADIS, minutes=60))
    assert after.status is Status.ISSUED
    assert not after.status.is_final
    assert after.step_no == 9
    assert after.visits[-1].outcome is Outcome.SIGNED
    assert after.visits[-1].finished_at == at(60)
    assert not any(v.open for v in after.visits)


@pytest.mark.parametrize(("step_no", "who"), [(4, FO), (7, KASI), (8, KABID)])
def test_sign_only_at_the_signing_step(sop: Sop, step_no: int, who: Acting) -> None:
    state = drive_to(sop, step_no)
    refusal = refused(act(sop, state, Action.SIGN, who), "step.not_signing")
    assert refusal.message == "Izin hanya ditandatangani pada langkah penetapan (langkah 9)."


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.KEPALA_DINAS])
def test_only_the_signer_signs(sop: Sop, role: Role) -> None:
    refused(act(sop, drive_to(sop, 9), Action.SIGN, acting(role)), "role.not_step_actor")


def test_signing_needs_the_signing_steps_required_fields(sop: Sop) -> None:
    """Signing completes the last step: its required fields are asked for like any other."""
    field = StepField("no_izin", "Nomor izin", required=True)
    signing = replace(sop.last_step, fields=(field,))
    changed = replace(sop, steps=(*sop.steps[:-1], signing))
    state = drive_to(changed, 9)
    refusal = refused(act(changed, state, Action.SIGN, KADIS), "step.fields_missing")
    assert refusal.message == "Isian wajib belum diisi: Nomor izin."
    data = (("no_izin", "503/068/DPMPTSP-TK/2025"),)
    after = ok(act(changed, state, Action.SIGN, KADIS, data=data))
    assert after.status is Status.ISSUED
    assert after.visits[-1].data == data


# -- hand over -----------------------------------------------------------------------------------


def test_front_office_hands_over_an_issued_permit(sop: Sop) -> None:
    state = issued(sop)
    after = ok(act(sop, state, Action.HAND_OVER, FO))
    assert after.status is Status.HANDED_OVER
    assert after.visits == state.visits
    assert after.version == state.version + 1


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.FRONT_OFFICE])
def test_only_front_office_hands_over(sop: Sop, role: Role) -> None:
    refusal = refused(
        act(sop, issued(sop), Action.HAND_OVER, acting(role)), "role.not_front_office"
    )
    assert refusal.message == "Izin diserahkan oleh petugas Front Office."


def test_nothing_to_hand_over_before_issue(sop: Sop) -> None:
    refused(act(sop, drive_to(sop, 9), Action.HAND_OVER, FO), "dossier.wrong_status")
    refused(act(sop, returned(sop), Action.HAND_OVER, FO), "dossier.wrong_status")


# -- cancel --------------------------------------------------------------------------------------


@pytest.mark.parametrize("canceller", sorted(CANCELLERS))
def test_cancel_in_progress_closes_the_open_visit(sop: Sop, canceller: Role) -> None:
    """The open visit ends CANCELLED, in the canceller's name, even at another's step."""
    state = drive_to(sop, 7)
    after = ok(act(sop, state, Action.CANCEL, acting(canceller), reason="Pemohon mundur"))
    assert after.status is Status.CANCELLED
    last = after.visits[-1]
    assert (last.step_no, last.outcome, last.role) == (7, Outcome.CANCELLED, canceller.value)
    assert last.reason == "Pemohon mundur"
    assert len(after.visits) == len(state.visits)


@pytest.mark.parametrize("canceller", sorted(CANCELLERS))
def test_cancel_returned_files_keeps_the_visits(sop: Sop, canceller: Role) -> None:
    state = returned(sop)
    after = ok(act(sop, state, Action.CANCEL, acting(canceller), reason="Tidak kembali"))
    assert after.status is Status.CANCELLED
    assert after.visits == state.visits


def test_cancellers_are_front_office_and_admin() -> None:
    assert frozenset({Role.FRONT_OFFICE, Role.ADMIN}) == CANCELLERS


@pytest.mark.parametrize("role", [r for r in Role if r not in CANCELLERS])
def test_other_roles_cannot_cancel(sop: Sop, role: Role) -> None:
    refusal = refused(
        act(sop, drive_to(sop, 7), Action.CANCEL, acting(role), reason="x"), "role.cannot_cancel"
    )
    assert refusal.message == "Pembatalan berkas dilakukan oleh Front Office atau Admin."


def test_an_issued_permit_cannot_be_cancelled(sop: Sop) -> None:
    refusal = refused(
        act(sop, issued(sop), Action.CANCEL, ADMIN, reason="x"), "dossier.wrong_status"
    )
    assert "Izin terbit" in refusal.message


# -- clocks --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "step_no", "action", "who", "target"),
    [
        (68, 2, Action.COMPLETE_STEP, FO, None),
        (68, 2, Action.SKIP_STEP, FO, None),
        (68, 4, Action.RETURN_FILES, FO, None),
        (68, 7, Action.SEND_BACK, KASI, 4),
        (68, 7, Action.REJECT, KASI, None),
        (68, 9, Action.SIGN, KADIS, None),
        (68, 7, Action.CANCEL, ADMIN, None),
    ],
)
def test_a_clock_running_backwards_never_ends_a_visit_before_it_began(
    number: int, step_no: int, action: Action, who: Acting, target: int | None
) -> None:
    sop = real_catalog().get(number)
    state = drive_to(sop, step_no, now=at(600))
    after = ok(act(sop, state, action, who, minutes=-600, target=target, reason="x"))
    closed = after.visits[len(state.visits) - 1]
    assert closed.finished_at == at(600)
    for visit in after.visits:
        assert visit.finished_at is None or visit.finished_at >= visit.started_at
    if after.current_visit.open:
        assert after.current_visit.started_at == at(600)


def test_resume_never_opens_a_visit_before_the_previous_one_closed(sop: Sop) -> None:
    """A counter PC whose clock is behind must not make the history go back in time."""
    state = ok(
        act(sop, drive_to(sop, 4, now=at(600)), Action.RETURN_FILES, FO, minutes=600, reason="x")
    )
    after = ok(act(sop, state, Action.RESUME, FO, minutes=0))
    previous_end = after.visits[-2].finished_at
    assert previous_end is not None
    assert after.visits[-1].started_at == previous_end == at(600)


def test_resume_with_a_clock_ahead_starts_at_now(sop: Sop) -> None:
    state = returned(sop, 4)
    after = ok(act(sop, state, Action.RESUME, FO, minutes=900))
    assert after.visits[-1].started_at == at(900)


@pytest.mark.parametrize("number", [68, 76, 999])
def test_every_sop_runs_to_issue_by_its_own_roles(number: int) -> None:
    """Completing each step by its acting role, then signing, issues the permit."""
    sop = reklame_sop() if number == 999 else real_catalog().get(number)
    state = issued(sop)
    assert [v.step_no for v in state.visits] == [s.no for s in sop.steps]
    assert [v.outcome for v in state.visits] == [Outcome.COMPLETED] * (len(sop.steps) - 1) + [
        Outcome.SIGNED
    ]
    assert state.version == len(sop.steps) + 1
