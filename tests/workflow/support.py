"""Shared helpers for the workflow and catalog tests: SOPs, actors, clocks, drives.

Not a test module (no ``test_`` prefix): imported by the tests that need it.
"""

from __future__ import annotations

import copy
import functools
import tomllib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from loket.catalog import Catalog, default_sop_dirs, load_sop_file
from loket.domain.dossier import DossierState, Status
from loket.domain.roles import Role
from loket.domain.sop import FieldType, Sop, Step, StepKind
from loket.workflow.engine import (
    Acting,
    Action,
    Command,
    Refusal,
    Result,
    Transition,
    advance,
    start,
)

REPO = Path(__file__).resolve().parents[2]
SOP_DIR = REPO / "data" / "sop"
SOP_068_PATH = SOP_DIR / "sop-068.toml"
SOP_076_PATH = SOP_DIR / "sop-076.toml"
TEST_SOP_PATH = REPO / "tests" / "data" / "sop-999.toml"

#: Kabupaten Landak keeps western Indonesian time; a Monday morning.
WIB = ZoneInfo("Asia/Pontianak")
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=WIB)


def at(minutes: int) -> datetime:
    """``minutes`` after :data:`T0` (negative: a clock running behind)."""
    return T0 + timedelta(minutes=minutes)


def acting(role: Role, user_id: str | None = None) -> Acting:
    return Acting(user_id or f"user-{role.value}", role)


@functools.cache
def real_catalog() -> Catalog:
    """Every SOP shipped in ``data/sop``."""
    return Catalog.from_dirs(default_sop_dirs())


@functools.cache
def reklame_sop() -> Sop:
    """The made-up SOP 999 of ``tests/data``."""
    return load_sop_file(TEST_SOP_PATH)


def all_sops() -> list[Sop]:
    """Both real SOPs and the test SOP, for tests that must hold for any SOP."""
    return [real_catalog().get(68), real_catalog().get(76), reklame_sop()]


def document(path: Path) -> dict[str, Any]:
    """A fresh, mutable copy of an SOP file's parsed TOML document."""
    return copy.deepcopy(_document(path))


@functools.cache
def _document(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


_SAMPLE = {
    FieldType.TEXT: "isi",
    FieldType.DATE: "2025-03-03",
    FieldType.NUMBER: "12",
    FieldType.CHECK: "ya",
}


def filled(step: Step) -> tuple[tuple[str, str], ...]:
    """A value for every field of ``step``, as a clerk would enter them."""
    return tuple((f.key, _SAMPLE[f.type]) for f in step.fields)


def role_of(step: Step) -> Role:
    """The user role that records ``step``."""
    return Role(step.acting_role.value)


def ok(result: Result) -> DossierState:
    """The state after a Transition; fails the test on a Refusal."""
    assert isinstance(result, Transition), result
    return result.after


def refused(result: Result, code: str) -> Refusal:
    """The Refusal with ``code``; fails the test on a Transition or another code."""
    assert isinstance(result, Refusal), result
    assert result.code == code, result
    assert result.message.strip()
    return result


def forward(sop: Sop, state: DossierState, now: datetime = T0) -> DossierState:
    """Leave the current step the ordinary way: complete it, or sign the last one."""
    step = sop.step(state.step_no)
    action = Action.SIGN if step.kind is StepKind.SIGNING else Action.COMPLETE_STEP
    command = Command(action, data=filled(step))
    return ok(advance(sop, state, command, actor=acting(role_of(step)), now=now))


def drive_to(sop: Sop, step_no: int, now: datetime = T0) -> DossierState:
    """A new dossier moved forward (completing every step) until it is at ``step_no``."""
    state = start(sop, actor=acting(Role.FRONT_OFFICE), now=now)
    while state.step_no != step_no:
        state = forward(sop, state, now)
    return state


def issued(sop: Sop, now: datetime = T0) -> DossierState:
    """A dossier driven through every step and signed."""
    state = forward(sop, drive_to(sop, sop.last_step.no, now), now)
    assert state.status is Status.ISSUED
    return state
