"""Helpers of the back-office tests: walking a dossier step by step, claiming each step."""

from __future__ import annotations

from sqlalchemy import text

from loket.domain.dossier import Status
from loket.domain.roles import Role
from loket.domain.sop import StepKind
from loket.services.context import Loket
from loket.services.dossiers import DossierView
from loket.services.users import User
from loket.workflow import Action, Command
from tests.services.support import FakeClock, register, role_of, step_data


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


ALL_FOURS = [4] * 9


def issue_and_hand_over(
    loket: Loket, staff: dict[Role, User], clock: FakeClock, sop_number: int
) -> str:
    """Register, move through every role's step, hand over and answer the survey."""
    view = register(loket, staff, sop_number)
    steps = [s.no for s in view.sop.steps]
    while view.record.state.status is Status.IN_PROGRESS:
        view = claim_and_forward(loket, staff, view, clock)
    assert view.record.state.status is Status.ISSUED
    assert [v.step_no for v in view.record.state.visits] == steps
    counter = staff[Role.FRONT_OFFICE]
    record = loket.back_office.steps.hand_over(
        counter, view.record.number, "Yohanes Dadi", "6108011203850001"
    )
    assert record.receiver_name == "Yohanes Dadi"
    loket.back_office.survey.answer(counter, view.record.number, ALL_FOURS)
    assert (
        loket.dossiers.show(counter, view.record.number).record.state.status is Status.HANDED_OVER
    )
    return view.record.number


def rebuild_from_scratch(loket: Loket) -> None:
    """As a database measured before migration 0004: results, but no daily sums."""
    with loket.database.engine.begin() as connection:
        connection.execute(text("DELETE FROM step_days"))
