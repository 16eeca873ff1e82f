"""The counter's part of an SOP: which steps the clerk walks, and which of them count as done.

The guided intake records what the clerk saw at the desk (an optional step ticked or
not, a step's own fields, when each page was left); this module turns that record into
the walked steps of :class:`~loket.services.dossiers.Intake`. The rule lives here, not
in the desktop, so the same intake gives the same dossier from any front end.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from loket.domain.sop import Requirement, Sop, Step, StepKind
from loket.services.dossiers import WalkedStep
from loket.workflow import Action

__all__ = [
    "CounterSteps",
    "RecordedStep",
    "counter_steps",
    "missing_files",
    "references",
    "step_done",
    "walked_steps",
]


@dataclass(frozen=True, slots=True)
class CounterSteps:
    """The applicant's own steps before the intake step, and the intake step itself."""

    before: tuple[Step, ...]
    intake: Step | None


def counter_steps(sop: Sop) -> CounterSteps:
    """The steps walked at the desk: the applicant's steps up to the first intake step.

    A step of any other kind before the intake step ends the walk (the SOP then has no
    counter intake, ``intake`` is None).
    """
    before: list[Step] = []
    for step in sop.steps:
        if step.kind is StepKind.INTAKE:
            return CounterSteps(tuple(before), step)
        if step.kind is not StepKind.APPLICANT:
            break
        before.append(step)
    return CounterSteps(tuple(before), None)


@dataclass(frozen=True, slots=True)
class RecordedStep:
    """What the clerk recorded on one step's page.

    ``ticked`` is the optional step's "done" box (a required step ignores it);
    ``finished_at`` is when the clerk left the page (None: not left yet).
    """

    step_no: int
    ticked: bool = False
    data: tuple[tuple[str, str], ...] = ()
    finished_at: datetime | None = None


def step_done(step: Step, *, ticked: bool) -> bool:
    """A required applicant step is done once walked; an optional one only when ticked."""
    return not step.optional or ticked


def missing_files(
    requirements: Sequence[Requirement], received: Collection[str]
) -> tuple[Requirement, ...]:
    """The required files not received: while any is missing the intake step is not done."""
    return tuple(r for r in requirements if r.mandatory and r.key not in received)


def walked_steps(
    sop: Sop,
    recorded: Mapping[int, RecordedStep],
    *,
    files_complete: bool,
    now: datetime,
) -> tuple[WalkedStep, ...]:
    """The counter steps as the dossier records them, in SOP order.

    Each applicant step is completed (with its data) or skipped, at the time its page
    was left. The intake step is completed only when every required file was received:
    otherwise it is not walked at all, and registration returns the files to the
    applicant from that step.
    """
    steps = counter_steps(sop)
    walked: list[WalkedStep] = []
    for step in steps.before:
        record = recorded.get(step.no, RecordedStep(step.no))
        finished = record.finished_at or now
        if step_done(step, ticked=record.ticked):
            walked.append(WalkedStep(step.no, Action.COMPLETE_STEP, finished, record.data))
        else:
            walked.append(WalkedStep(step.no, Action.SKIP_STEP, finished))
    if steps.intake is not None and files_complete:
        record = recorded.get(steps.intake.no, RecordedStep(steps.intake.no))
        walked.append(WalkedStep(steps.intake.no, Action.COMPLETE_STEP, now, record.data))
    return tuple(walked)


def references(recorded: Mapping[int, RecordedStep]) -> dict[str, str]:
    """Everything typed on the counter steps, by key (a later step's value wins).

    The SICANTIK and OSS numbers are taken from here even when the intake step is not
    walked (files incomplete), so a returned dossier still carries them.
    """
    found: dict[str, str] = {}
    for step_no in sorted(recorded):
        found.update(recorded[step_no].data)
    return found
