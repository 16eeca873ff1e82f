"""Roles of Loket's users and what each may ever do.

The matrix here is coarse (may a Kasi ever send a dossier back?); whether a
role may act on *this* dossier now is the workflow engine's question, decided
by the SOP step the dossier is at. Both must say yes.
"""

from __future__ import annotations

import enum

from loket.domain.i18n import _
from loket.domain.sop import DECIDING_KINDS, RETURNABLE_KINDS, Actor, Step, StepKind


class Role(enum.StrEnum):
    FRONT_OFFICE = "front_office"
    BACK_OFFICE = "back_office"
    TIM_TEKNIS = "tim_teknis"
    KASI_PERIZINAN = "kasi_perizinan"
    KABID_PERIZINAN = "kabid_perizinan"
    SEKRETARIAT = "sekretariat"
    KEPALA_DINAS = "kepala_dinas"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]()

    def acts_as(self, actor: Actor) -> bool:
        return self.value == actor.value


ROLE_LABELS = {
    Role.FRONT_OFFICE: lambda: _("Front Office"),
    Role.BACK_OFFICE: lambda: _("Back Office"),
    Role.TIM_TEKNIS: lambda: _("Tim Teknis"),
    Role.KASI_PERIZINAN: lambda: _("Kasi Perizinan"),
    Role.KABID_PERIZINAN: lambda: _("Kabid Perizinan"),
    Role.SEKRETARIAT: lambda: _("Sekretariat"),
    Role.KEPALA_DINAS: lambda: _("Kepala Dinas"),
    Role.ADMIN: lambda: _("Admin"),
}


class Permission(enum.StrEnum):
    VIEW_DOSSIERS = "view_dossiers"
    REGISTER_DOSSIER = "register_dossier"
    COMPLETE_STEP = "complete_step"
    SKIP_STEP = "skip_step"
    RETURN_FILES = "return_files"
    RESUME = "resume"
    SEND_BACK = "send_back"
    REJECT = "reject"
    SIGN = "sign"
    HAND_OVER = "hand_over"
    CANCEL = "cancel"
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"
    VERIFY_AUDIT = "verify_audit"


# Skipping is for optional steps of one's own (e.g. the Sekretariat's initial where the
# office has none); the engine still refuses a mandatory step.
_DECIDERS = frozenset(
    {
        Permission.VIEW_DOSSIERS,
        Permission.COMPLETE_STEP,
        Permission.SKIP_STEP,
        Permission.SEND_BACK,
        Permission.REJECT,
    }
)

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.FRONT_OFFICE: frozenset(
        {
            Permission.VIEW_DOSSIERS,
            Permission.REGISTER_DOSSIER,
            Permission.COMPLETE_STEP,
            Permission.SKIP_STEP,
            Permission.RETURN_FILES,
            Permission.RESUME,
            Permission.HAND_OVER,
            Permission.CANCEL,
        }
    ),
    Role.BACK_OFFICE: _DECIDERS,
    Role.TIM_TEKNIS: _DECIDERS,
    Role.KASI_PERIZINAN: _DECIDERS,
    Role.KABID_PERIZINAN: _DECIDERS,
    Role.SEKRETARIAT: _DECIDERS,
    Role.KEPALA_DINAS: _DECIDERS | {Permission.SIGN},
    Role.ADMIN: frozenset(
        {
            Permission.VIEW_DOSSIERS,
            Permission.CANCEL,
            Permission.MANAGE_USERS,
            Permission.MANAGE_SETTINGS,
            Permission.VERIFY_AUDIT,
        }
    ),
}


def may(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[role]


def needed_at(step: Step) -> frozenset[Permission]:
    """What the role acting at ``step`` must hold for every action the step offers.

    The SOP loader checks each step against it, so an SOP file cannot name a role
    that could never move its step on (a signing step for a Kasi, say).
    """
    needed = {Permission.SIGN if step.kind is StepKind.SIGNING else Permission.COMPLETE_STEP}
    if step.kind in RETURNABLE_KINDS:
        needed.add(Permission.RETURN_FILES)
    if step.kind in DECIDING_KINDS:
        needed |= {Permission.SEND_BACK, Permission.REJECT}
    if step.optional:
        needed.add(Permission.SKIP_STEP)
    return frozenset(needed)


def missing_at(step: Step) -> frozenset[Permission]:
    """What the role that acts at ``step`` lacks; empty when the step can always move."""
    actor = step.acting_role
    if actor is Actor.PEMOHON:
        return needed_at(step)
    return needed_at(step) - GRANTS[Role(actor.value)]
