"""The IKM score of Permenpan RB 14/2017 and the survey at handover."""

from __future__ import annotations

import pytest

from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.errors import InvalidInput, WorkflowRefused
from loket.services.survey import element_names, ikm
from loket.services.users import User
from tests.services.support import FakeClock, issue, register


def test_nine_elements() -> None:
    assert len(element_names()) == 9
    assert element_names()[0] == "Persyaratan"


@pytest.mark.parametrize(
    ("answers", "converted", "grade"),
    [
        ([[4] * 9], 100.0, "A"),
        ([[1] * 9], 25.0, "D"),
        ([[3] * 9], 75.0, "C"),
        ([[3] * 9, [4] * 9], 87.5, "B"),
        ([[4] * 8 + [3]], 97.22, "A"),
        # 2.6 exactly (65.00) is C; just under is D.
        ([[3] * 9, [3] * 9, [3] * 9, [2] * 9, [2] * 9], 65.0, "C"),
    ],
)
def test_ikm_follows_the_regulation(answers: list[list[int]], converted: float, grade: str) -> None:
    sums = [sum(a[i] for a in answers) for i in range(9)]
    score = ikm(len(answers), sums)
    assert score.converted == converted
    assert score.grade == grade
    assert score.index == pytest.approx(converted / 25, abs=0.001)


def test_grade_boundaries() -> None:
    # 76.60 is still C, 76.61 is B (index 3.0644); 88.30 B, 88.31 A.
    assert ikm(10000, [30640] * 9).grade == "C"
    assert ikm(10000, [30645] * 9).grade == "B"
    assert ikm(10000, [35320] * 9).grade == "B"
    assert ikm(10000, [35325] * 9).grade == "A"
    assert ikm(0, [0] * 9).grade == ""


def test_answered_once_at_handover(loket: Loket, staff: dict[Role, User], clock: FakeClock) -> None:
    counter = staff[Role.FRONT_OFFICE]
    view = register(loket, staff, 68)
    survey = loket.back_office.survey
    with pytest.raises(WorkflowRefused):
        survey.answer(counter, view.record.number, [4] * 9)
    issue(loket, staff, view)
    with pytest.raises(InvalidInput):
        survey.answer(counter, view.record.number, [5] * 9)
    with pytest.raises(InvalidInput):
        survey.answer(counter, view.record.number, [4] * 8)
    survey.answer(counter, view.record.number, [3, 4, 3, 4, 3, 4, 3, 4, 3], "Cepat")
    with pytest.raises(WorkflowRefused):
        survey.answer(counter, view.record.number, [4] * 9)
    scores = survey.score(counter, clock.now.replace(hour=0), clock.now.replace(hour=23))
    assert scores[68].respondents == 1
    assert scores[None].element_means[1] == 4.0
