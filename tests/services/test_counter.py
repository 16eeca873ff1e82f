"""Which counter steps count as done: the rule the intake wizard asks, tested without Qt."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from loket.domain.dossier import Outcome, Status
from loket.domain.roles import Role
from loket.domain.sop import Sop
from loket.services.context import Loket
from loket.services.counter import (
    RecordedStep,
    counter_steps,
    missing_files,
    references,
    step_done,
    walked_steps,
)
from loket.services.dossiers import WalkedStep
from loket.services.users import User
from loket.workflow import Action
from tests.services.support import T0, FakeClock, every_requirement, register

COMPLETE, SKIP = Action.COMPLETE_STEP, Action.SKIP_STEP
SICANTIK_NO = "SC-2026-000777"
SICANTIK_USER = (("sicantik_username", "yohanes.dadi"),)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_the_counter_steps_are_the_applicants_steps_then_the_intake(loket: Loket) -> None:
    for number in (68, 76):
        sop = loket.catalog.get(number)
        steps = counter_steps(sop)
        assert [s.no for s in steps.before] == [1, 2, 3]
        assert steps.intake is not None
        assert steps.intake.no == 4


def test_an_sop_that_starts_in_the_back_office_has_no_counter_intake(loket: Loket) -> None:
    sop = loket.catalog.get(68)
    back_office_first = replace(sop, steps=sop.steps[4:])
    steps = counter_steps(back_office_first)
    assert steps.before == ()
    assert steps.intake is None


def test_a_required_step_is_done_once_walked_an_optional_one_only_when_ticked(
    loket: Loket,
) -> None:
    sop = loket.catalog.get(68)
    required, optional = sop.step(1), sop.step(2)
    assert not required.optional and optional.optional
    assert step_done(required, ticked=False)
    assert step_done(required, ticked=True)
    assert not step_done(optional, ticked=False)
    assert step_done(optional, ticked=True)


def _recorded() -> dict[int, RecordedStep]:
    return {
        1: RecordedStep(1, finished_at=at(4)),
        2: RecordedStep(2, ticked=True, data=SICANTIK_USER, finished_at=at(5)),
        3: RecordedStep(3, ticked=False, finished_at=at(6)),
        4: RecordedStep(4, data=(("sicantik_no", SICANTIK_NO),), finished_at=at(9)),
    }


def test_complete_files_walk_every_counter_step_with_its_own_time(loket: Loket) -> None:
    sop = loket.catalog.get(68)
    walked = walked_steps(sop, _recorded(), files_complete=True, now=at(20))
    assert walked == (
        WalkedStep(1, COMPLETE, at(4)),
        WalkedStep(2, COMPLETE, at(5), SICANTIK_USER),
        WalkedStep(3, SKIP, at(6)),
        # The intake step ends now, when the dossier is registered.
        WalkedStep(4, COMPLETE, at(20), (("sicantik_no", SICANTIK_NO),)),
    )


def test_incomplete_files_leave_the_intake_step_unwalked(loket: Loket) -> None:
    sop = loket.catalog.get(68)
    walked = walked_steps(sop, _recorded(), files_complete=False, now=at(20))
    assert [(w.step_no, w.action) for w in walked] == [(1, COMPLETE), (2, COMPLETE), (3, SKIP)]


def test_an_unticked_optional_step_is_skipped_without_what_was_typed(loket: Loket) -> None:
    sop = loket.catalog.get(68)
    recorded = {2: RecordedStep(2, ticked=False, data=SICANTIK_USER, finished_at=at(5))}
    walked = walked_steps(sop, recorded, files_complete=True, now=at(20))
    assert walked[1] == WalkedStep(2, SKIP, at(5))


def test_steps_never_recorded_end_now_and_only_optional_ones_are_skipped(loket: Loket) -> None:
    sop = loket.catalog.get(76)
    walked = walked_steps(sop, {}, files_complete=True, now=at(20))
    assert walked == (
        WalkedStep(1, COMPLETE, at(20)),
        WalkedStep(2, SKIP, at(20)),
        WalkedStep(3, SKIP, at(20)),
        WalkedStep(4, COMPLETE, at(20)),
    )


def test_references_keep_what_was_typed_on_any_step() -> None:
    typed = references(_recorded())
    assert typed == {"sicantik_username": "yohanes.dadi", "sicantik_no": SICANTIK_NO}


def test_missing_files_are_the_required_ones_not_received(loket: Loket) -> None:
    sop = loket.catalog.get(68)
    requirements = sop.requirements
    everything = every_requirement(loket, 68)
    assert missing_files(requirements, everything) == ()
    optional = [r.key for r in requirements if not r.mandatory]
    assert optional, "SOP 68 has optional requirements"
    assert missing_files(requirements, everything - set(optional)) == ()
    missing = missing_files(requirements, everything - {"formulir"})
    assert [r.key for r in missing] == ["formulir"]


def _register(loket: Loket, staff: dict[Role, User], sop: Sop, *, complete: bool) -> Status:
    received = every_requirement(loket, sop.number) - (set() if complete else {"formulir"})
    walked = walked_steps(sop, _recorded(), files_complete=complete, now=at(20))
    view = register(loket, staff, sop.number, received=received, started_at=T0, walked=walked)
    outcomes = [v.outcome for v in view.record.state.visits[:3]]
    assert outcomes == [Outcome.COMPLETED, Outcome.COMPLETED, Outcome.SKIPPED]
    return view.record.state.status


def test_the_walked_steps_register_as_the_rule_says(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    clock.set(at(30))
    sop = loket.catalog.get(68)
    assert _register(loket, staff, sop, complete=True) is Status.IN_PROGRESS
    assert _register(loket, staff, sop, complete=False) is Status.RETURNED
