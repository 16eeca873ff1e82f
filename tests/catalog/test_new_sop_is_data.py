"""A new SOP is a file, not code: SOP 999 (made up) loads and runs unchanged.

``tests/data/sop-999.toml`` has a structure neither real SOP has: no receipt
or entry step, a field inspection by the Tim Teknis with required findings, an
optional Back Office step, and a Sekretariat *paraf* review before the Kepala
Dinas signs. Nothing in ``loket`` knows about it.
"""

from __future__ import annotations

from loket.catalog import Catalog, default_sop_dirs
from loket.domain.dossier import Outcome, Status
from loket.domain.roles import Role
from loket.domain.sop import Actor, StepKind
from loket.workflow.engine import Action, Command, advance, start
from tests.workflow.support import (
    TEST_SOP_PATH,
    acting,
    at,
    filled,
    ok,
    refused,
    reklame_sop,
)


def test_the_test_sop_loads_next_to_the_real_ones() -> None:
    catalog = Catalog.from_dirs([*default_sop_dirs(), TEST_SOP_PATH.parent])
    assert {68, 76, 999} <= set(catalog.numbers())
    sop = catalog.get(999)
    assert sop.name == "Izin Reklame"
    assert sop.permit.validity.years == 1


def test_the_test_sop_has_its_own_step_structure() -> None:
    sop = reklame_sop()
    assert [s.kind for s in sop.steps] == [
        StepKind.APPLICANT,
        StepKind.INTAKE,
        StepKind.INSPECTION,
        StepKind.REVIEW,
        StepKind.REVIEW,
        StepKind.SIGNING,
    ]
    assert [s.acting_role for s in sop.steps] == [
        Actor.FRONT_OFFICE,
        Actor.FRONT_OFFICE,
        Actor.TIM_TEKNIS,
        Actor.BACK_OFFICE,
        Actor.SEKRETARIAT,
        Actor.KEPALA_DINAS,
    ]
    assert sop.step(4).optional
    assert [f.key for f in sop.step(3).fields if f.required] == ["tanggal_pemeriksaan", "luas_m2"]


def test_a_dossier_runs_through_the_test_sop_to_issued_and_handed_over() -> None:
    """Every role of the SOP does its own step, in order; the permit is issued."""
    sop = reklame_sop()
    fo, teknis = acting(Role.FRONT_OFFICE), acting(Role.TIM_TEKNIS)
    state = start(sop, actor=fo, now=at(0))

    state = ok(advance(sop, state, Command(Action.COMPLETE_STEP), actor=fo, now=at(5)))
    refused(
        advance(sop, state, Command(Action.COMPLETE_STEP), actor=fo, now=at(6)),
        "step.fields_missing",
    )
    lokasi = (("lokasi", "Jl. Pemuda, Ngabang"),)
    state = ok(
        advance(sop, state, Command(Action.COMPLETE_STEP, data=lokasi), actor=fo, now=at(10))
    )

    refused(
        advance(sop, state, Command(Action.COMPLETE_STEP), actor=teknis, now=at(60)),
        "step.fields_missing",
    )
    findings = Command(Action.COMPLETE_STEP, data=filled(sop.step(3)))
    state = ok(advance(sop, state, findings, actor=teknis, now=at(480)))

    state = ok(
        advance(sop, state, Command(Action.SKIP_STEP), actor=acting(Role.BACK_OFFICE), now=at(490))
    )
    paraf = Command(Action.COMPLETE_STEP, reason="diparaf")
    state = ok(advance(sop, state, paraf, actor=acting(Role.SEKRETARIAT), now=at(600)))
    state = ok(
        advance(sop, state, Command(Action.SIGN), actor=acting(Role.KEPALA_DINAS), now=at(900))
    )
    assert state.status is Status.ISSUED
    assert [(v.step_no, v.outcome, v.role) for v in state.visits] == [
        (1, Outcome.COMPLETED, "front_office"),
        (2, Outcome.COMPLETED, "front_office"),
        (3, Outcome.COMPLETED, "tim_teknis"),
        (4, Outcome.SKIPPED, "back_office"),
        (5, Outcome.COMPLETED, "sekretariat"),
        (6, Outcome.SIGNED, "kepala_dinas"),
    ]
    assert dict(state.visits[2].data)["luas_m2"] == "12"

    state = ok(advance(sop, state, Command(Action.HAND_OVER), actor=fo, now=at(960)))
    assert state.status is Status.HANDED_OVER
    assert state.version == 8


def test_the_inspection_step_may_send_back_to_intake() -> None:
    """The Tim Teknis may send the dossier back to the counter, with a reason."""
    sop = reklame_sop()
    fo = acting(Role.FRONT_OFFICE)
    state = start(sop, actor=fo, now=at(0))
    state = ok(advance(sop, state, Command(Action.COMPLETE_STEP), actor=fo, now=at(1)))
    data = filled(sop.step(2))
    state = ok(advance(sop, state, Command(Action.COMPLETE_STEP, data=data), actor=fo, now=at(2)))
    back = Command(Action.SEND_BACK, target_step=2, reason="Lokasi tidak sesuai denah")
    state = ok(advance(sop, state, back, actor=acting(Role.TIM_TEKNIS), now=at(3)))
    assert state.step_no == 2
    assert state.visits[-2].outcome is Outcome.SENT_BACK
    assert state.visits[-2].reason == "Lokasi tidak sesuai denah"
