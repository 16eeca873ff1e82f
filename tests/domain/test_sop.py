"""The SOP domain objects: time standards, steps, requirements, navigation, JSON."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError, replace

import pytest

from loket.domain.sop import (
    DECIDING_KINDS,
    RETURNABLE_KINDS,
    Actor,
    ApplicantKind,
    FieldType,
    Requirement,
    Sop,
    Step,
    StepField,
    StepKind,
    TimeStandard,
    TimeUnit,
    Validity,
)
from tests.workflow.support import real_catalog, reklame_sop


@pytest.fixture(scope="module")
def sop68() -> Sop:
    return real_catalog().get(68)


@pytest.mark.parametrize("amount", [0, -1])
def test_time_standard_must_be_positive(amount: int) -> None:
    with pytest.raises(ValueError, match="positive"):
        TimeStandard(amount, TimeUnit.MINUTE)


def test_time_standard_json() -> None:
    assert TimeStandard(30, TimeUnit.MINUTE).to_json() == {"amount": 30, "unit": "minute"}


def test_returnable_and_deciding_kinds_are_disjoint_and_leave_out_the_applicant() -> None:
    assert frozenset({StepKind.INTAKE, StepKind.RECEIPT, StepKind.ENTRY}) == RETURNABLE_KINDS
    assert frozenset({StepKind.REVIEW, StepKind.INSPECTION, StepKind.SIGNING}) == DECIDING_KINDS
    assert not RETURNABLE_KINDS & DECIDING_KINDS
    assert frozenset(StepKind) - {StepKind.APPLICANT} == RETURNABLE_KINDS | DECIDING_KINDS


def test_acting_role_is_the_recorder_or_else_the_actor(sop68: Sop) -> None:
    assert sop68.step(1).actor is Actor.PEMOHON
    assert sop68.step(1).acting_role is Actor.FRONT_OFFICE
    assert sop68.step(7).recorded_by is None
    assert sop68.step(7).acting_role is Actor.KASI_PERIZINAN


def test_step_json_names_the_acting_role(sop68: Sop) -> None:
    data = sop68.step(2).to_json()
    assert data["actor"] == "pemohon"
    assert data["recorded_by"] == "front_office"
    assert data["optional"] is True
    assert data["fields"] == [
        {
            "key": "sicantik_username",
            "label": "Username SICANTIK",
            "type": "text",
            "required": False,
        }
    ]
    assert data["inferred_parts"] == ["actor", "recorded_by", "optional"]
    assert data["time"] == {"amount": 5, "unit": "minute"}


def test_steps_are_frozen(sop68: Sop) -> None:
    with pytest.raises(FrozenInstanceError):
        sop68.step(1).no = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("applies_to", "individual", "company"),
    [
        (None, True, True),
        (ApplicantKind.COMPANY, False, True),
        (ApplicantKind.INDIVIDUAL, True, False),
    ],
)
def test_requirement_applies_to(
    applies_to: ApplicantKind | None, individual: bool, company: bool
) -> None:
    item = Requirement("akta", "Akta", mandatory=True, applies_to=applies_to)
    assert item.applies(ApplicantKind.INDIVIDUAL) is individual
    assert item.applies(ApplicantKind.COMPANY) is company


def test_requirements_for_leaves_out_company_papers_for_individuals(sop68: Sop) -> None:
    individual = [r.key for r in sop68.requirements_for(ApplicantKind.INDIVIDUAL)]
    company = [r.key for r in sop68.requirements_for(ApplicantKind.COMPANY)]
    assert "akta" not in individual
    assert company == [r.key for r in sop68.requirements]
    assert individual == [k for k in company if k != "akta"]


def test_validity_json() -> None:
    assert Validity(years=5, inferred=True).to_json() == {
        "years": 5,
        "reregistration_years": None,
        "inferred": True,
    }


def test_navigation(sop68: Sop) -> None:
    assert sop68.key == "SOP68"
    assert sop68.first_step.no == 1
    assert sop68.last_step.no == 9
    assert sop68.step(5).seed_no == 3
    next_step = sop68.next_step(8)
    assert next_step is not None and next_step.no == 9
    assert sop68.next_step(9) is None


def test_unknown_step_number_is_a_key_error(sop68: Sop) -> None:
    with pytest.raises(KeyError):
        sop68.step(10)


def test_step_index_follows_replaced_steps(sop68: Sop) -> None:
    """A Sop rebuilt with other steps indexes the new steps, not the old ones."""
    shorter = replace(sop68, steps=sop68.steps[:1])
    assert shorter.next_step(1) is None
    with pytest.raises(KeyError):
        shorter.step(2)


def test_sop_equality_ignores_the_index(sop68: Sop) -> None:
    assert replace(sop68) == sop68


def test_sop_json_is_plain_json(sop68: Sop) -> None:
    data = sop68.to_json()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["number"] == 68
    assert data["dates"] == {"created": "", "revised": "", "effective": ""}
    assert data["service_time"] == {"amount": 5, "unit": "day"}
    assert data["permit"] == {
        "title": "Izin Usaha Perbengkelan",
        "code": "IUP-BKL",
        "validity": {"years": None, "reregistration_years": None, "inferred": True},
        "inferred": True,
    }
    requirements = {r["key"]: r for r in data["requirements"]}  # type: ignore[attr-defined]
    assert requirements["akta"]["applies_to"] == "company"
    assert requirements["ktp"]["applies_to"] is None
    assert len(data["steps"]) == 9  # type: ignore[arg-type]


def test_field_defaults() -> None:
    field = StepField("no", "Nomor")
    assert (field.type, field.required, field.help) == (FieldType.TEXT, False, "")


def test_step_defaults() -> None:
    step = Step(
        no=1,
        seed_no=None,
        activity="Kegiatan",
        actor=Actor.BACK_OFFICE,
        kind=StepKind.REVIEW,
        requirement="",
        time=TimeStandard(1, TimeUnit.HOUR),
        output="",
    )
    assert not step.optional and not step.inferred
    assert step.fields == () and step.inferred_parts == ()
    assert step.acting_role is Actor.BACK_OFFICE


def test_the_test_sop_json_keeps_field_types() -> None:
    fields = reklame_sop().step(3).to_json()["fields"]
    assert [f["type"] for f in fields] == ["date", "number", "check"]  # type: ignore[attr-defined]
