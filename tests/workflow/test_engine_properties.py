"""Whatever anyone clicks, in any order, the engine keeps the SOP's rules.

Hypothesis draws sequences of (action, role, target, reason, fields, clock)
moves over both real SOPs and the made-up SOP 999 and checks, after every
move, that:

(a) no sequence skips a mandatory step: an issued dossier has every mandatory
    step completed, and its history is one walk through the steps in order,
    going back only by send-backs;
(b) a role never acts outside its step: every closed visit was closed by the
    step's acting role, except a cancellation (Front Office or Admin, at
    whatever step the dossier was);
(c) a Transition raises the state version by exactly 1 and only appends to
    the history; a Refusal leaves the state as it was;
(d) final statuses are absorbing;
(e) the current step only goes back through SEND_BACK, and only forward one
    step at a time by completing or skipping;
and that, whatever the clocks of the PCs say, no visit ends before it began
and none begins before the previous one ended.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta

from hypothesis import event, given, settings
from hypothesis import strategies as st

from loket.domain.dossier import DossierState, Outcome, Status
from loket.domain.roles import Role
from loket.domain.sop import DECIDING_KINDS, RETURNABLE_KINDS, Sop, StepKind
from loket.workflow.engine import (
    CANCELLERS,
    Action,
    Command,
    Refusal,
    Result,
    Transition,
    advance,
    start,
)
from tests.workflow.support import T0, acting, all_sops, filled, role_of

#: By number, so that a failing example names the SOP instead of printing it whole.
SOPS = {sop.number: sop for sop in all_sops()}

REASONS = ["", "   ", "x" * 2001, *["Berkas tidak lengkap"] * 5]


def _weighted(weights: dict[Action, int]) -> list[Action]:
    return [action for action, weight in weights.items() for _ in range(weight)]


#: Every action, weighted so that random runs often get all the way to ISSUED.
BROAD = _weighted(
    {
        Action.COMPLETE_STEP: 12,
        Action.SKIP_STEP: 2,
        Action.RETURN_FILES: 2,
        Action.RESUME: 2,
        Action.SEND_BACK: 2,
        Action.REJECT: 1,
        Action.SIGN: 4,
        Action.HAND_OVER: 2,
        Action.CANCEL: 1,
    }
)
#: Back and forth: many send-backs, returns and resumes, no cancelling.
BACK_AND_FORTH = _weighted(
    {
        Action.COMPLETE_STEP: 6,
        Action.SKIP_STEP: 2,
        Action.RETURN_FILES: 3,
        Action.RESUME: 3,
        Action.SEND_BACK: 4,
        Action.SIGN: 2,
        Action.HAND_OVER: 1,
    }
)

STEP_ACTIONS = frozenset(Action) - {Action.HAND_OVER, Action.CANCEL}
FORWARD = {Outcome.COMPLETED, Outcome.SKIPPED}
LAST_OUTCOMES = {Outcome.REJECTED, Outcome.SIGNED, Outcome.CANCELLED}
LAST_OUTCOME_BY_STATUS: dict[Status, set[Outcome | None]] = {
    Status.IN_PROGRESS: {None},
    Status.RETURNED: {Outcome.RETURNED},
    Status.REJECTED: {Outcome.REJECTED},
    Status.CANCELLED: {Outcome.CANCELLED, Outcome.RETURNED},
    Status.ISSUED: {Outcome.SIGNED},
    Status.HANDED_OVER: {Outcome.SIGNED},
}


@dataclass(frozen=True, slots=True)
class Move:
    action: Action
    role: Role | None  # None: the role of the dossier's current step
    target: int | None
    reason: str
    fill: bool  # enter every field of the current step
    minutes: int  # clock change since the previous move (negative: a PC behind)


def moves(actions: list[Action], wrong_role_odds: int) -> st.SearchStrategy[Move]:
    """Moves by the current step's role, or by any role once in ``wrong_role_odds``."""
    return st.builds(
        Move,
        action=st.sampled_from(actions),
        role=st.one_of(*[st.none()] * (wrong_role_odds - 1), st.sampled_from(list(Role))),
        # Mostly early steps: the valid targets, and the applicant steps that are not.
        target=st.one_of(st.none(), st.integers(0, 5), st.integers(-1, 12)),
        reason=st.sampled_from(REASONS),
        fill=st.booleans() | st.just(True),
        minutes=st.integers(min_value=-120, max_value=600),
    )


def check_state(sop: Sop, state: DossierState) -> None:
    visits = state.visits
    assert visits, "a dossier always has a visit"
    assert visits[0].step_no == sop.first_step.no
    assert state.current_visit.step_no == state.step_no
    assert all(not v.open for v in visits[:-1]), "only the last visit may be open"
    assert state.current_visit.open is (state.status is Status.IN_PROGRESS)

    for visit in visits:
        assert visit.finished_at is None or visit.finished_at >= visit.started_at
        if visit.open:
            continue
        step = sop.step(visit.step_no)
        # (b) the visit was closed by the step's own role, or by a canceller.
        if visit.outcome is Outcome.CANCELLED:
            assert visit.role in {r.value for r in CANCELLERS}
        else:
            assert visit.role == step.acting_role.value, (visit, step.acting_role)
        assert visit.user_id == f"user-{visit.role}"
        # Each outcome only where the step's kind allows it.
        if visit.outcome is Outcome.SKIPPED:
            assert step.optional
        if visit.outcome is Outcome.COMPLETED:
            assert step.kind is not StepKind.SIGNING
            assert all(dict(visit.data).get(f.key) for f in step.fields if f.required)
        if visit.outcome is Outcome.SIGNED:
            assert step is sop.last_step
        if visit.outcome is Outcome.RETURNED:
            assert step.kind in RETURNABLE_KINDS
        if visit.outcome in {Outcome.SENT_BACK, Outcome.REJECTED}:
            assert step.kind in DECIDING_KINDS
        if visit.outcome in {Outcome.RETURNED, Outcome.SENT_BACK, Outcome.REJECTED}:
            assert visit.reason

    # (a) the history is one walk through the steps, and never goes back in time.
    for visit, following in itertools.pairwise(visits):
        assert visit.finished_at is not None and following.started_at >= visit.finished_at
        assert visit.outcome not in LAST_OUTCOMES, "nothing follows a signature or a rejection"
        if visit.outcome in FORWARD:
            next_step = sop.next_step(visit.step_no)
            assert next_step is not None and following.step_no == next_step.no
        elif visit.outcome is Outcome.SENT_BACK:
            assert following.step_no < visit.step_no
            assert sop.step(following.step_no).kind is not StepKind.APPLICANT
        else:
            assert visit.outcome is Outcome.RETURNED
            assert following.step_no == visit.step_no

    # The status says how the last visit ended.
    assert state.current_visit.outcome in LAST_OUTCOME_BY_STATUS[state.status]

    if state.status in {Status.ISSUED, Status.HANDED_OVER}:
        check_issued(sop, state)


def check_issued(sop: Sop, state: DossierState) -> None:
    """(a) An issued permit went through every mandatory step, the last pass in order."""
    assert state.step_no == sop.last_step.no
    for step in sop.steps:
        done = {v.outcome for v in state.visits if v.step_no == step.no}
        if step is sop.last_step:
            assert Outcome.SIGNED in done
        elif not step.optional:
            assert Outcome.COMPLETED in done, f"mandatory step {step.no} never completed"
    sent_back = [i for i, v in enumerate(state.visits) if v.outcome is Outcome.SENT_BACK]
    start_at = sent_back[-1] + 1 if sent_back else 0
    current_pass = [v for v in state.visits[start_at:] if v.outcome is not Outcome.RETURNED]
    first = current_pass[0].step_no
    assert [v.step_no for v in current_pass] == [s.no for s in sop.steps if s.no >= first]
    *passed, signed = current_pass
    assert signed.outcome is Outcome.SIGNED
    for visit in passed:
        optional = sop.step(visit.step_no).optional
        assert visit.outcome is Outcome.COMPLETED or (optional and visit.outcome is Outcome.SKIPPED)


def check_result(
    sop: Sop, before: DossierState, command: Command, role: Role, result: Result
) -> None:
    if before.status.is_final:
        # (d) final statuses are absorbing.
        assert isinstance(result, Refusal)
        assert result.code == "dossier.final"
    if isinstance(result, Refusal):
        assert result.code and result.message.strip()
        return
    # (c) one version per transition; the history is only appended to.
    assert result.before is before
    assert result.command is command
    after = result.after
    assert after.version == before.version + 1
    assert after.visits[: len(before.visits) - 1] == before.visits[:-1]
    if not before.current_visit.open:
        assert after.visits[: len(before.visits)] == before.visits

    # (b) who may do what.
    step = sop.step(before.step_no)
    if command.action in STEP_ACTIONS:
        assert role.acts_as(step.acting_role)
    elif command.action is Action.HAND_OVER:
        assert role is Role.FRONT_OFFICE
        assert before.status is Status.ISSUED
        assert after.visits == before.visits
    else:
        assert role in CANCELLERS

    # (e) the step only goes back by a send-back, and forward one step at a time.
    if after.step_no < before.step_no:
        assert command.action is Action.SEND_BACK
    if command.action is Action.SEND_BACK:
        assert after.step_no < before.step_no
    if after.step_no > before.step_no:
        assert command.action in {Action.COMPLETE_STEP, Action.SKIP_STEP}
        next_step = sop.next_step(before.step_no)
        assert next_step is not None and after.step_no == next_step.no
    if command.action in {Action.COMPLETE_STEP, Action.SKIP_STEP}:
        assert after.step_no > before.step_no


def run(number: int, script: list[Move]) -> None:
    """Play ``script`` on a new dossier of SOP ``number``, checking after every move."""
    sop = SOPS[number]
    state = start(sop, actor=acting(Role.FRONT_OFFICE), now=T0)
    check_state(sop, state)
    now = T0
    for move in script:
        now += timedelta(minutes=move.minutes)
        step = sop.step(state.step_no)
        role = move.role or role_of(step)
        command = Command(
            move.action,
            target_step=move.target,
            reason=move.reason,
            data=filled(step) if move.fill else (),
        )
        result = advance(sop, state, command, actor=acting(role), now=now)
        check_result(sop, state, command, role, result)
        if isinstance(result, Transition):
            state = result.after
        check_state(sop, state)
    event(f"{sop.key}: {state.status.value}")


NUMBERS = st.sampled_from(sorted(SOPS))


@settings(max_examples=200, deadline=None)
@given(number=NUMBERS, script=st.lists(moves(BROAD, 3), min_size=30, max_size=100))
def test_no_sequence_of_actions_breaks_the_rules(number: int, script: list[Move]) -> None:
    run(number, script)


@settings(max_examples=120, deadline=None)
@given(number=NUMBERS, script=st.lists(moves(BACK_AND_FORTH, 6), min_size=30, max_size=80))
def test_sending_back_and_forth_keeps_the_rules(number: int, script: list[Move]) -> None:
    """Send-backs, returns and resumes, mostly by the right roles: the subtle paths."""
    run(number, script)
