"""The coarse permission matrix of the roles, and their Indonesian labels.

The expected table is written out in full: changing who may do what must be a
deliberate edit of this test, never a side effect.
"""

from __future__ import annotations

import pytest

from loket.domain.roles import GRANTS, ROLE_LABELS, Permission, Role, may, missing_at, needed_at
from loket.domain.sop import Actor, Step, StepKind, TimeStandard, TimeUnit

P = Permission

#: A back-office role works its own step: complete it, skip it where the SOP makes it
#: optional, send the dossier back or reject it.
DECIDE = frozenset({P.VIEW_DOSSIERS, P.COMPLETE_STEP, P.SKIP_STEP, P.SEND_BACK, P.REJECT})

#: Every role's grants, spelled out.
EXPECTED: dict[Role, frozenset[Permission]] = {
    Role.FRONT_OFFICE: frozenset(
        {
            P.VIEW_DOSSIERS,
            P.REGISTER_DOSSIER,
            P.COMPLETE_STEP,
            P.SKIP_STEP,
            P.RETURN_FILES,
            P.RESUME,
            P.HAND_OVER,
            P.CANCEL,
        }
    ),
    Role.BACK_OFFICE: DECIDE,
    Role.TIM_TEKNIS: DECIDE,
    Role.KASI_PERIZINAN: DECIDE,
    Role.KABID_PERIZINAN: DECIDE,
    Role.SEKRETARIAT: DECIDE,
    Role.KEPALA_DINAS: DECIDE | {P.SIGN},
    Role.ADMIN: frozenset(
        {P.VIEW_DOSSIERS, P.CANCEL, P.MANAGE_USERS, P.MANAGE_SETTINGS, P.VERIFY_AUDIT}
    ),
}

LABELS = {
    Role.FRONT_OFFICE: "Front Office",
    Role.BACK_OFFICE: "Back Office",
    Role.TIM_TEKNIS: "Tim Teknis",
    Role.KASI_PERIZINAN: "Kasi Perizinan",
    Role.KABID_PERIZINAN: "Kabid Perizinan",
    Role.SEKRETARIAT: "Sekretariat",
    Role.KEPALA_DINAS: "Kepala Dinas",
    Role.ADMIN: "Admin",
}


@pytest.mark.parametrize("permission", list(Permission))
@pytest.mark.parametrize("role", list(Role))
def test_permission_matrix(role: Role, permission: Permission) -> None:
    assert may(role, permission) is (permission in EXPECTED[role])


def test_the_matrix_covers_every_role_and_nothing_else() -> None:
    assert set(GRANTS) == set(Role)
    assert GRANTS == EXPECTED


def test_every_permission_is_granted_to_someone() -> None:
    granted = frozenset().union(*EXPECTED.values())
    assert granted == frozenset(Permission)


def test_only_the_head_of_office_signs() -> None:
    assert [r for r in Role if may(r, P.SIGN)] == [Role.KEPALA_DINAS]


def test_admin_does_not_work_dossiers() -> None:
    """The administrator manages the system; the office's steps are not theirs."""
    for permission in (P.COMPLETE_STEP, P.SKIP_STEP, P.SEND_BACK, P.REJECT, P.SIGN):
        assert not may(Role.ADMIN, permission)


@pytest.mark.parametrize("role", list(Role))
def test_role_labels_in_indonesian(role: Role) -> None:
    assert role.label == LABELS[role]


def test_every_role_has_a_label() -> None:
    assert set(ROLE_LABELS) == set(Role)


@pytest.mark.parametrize("actor", [a for a in Actor if a is not Actor.PEMOHON])
def test_every_office_actor_is_a_role_acting_as_itself(actor: Actor) -> None:
    role = Role(actor.value)
    assert role.acts_as(actor)
    assert [r for r in Role if r.acts_as(actor)] == [role]


def test_no_role_acts_as_the_applicant() -> None:
    """The applicant (*pemohon*) is recorded, never a user."""
    assert not any(role.acts_as(Actor.PEMOHON) for role in Role)


def test_admin_is_no_sop_actor() -> None:
    assert not any(Role.ADMIN.acts_as(actor) for actor in Actor)


def _step(
    kind: StepKind, actor: Actor, *, optional: bool = False, recorded_by: Actor | None = None
) -> Step:
    return Step(
        no=1,
        seed_no=None,
        activity="x",
        actor=actor,
        kind=kind,
        requirement="",
        time=TimeStandard(1, TimeUnit.DAY),
        output="",
        note="",
        label="",
        optional=optional,
        recorded_by=recorded_by,
    )


@pytest.mark.parametrize(
    ("kind", "optional", "needed"),
    [
        (StepKind.APPLICANT, False, {P.COMPLETE_STEP}),
        (StepKind.INTAKE, True, {P.COMPLETE_STEP, P.RETURN_FILES, P.SKIP_STEP}),
        (StepKind.REVIEW, False, {P.COMPLETE_STEP, P.SEND_BACK, P.REJECT}),
        (StepKind.SIGNING, False, {P.SIGN, P.SEND_BACK, P.REJECT}),
    ],
)
def test_what_a_step_needs_of_its_role(
    kind: StepKind, optional: bool, needed: set[Permission]
) -> None:
    assert needed_at(_step(kind, Actor.FRONT_OFFICE, optional=optional)) == needed


def test_a_role_lacking_a_needed_permission_is_named() -> None:
    assert missing_at(_step(StepKind.SIGNING, Actor.KASI_PERIZINAN)) == {P.SIGN}
    assert missing_at(_step(StepKind.SIGNING, Actor.KEPALA_DINAS)) == frozenset()
    assert missing_at(_step(StepKind.ENTRY, Actor.BACK_OFFICE)) == {P.RETURN_FILES}
    # The applicant acts through the clerk who records the step; alone, nobody can.
    recorded = _step(StepKind.APPLICANT, Actor.PEMOHON, recorded_by=Actor.FRONT_OFFICE)
    assert missing_at(recorded) == frozenset()
    assert missing_at(_step(StepKind.APPLICANT, Actor.PEMOHON)) == {P.COMPLETE_STEP}
