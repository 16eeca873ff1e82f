"""The workflow engine: what an action does to a dossier, or why it may not.

Pure: no I/O and no clock reads. The acting user and the time are passed in,
so the same rules run on a counter PC, in the sync server and in tests, and
Hypothesis can drive every sequence of actions through them.

Forward only: a dossier leaves its current step by completing it (or skipping
it, when the SOP marks it optional); the one way back is an explicit send-back
with a reason, from a step that decides.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from loket.domain.dossier import DossierState, Outcome, Status, StepVisit
from loket.domain.i18n import _
from loket.domain.roles import Role
from loket.domain.sop import DECIDING_KINDS, RETURNABLE_KINDS, Sop, Step, StepKind

MAX_REASON_CHARS = 2000


class Action(enum.StrEnum):
    COMPLETE_STEP = "complete_step"
    SKIP_STEP = "skip_step"
    RETURN_FILES = "return_files"
    RESUME = "resume"
    SEND_BACK = "send_back"
    REJECT = "reject"
    SIGN = "sign"
    HAND_OVER = "hand_over"
    CANCEL = "cancel"


REASON_REQUIRED = frozenset({Action.RETURN_FILES, Action.SEND_BACK, Action.REJECT, Action.CANCEL})


@dataclass(frozen=True, slots=True)
class Acting:
    """Who acts: the user's id and the role they act in."""

    user_id: str
    role: Role


@dataclass(frozen=True, slots=True)
class Command:
    action: Action
    target_step: int | None = None  # send-back only
    reason: str = ""
    data: tuple[tuple[str, str], ...] = ()  # the step's fields, as entered


@dataclass(frozen=True, slots=True)
class Transition:
    before: DossierState
    after: DossierState
    command: Command


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str
    message: str


Result = Transition | Refusal


def start(sop: Sop, *, actor: Acting, now: datetime) -> DossierState:
    """The state of a newly registered dossier: at the SOP's first step."""
    del actor  # who registered is recorded by the service; the state starts empty
    return DossierState(
        status=Status.IN_PROGRESS,
        step_no=sop.first_step.no,
        visits=(StepVisit(step_no=sop.first_step.no, started_at=now),),
    )


def advance(
    sop: Sop, state: DossierState, command: Command, *, actor: Acting, now: datetime
) -> Result:
    """Apply ``command`` by ``actor`` at ``now``; a Refusal says why not."""
    refusal = _precheck(state, command)
    if refusal is not None:
        return refusal
    handler = _HANDLERS[command.action]
    return handler(sop, state, command, actor, now)


def _precheck(state: DossierState, command: Command) -> Refusal | None:
    if state.status.is_final:
        return Refusal(
            "dossier.final",
            _("Berkas sudah selesai ({status}); tidak ada tindakan lagi.").format(
                status=state.status.label
            ),
        )
    reason = command.reason.strip()
    if command.action in REASON_REQUIRED and not reason:
        return Refusal("reason.required", _("Alasan wajib diisi untuk tindakan ini."))
    if len(command.reason) > MAX_REASON_CHARS:
        return Refusal(
            "reason.too_long",
            _("Alasan terlalu panjang (paling banyak {limit} karakter).").format(
                limit=MAX_REASON_CHARS
            ),
        )
    return None


def _not_your_step(step: Step, actor: Acting) -> Refusal | None:
    if actor.role.acts_as(step.acting_role):
        return None
    return Refusal(
        "role.not_step_actor",
        _("Langkah {no} ({activity}) dikerjakan oleh {role}, bukan {actor}.").format(
            no=step.no,
            activity=step.activity,
            role=Role(step.acting_role.value).label,
            actor=actor.role.label,
        ),
    )


def _require_status(state: DossierState, *allowed: Status) -> Refusal | None:
    if state.status in allowed:
        return None
    return Refusal(
        "dossier.wrong_status",
        _("Tindakan ini tidak dapat dilakukan pada berkas berstatus {status}.").format(
            status=state.status.label
        ),
    )


def _close(
    state: DossierState, outcome: Outcome, command: Command, actor: Acting, now: datetime
) -> StepVisit:
    visit = state.current_visit
    # Built whole rather than with dataclasses.replace, which costs three times as
    # much: every action of every dossier closes a visit.
    return StepVisit(
        step_no=visit.step_no,
        started_at=visit.started_at,
        # Clocks of different PCs disagree; a visit never ends before it began.
        finished_at=max(now, visit.started_at),
        user_id=actor.user_id,
        role=actor.role.value,
        outcome=outcome,
        reason=command.reason.strip(),
        data=command.data,
    )


def _active_step(sop: Sop, state: DossierState, actor: Acting) -> tuple[Step, Refusal | None]:
    step = sop.step(state.step_no)
    return step, _require_status(state, Status.IN_PROGRESS) or _not_your_step(step, actor)


def _move_on(
    sop: Sop,
    state: DossierState,
    command: Command,
    actor: Acting,
    now: datetime,
    outcome: Outcome,
) -> Transition:
    closed = _close(state, outcome, command, actor, now)
    following = sop.next_step(state.step_no)
    assert following is not None  # only the signing step is last, and it is left by SIGN
    opened = StepVisit(step_no=following.no, started_at=closed.finished_at or now)
    after = state.next(step_no=following.no, visits=(*state.with_last_visit(closed), opened))
    return Transition(state, after, command)


def _complete(
    sop: Sop, state: DossierState, command: Command, actor: Acting, now: datetime
) -> Result:
    step, refusal = _active_step(sop, state, actor)
    if refusal:
        return refusal
    if step.kind is StepKind.SIGNING:
        return Refusal(
            "step.needs_signing", _("Langkah penetapan diselesaikan dengan tanda tangan.")
        )
    refusal = _missing_fields(step, command)
    if refusal:
        return refusal
    return _move_on(sop, state, command, actor, now, Outcome.COMPLETED)


def _missing_fields(step: Step, command: Command) -> Refusal | None:
    data = dict(command.data)
    missing = [f.label for f in step.fields if f.required and not data.get(f.key, "").strip()]
    if not missing:
        return None
    return Refusal(
        "step.fields_missing",
        _("Isian wajib belum diisi: {fields}.").format(fields=", ".join(missing)),
    )


def _skip(sop: Sop, state: DossierState, command: Command, actor: Acting, now: datetime) -> Result:
    step, refusal = _active_step(sop, state, actor)
    if refusal:
        return refusal
    if not step.optional:
        return Refusal(
            "step.mandatory",
            _("Langkah {no} wajib dan tidak dapat dilewati.").format(no=step.no),
        )
    return _move_on(sop, state, command, actor, now, Outcome.SKIPPED)


def _return_files(
    sop: Sop, state: DossierState, command: Command, actor: Acting, now: datetime
) -> Result:
    step, refusal = _active_step(sop, state, actor)
    if refusal:
        return refusal
    if step.kind not in RETURNABLE_KINDS:
        return Refusal(
            "step.cannot_return",
            _("Berkas hanya dapat dikembalikan ke pemohon di loket (penerimaan dan entri data)."),
        )
    closed = _close(state, Outcome.RETURNED, command, actor, now)
    after = state.next(status=Status.RETURNED, visits=state.with_last_visit(closed))
    return Transition(state, after, command)


def _resume(
    sop: Sop, state: DossierState, command: Command, actor: Acting, now: datetime
) -> Result:
    refusal = _require_status(state, Status.RETURNED) or _not_your_step(
        sop.step(state.step_no), actor
    )
    if refusal:
        return refusal
    # As in _close: a slow clock must not open a visit before the last one ended.
    last_end = state.current_visit.finished_at or state.current_visit.started_at
    opened = StepVisit(step_no=state.step_no, started_at=max(now, last_end))
    after = state.next(status=Status.IN_PROGRESS, visits=(*state.visits, opened))
    return Transition(state, after, command)


def _deciding_step(sop: Sop, state: DossierState, actor: Acting) -> tuple[Step, Refusal | None]:
    step, refusal = _active_step(sop, state, actor)
    if refusal is None and step.kind not in DECIDING_KINDS:
        refusal = Refusal(
            "step.not_deciding",
            _(
                "Langkah {no} bukan langkah verifikasi; "
                "berkas tidak dapat dikembalikan atau ditolak di sini."
            ).format(no=step.no),
        )
    return step, refusal


def _send_back(
    sop: Sop, state: DossierState, command: Command, actor: Acting, now: datetime
) -> Result:
    step, refusal = _deciding_step(sop, state, actor)
    if refusal:
        return refusal
    target = command.target_step
    valid_targets = sorted(s.no for s in sop.send_back_targets(step.no))
    if target not in valid_targets:
        return Refusal(
            "send_back.bad_target",
            _("Berkas hanya dapat dikembalikan ke langkah sebelumnya: {steps}.").format(
                steps=", ".join(str(n) for n in valid_targets) or "-"
            ),
        )
    closed = _close(state, Outcome.SENT_BACK, command, actor, now)
    opened = StepVisit(step_no=target, started_at=closed.finished_at or now)
    after = state.next(step_no=target, visits=(*state.with_last_visit(closed), opened))
    return Transition(state, after, command)


def _reject(
    sop: Sop, state: DossierState, command: Command, actor: Acting, now: datetime
) -> Result:
    _step, refusal = _deciding_step(sop, state, actor)
    if refusal:
        return refusal
    closed = _close(state, Outcome.REJECTED, command, actor, now)
    after = state.next(status=Status.REJECTED, visits=state.with_last_visit(closed))
    return Transition(state, after, command)


def _sign(sop: Sop, state: DossierState, command: Command, actor: Acting, now: datetime) -> Result:
    step, refusal = _active_step(sop, state, actor)
    if refusal:
        return refusal
    if step.kind is not StepKind.SIGNING:
        return Refusal(
            "step.not_signing",
            _("Izin hanya ditandatangani pada langkah penetapan (langkah {no}).").format(
                no=sop.last_step.no
            ),
        )
    refusal = _missing_fields(step, command)
    if refusal:
        return refusal
    closed = _close(state, Outcome.SIGNED, command, actor, now)
    after = state.next(status=Status.ISSUED, visits=state.with_last_visit(closed))
    return Transition(state, after, command)


def _hand_over(
    sop: Sop, state: DossierState, command: Command, actor: Acting, now: datetime
) -> Result:
    del sop, now
    refusal = _require_status(state, Status.ISSUED)
    if refusal:
        return refusal
    if actor.role is not Role.FRONT_OFFICE:
        return Refusal("role.not_front_office", _("Izin diserahkan oleh petugas Front Office."))
    return Transition(state, state.next(status=Status.HANDED_OVER), command)


CANCELLERS = frozenset({Role.FRONT_OFFICE, Role.ADMIN})


def _cancel(
    sop: Sop, state: DossierState, command: Command, actor: Acting, now: datetime
) -> Result:
    del sop
    refusal = _require_status(state, Status.IN_PROGRESS, Status.RETURNED)
    if refusal:
        return refusal
    if actor.role not in CANCELLERS:
        return Refusal(
            "role.cannot_cancel", _("Pembatalan berkas dilakukan oleh Front Office atau Admin.")
        )
    visits = state.visits
    if state.current_visit.open:
        visits = state.with_last_visit(_close(state, Outcome.CANCELLED, command, actor, now))
    return Transition(state, state.next(status=Status.CANCELLED, visits=visits), command)


_HANDLERS = {
    Action.COMPLETE_STEP: _complete,
    Action.SKIP_STEP: _skip,
    Action.RETURN_FILES: _return_files,
    Action.RESUME: _resume,
    Action.SEND_BACK: _send_back,
    Action.REJECT: _reject,
    Action.SIGN: _sign,
    Action.HAND_OVER: _hand_over,
    Action.CANCEL: _cancel,
}
