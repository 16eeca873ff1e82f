"""The coarse permission matrix of the roles, and their Indonesian labels.

The expected table is written out in full: changing who may do what must be a
deliberate edit of this test, never a side effect.
"""

from __future__ import annotations

import pytest

from loket.domain.roles import GRANTS, ROLE_LABELS, Permission, Role, may
from loket.domain.sop import Actor

P = Permission

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
    Role.BACK_OFFICE: frozenset({P.VIEW_DOSSIERS, P.COMPLETE_STEP, P.SEND_BACK, P.REJECT}),
    Role.TIM_TEKNIS: frozenset({P.VIEW_DOSSIERS, P.COMPLETE_STEP, P.SEND_BACK, P.REJECT}),
    Role.KASI_PERIZINAN: frozenset({P.VIEW_DOSSIERS, P.COMPLETE_STEP, P.SEND_BACK, P.REJECT}),
    Role.KABID_PERIZINAN: frozenset({P.VIEW_DOSSIERS, P.COMPLETE_STEP, P.SEND_BACK, P.REJECT}),
    Role.SEKRETARIAT: frozenset({P.VIEW_DOSSIERS, P.COMPLETE_STEP, P.SEND_BACK, P.REJECT}),
    Role.KEPALA_DINAS: frozenset({P.VIEW_DOSSIERS, P.COMPLETE_STEP, P.SEND_BACK, P.REJECT, P.SIGN}),
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
