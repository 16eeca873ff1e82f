"""Service-standard clocks: what is overdue, and what the office does when a deadline lapses.

What happens on a lapse is office policy (setting ``clock_policy``): a warning to
the next role up, or escalation to the head of office. :meth:`ClockService.check`
notices every step whose deadline lapsed, once per visit, and addresses the
notice as the policy says; each role reads its own notices and acknowledges them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from loket.domain.calendar import ClockState
from loket.domain.i18n import _
from loket.domain.roles import Permission, Role
from loket.services.errors import InvalidInput, NotFoundError
from loket.services.users import SYSTEM, User, ensure_recorded, require, to_record
from loket.services.worklists import WorklistService, WorkRow
from loket.storage.ids import new_id
from loket.storage.store import NoticeRow, Storage

SETTING = "clock_policy"
MAX_LISTED = 10_000


class LapseAction(enum.StrEnum):
    WARN_NEXT_ROLE = "warn_next_role"  # a warning to the role above the step's
    ESCALATE = "escalate"  # escalated to the head of office


#: Who is above whom, by default (the office may change it in the policy).
NEXT_ROLE_UP: Mapping[Role, Role] = {
    Role.FRONT_OFFICE: Role.KASI_PERIZINAN,
    Role.BACK_OFFICE: Role.KASI_PERIZINAN,
    Role.TIM_TEKNIS: Role.KASI_PERIZINAN,
    Role.KASI_PERIZINAN: Role.KABID_PERIZINAN,
    Role.KABID_PERIZINAN: Role.KEPALA_DINAS,
    Role.SEKRETARIAT: Role.KEPALA_DINAS,
    Role.KEPALA_DINAS: Role.KEPALA_DINAS,
    Role.ADMIN: Role.KEPALA_DINAS,
}
HEAD_OF_OFFICE = Role.KEPALA_DINAS


@dataclass(frozen=True, slots=True)
class ClockPolicy:
    on_lapse: LapseAction = LapseAction.WARN_NEXT_ROLE
    next_role_up: Mapping[Role, Role] = field(default_factory=lambda: dict(NEXT_ROLE_UP))

    def notified(self, role: Role) -> Role:
        if self.on_lapse is LapseAction.ESCALATE:
            return HEAD_OF_OFFICE
        return self.next_role_up.get(role, HEAD_OF_OFFICE)

    def to_json(self) -> dict[str, Any]:
        return {
            "on_lapse": self.on_lapse.value,
            "next_role_up": {k.value: v.value for k, v in self.next_role_up.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> ClockPolicy:
        """A missing or damaged setting falls back to the default, named in the error."""
        if not data:
            return cls()
        try:
            chain = dict(NEXT_ROLE_UP)
            chain.update(
                {Role(k): Role(v) for k, v in dict(data.get("next_role_up") or {}).items()}
            )
            return cls(LapseAction(data.get("on_lapse", LapseAction.WARN_NEXT_ROLE)), chain)
        except (ValueError, TypeError, AttributeError) as exc:
            raise InvalidInput(
                _("Pengaturan {setting} tidak dapat dipakai: {error}").format(
                    setting=SETTING, error=exc
                )
            ) from exc


@dataclass(frozen=True, slots=True)
class Notice:
    id: str
    number: str
    step_no: int
    role: Role  # whose step lapsed
    notified_role: Role
    kind: LapseAction
    due_at: datetime
    created_at: datetime
    acknowledged: bool


def _notice(row: NoticeRow) -> Notice:
    return Notice(
        row.id,
        row.dossier_number,
        row.step_no,
        Role(row.role),
        Role(row.notified_role),
        LapseAction(row.kind),
        row.due_at,
        row.created_at,
        row.acknowledged_at is not None,
    )


class ClockService:
    def __init__(
        self, storage: Storage, worklists: WorklistService, clock: Callable[[], datetime]
    ) -> None:
        self._storage = storage
        self._worklists = worklists
        self._clock = clock

    def policy(self) -> ClockPolicy:
        with self._storage.reading() as store:
            return ClockPolicy.from_json(store.setting(SETTING))

    def set_policy(self, actor: User, policy: ClockPolicy) -> ClockPolicy:
        require(actor, Permission.MANAGE_SETTINGS)
        now = self._clock()
        with self._storage.writing() as store:
            before = store.setting(SETTING)
            ensure_recorded(store, actor, now)
            store.put_setting(SETTING, policy.to_json())
            store.audit(
                at=now,
                user=to_record(actor),
                action="clock_policy",
                entity="setting",
                entity_id=SETTING,
                before=before,
                after=policy.to_json(),
            )
        return policy

    def overdue(self, actor: User, role: Role | None = None) -> list[WorkRow]:
        """The overdue dossiers of a role's queue (the actor's own by default), latest first."""
        return self._worklists.rows(actor, role=role, state=ClockState.OVERDUE, limit=MAX_LISTED)

    def due_soon(self, actor: User, role: Role | None = None) -> list[WorkRow]:
        """Amber dossiers: three quarters of the standard used, deadline not yet passed."""
        return self._worklists.rows(actor, role=role, state=ClockState.WARNING, limit=MAX_LISTED)

    def overdue_by_role(self, actor: User) -> dict[Role, int]:
        return {role: c.overdue for role, c in self._worklists.counts(actor).items()}

    def check(self, actor: User = SYSTEM) -> list[Notice]:
        """Notice every lapsed step once, addressed as the policy says; the new notices."""
        require(actor, Permission.VIEW_DOSSIERS)
        policy = self.policy()
        now = self._clock()
        lapsed = [
            row
            for role, count in self._worklists.counts(actor).items()
            if count.overdue
            for row in self.overdue(actor, role)
        ]
        created: list[str] = []
        with self._storage.writing() as store:
            ensure_recorded(store, actor, now)
            for row in lapsed:
                dossier_id = store.dossier_id(row.number)
                if dossier_id is None:
                    continue
                notice_id = new_id()
                notified = policy.notified(row.role)
                added = store.add_notice(
                    {
                        "id": notice_id,
                        "dossier_id": dossier_id,
                        "step_no": row.step_no,
                        "visit_started_at": row.step_started_at,
                        "role": row.role.value,
                        "notified_role": notified.value,
                        "kind": policy.on_lapse.value,
                        "due_at": row.due_at,
                        "created_at": now,
                        "acknowledged_at": None,
                    }
                )
                if not added:
                    continue
                created.append(notice_id)
                store.audit(
                    at=now,
                    user=to_record(actor),
                    action="deadline_lapsed",
                    entity="dossier",
                    entity_id=row.number,
                    before=None,
                    after={
                        "step": row.step_no,
                        "due": row.due_at.isoformat(),
                        "notified": notified.value,
                        "policy": policy.on_lapse.value,
                    },
                )
            found = [
                _notice(n)
                for role in {policy.notified(r.role) for r in lapsed}
                for n in store.notices_for(role.value)
                if n.id in created
            ]
        return sorted(found, key=lambda n: (n.due_at, n.number))

    def notices(self, actor: User, *, open_only: bool = True) -> list[Notice]:
        """The lapse notices addressed to the actor's role."""
        require(actor, Permission.VIEW_DOSSIERS)
        with self._storage.reading() as store:
            return [_notice(n) for n in store.notices_for(actor.role.value, open_only=open_only)]

    def acknowledge(self, actor: User, notice_id: str) -> None:
        require(actor, Permission.VIEW_DOSSIERS)
        now = self._clock()
        with self._storage.writing() as store:
            if not store.acknowledge_notice(notice_id, actor.role.value, now):
                raise NotFoundError(_("Pemberitahuan tidak ditemukan atau sudah dibaca."))
