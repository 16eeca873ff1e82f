"""Helpers of the back-office tests: walking a dossier step by step, claiming each step."""

from __future__ import annotations

from loket.domain.roles import Role
from loket.domain.sop import StepKind
from loket.services.context import Loket
from loket.services.dossiers import DossierView
from loket.services.users import User
from loket.workflow import Action, Command
from tests.services.support import FakeClock, role_of, step_data


def claim_and_forward(
    loket: Loket, staff: dict[Role, User], view: DossierView, clock: FakeClock, minutes: int = 5
) -> DossierView:
    """The step's own role claims the dossier, works ``minutes`` and moves it on."""
    step = view.sop.step(view.record.state.step_no)
    user = staff[role_of(step)]
    office = loket.back_office
    office.claims.claim(user, view.record.number)
    clock.advance(minutes=minutes)
    action = Action.SIGN if step.kind is StepKind.SIGNING else Action.COMPLETE_STEP
    return office.steps.act(user, view.record.number, Command(action, data=step_data(step)))


def walk_to(
    loket: Loket, staff: dict[Role, User], view: DossierView, clock: FakeClock, step_no: int
) -> DossierView:
    while view.record.state.step_no != step_no:
        view = claim_and_forward(loket, staff, view, clock)
    return view
