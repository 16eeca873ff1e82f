"""Every role against every workflow action, at the service level.

For each action there are dossiers standing where the action is legal for the
right role; every other role must be refused (PermissionDenied when the role may
never do it, WorkflowRefused when the step belongs to someone else) and nothing
may be written, while the right role succeeds with one audit and one outbox entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from loket.domain.dossier import Status
from loket.domain.roles import Permission, Role, may
from loket.services.context import Loket
from loket.services.dossiers import DossierView
from loket.services.errors import PermissionDenied, WorkflowRefused
from loket.services.users import SYSTEM, User
from loket.workflow import Action, Command
from tests.services.support import (
    FIELD_VALUES,
    PASSWORD,
    FakeClock,
    counts,
    drive,
    issue,
    make_staff,
    open_copy,
    register,
)

FO = Role.FRONT_OFFICE
REASON = "Alasan yang dicatat"
INSPECTION = tuple((k, FIELD_VALUES[k]) for k in ("tanggal_pemeriksaan", "rekomendasi"))


@dataclass(frozen=True)
class Scenario:
    """A dossier of ``sop`` standing at ``step`` (in ``status``), and one command on it."""

    name: str
    sop: int
    step: int
    command: Command
    right: frozenset[Role]
    status: Status = Status.IN_PROGRESS
    expected: Status = field(default=Status.IN_PROGRESS)


SCENARIOS = (
    Scenario("complete-applicant-step", 68, 1, Command(Action.COMPLETE_STEP), frozenset({FO})),
    Scenario("complete-intake", 68, 4, Command(Action.COMPLETE_STEP), frozenset({FO})),
    Scenario("complete-entry", 76, 6, Command(Action.COMPLETE_STEP), frozenset({FO})),
    Scenario(
        "complete-back-office-check",
        76,
        7,
        Command(Action.COMPLETE_STEP),
        frozenset({Role.BACK_OFFICE}),
    ),
    Scenario(
        "complete-inspection",
        76,
        8,
        Command(Action.COMPLETE_STEP, data=INSPECTION),
        frozenset({Role.TIM_TEKNIS}),
    ),
    Scenario(
        "complete-kasi-review",
        68,
        7,
        Command(Action.COMPLETE_STEP),
        frozenset({Role.KASI_PERIZINAN}),
    ),
    Scenario(
        "complete-kabid-review",
        68,
        8,
        Command(Action.COMPLETE_STEP),
        frozenset({Role.KABID_PERIZINAN}),
    ),
    Scenario("skip-optional-step", 68, 2, Command(Action.SKIP_STEP), frozenset({FO})),
    Scenario(
        "return-files",
        68,
        4,
        Command(Action.RETURN_FILES, reason=REASON),
        frozenset({FO}),
        expected=Status.RETURNED,
    ),
    Scenario(
        "resume",
        68,
        4,
        Command(Action.RESUME),
        frozenset({FO}),
        status=Status.RETURNED,
    ),
    Scenario(
        "send-back-by-kasi",
        68,
        7,
        Command(Action.SEND_BACK, target_step=6, reason=REASON),
        frozenset({Role.KASI_PERIZINAN}),
    ),
    Scenario(
        "send-back-by-tim-teknis",
        76,
        8,
        Command(Action.SEND_BACK, target_step=7, reason=REASON),
        frozenset({Role.TIM_TEKNIS}),
    ),
    Scenario(
        "reject-by-tim-teknis",
        76,
        8,
        Command(Action.REJECT, reason=REASON),
        frozenset({Role.TIM_TEKNIS}),
        expected=Status.REJECTED,
    ),
    Scenario(
        "reject-by-kabid",
        68,
        8,
        Command(Action.REJECT, reason=REASON),
        frozenset({Role.KABID_PERIZINAN}),
        expected=Status.REJECTED,
    ),
    Scenario(
        "sign",
        68,
        9,
        Command(Action.SIGN),
        frozenset({Role.KEPALA_DINAS}),
        expected=Status.ISSUED,
    ),
    Scenario(
        "hand-over",
        76,
        11,
        Command(Action.HAND_OVER),
        frozenset({FO}),
        status=Status.ISSUED,
        expected=Status.HANDED_OVER,
    ),
    Scenario(
        "cancel-in-progress",
        68,
        7,
        Command(Action.CANCEL, reason=REASON),
        frozenset({FO, Role.ADMIN}),
        expected=Status.CANCELLED,
    ),
    Scenario(
        "cancel-returned",
        68,
        4,
        Command(Action.CANCEL, reason=REASON),
        frozenset({FO, Role.ADMIN}),
        status=Status.RETURNED,
        expected=Status.CANCELLED,
    ),
)


def test_every_action_has_a_scenario() -> None:
    assert {s.command.action for s in SCENARIOS} == set(Action)


def _prepare(loket: Loket, staff: dict[Role, User], scenario: Scenario) -> DossierView:
    view = register(loket, staff, scenario.sop)
    if scenario.status is Status.ISSUED:
        view = issue(loket, staff, view)
    else:
        view = drive(loket, staff, view, scenario.step)
    if scenario.status is Status.RETURNED:
        view = loket.dossiers.act(
            staff[FO], view.record.number, Command(Action.RETURN_FILES, reason=REASON)
        )
    assert (view.record.state.step_no, view.record.state.status) == (
        scenario.step,
        scenario.status,
    )
    return view


@dataclass
class Office:
    """One Loket shared by the matrix, and the dossier prepared for each scenario.

    A refusal writes nothing (each test checks it), so the wrong roles of a scenario
    all try the same prepared dossier; the right roles each get a fresh one.
    """

    loket: Loket
    staff: dict[Role, User]
    prepared: dict[str, DossierView]

    def dossier(self, scenario: Scenario, *, fresh: bool) -> DossierView:
        if fresh:
            return _prepare(self.loket, self.staff, scenario)
        if scenario.name not in self.prepared:
            self.prepared[scenario.name] = _prepare(self.loket, self.staff, scenario)
        return self.prepared[scenario.name]


@pytest.fixture(scope="module")
def office(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    loket = open_copy(template_db, tmp_path_factory.mktemp("matrix"), FakeClock())
    yield Office(loket, make_staff(loket), {})
    loket.close()


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_only_the_right_role_may_act(office: Office, scenario: Scenario, role: Role) -> None:
    loket, user = office.loket, office.staff[role]
    view = office.dossier(scenario, fresh=role in scenario.right)
    number, before = view.record.number, counts(loket)
    if role in scenario.right:
        after = loket.dossiers.act(user, number, scenario.command)
        assert after.record.state.status is scenario.expected
        assert after.record.state.version == view.record.state.version + 1
        written = counts(loket)
        assert (written.audit, written.outbox) == (before.audit + 1, before.outbox + 1)
        trail = loket.dossiers.audit_trail(user, number)
        assert trail[-1]["action"] == scenario.command.action.value
        assert trail[-1]["user"] == role.value
        return
    permission = Permission(scenario.command.action.value)
    expected = WorkflowRefused if may(role, permission) else PermissionDenied
    with pytest.raises(expected) as refused:
        loket.dossiers.act(user, number, scenario.command)
    assert str(refused.value).strip()
    assert counts(loket) == before
    assert loket.dossiers.show(user, number).record == view.record


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_only_the_front_office_registers(loket: Loket, staff: dict[Role, User], role: Role) -> None:
    before = counts(loket)
    if role is FO:
        view = register(loket, {FO: staff[role]})
        assert view.record.created_by == staff[FO].id
        return
    with pytest.raises(PermissionDenied, match="tidak berwenang"):
        register(loket, {FO: staff[role]})
    assert counts(loket) == before


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_only_an_admin_adds_users(loket: Loket, staff: dict[Role, User], role: Role) -> None:
    before = counts(loket)

    def add() -> User:
        return loket.users.add_user(
            staff[role],
            username="pegawai.baru",
            full_name="Pegawai Baru",
            role=Role.BACK_OFFICE,
            password=PASSWORD,
        )

    if role is Role.ADMIN:
        assert add().username == "pegawai.baru"
        assert counts(loket).users == before.users + 1
        return
    with pytest.raises(PermissionDenied):
        add()
    with pytest.raises(PermissionDenied):
        loket.users.users(staff[role])
    assert counts(loket) == before


def test_the_command_line_adds_users(loket: Loket) -> None:
    user = loket.users.add_user(
        SYSTEM, username="it.kantor", full_name="IT Kantor", role=Role.ADMIN, password=PASSWORD
    )
    listed = loket.users.users(SYSTEM)
    assert user in listed
    assert [u.username for u in listed] == sorted(u.username for u in listed)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_only_an_admin_verifies_the_audit_chain(
    loket: Loket, staff: dict[Role, User], role: Role
) -> None:
    if role is Role.ADMIN:
        report = loket.audit.verify(staff[role])
        assert report.ok
        assert report.checked == len(Role)  # one entry per user added
        return
    with pytest.raises(PermissionDenied):
        loket.audit.verify(staff[role])


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_everyone_may_search_and_read(loket: Loket, staff: dict[Role, User], role: Role) -> None:
    number = register(loket, staff).record.number
    user = staff[role]
    assert [s.number for s in loket.dossiers.search(user)] == [number]
    assert loket.dossiers.show(user, number).record.number == number
    assert [e["action"] for e in loket.dossiers.audit_trail(user, number)] == ["register"]


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_only_the_front_office_looks_up_returning_applicants(
    loket: Loket, staff: dict[Role, User], role: Role
) -> None:
    register(loket, staff)
    if role is FO:
        assert [a.name for _id, a in loket.dossiers.find_applicants(staff[role], "yoh")] == [
            "Yohanes Dadi"
        ]
        return
    with pytest.raises(PermissionDenied):
        loket.dossiers.find_applicants(staff[role], "yoh")
