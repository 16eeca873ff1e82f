"""The Tim Teknis's field inspection: its schedule and its report (*Berita Acara Pemeriksaan*).

An inspection is scheduled while the dossier waits at an inspection step, then
recorded with the date, the team members, the findings, the photos (attachments
of the dossier, by hash) and the recommendation. The step itself is finished
through the workflow as usual; the report is what the Kasi reads and what is printed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from loket.domain.i18n import _
from loket.domain.roles import Permission, Role
from loket.domain.sop import StepKind
from loket.services.dossiers import DossierService, DossierView
from loket.services.errors import InvalidInput, NotFoundError, WorkflowRefused
from loket.services.users import User, require, to_record
from loket.storage.ids import new_id
from loket.storage.store import Storage

MAX_MEMBERS = 12
MAX_MEMBER = 200
MAX_TEXT = 4000


@dataclass(frozen=True, slots=True)
class Inspection:
    id: str
    number: str
    scheduled_on: date
    inspected_on: date | None
    team: tuple[str, ...]
    findings: str
    recommendation: str
    photos: tuple[str, ...]  # SHA-256 of attached photos

    @property
    def recorded(self) -> bool:
        return self.inspected_on is not None


def _team(members: Sequence[str]) -> tuple[str, ...]:
    team = tuple(" ".join(m.split()) for m in members if m.strip())
    if not team or len(team) > MAX_MEMBERS or any(len(m) > MAX_MEMBER for m in team):
        raise InvalidInput(
            _("Anggota tim pemeriksa wajib diisi (1–{limit} orang).").format(limit=MAX_MEMBERS)
        )
    return team


def _text(label: str, value: str, *, required: bool) -> str:
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            _("{label} terlalu panjang (paling banyak {limit} karakter).").format(
                label=label, limit=MAX_TEXT
            )
        )
    if required and not text:
        raise InvalidInput(_("{label} wajib diisi.").format(label=label))
    return text


class InspectionService:
    def __init__(
        self, storage: Storage, dossiers: DossierService, clock: Callable[[], datetime]
    ) -> None:
        self._storage = storage
        self._dossiers = dossiers
        self._clock = clock

    def schedule(self, actor: User, number: str, on: date, team: Sequence[str]) -> Inspection:
        """Plan the field visit of a dossier waiting at its inspection step."""
        view = self._at_inspection(actor, number)
        today = self._clock().date()
        if on < today:
            raise InvalidInput(_("Tanggal pemeriksaan tidak boleh sebelum hari ini."))
        existing = self._open(view)
        row = {
            "id": existing.id if existing else new_id(),
            "dossier_id": view.record.id,
            "scheduled_on": on,
            "inspected_on": None,
            "team": json.dumps(list(_team(team)), ensure_ascii=False),
            "findings": "",
            "recommendation": "",
            "photos": "[]",
            "recorded_by": actor.id,
            "updated_at": self._clock(),
        }
        return self._write(actor, view, row, "inspection_scheduled")

    def record(
        self,
        actor: User,
        number: str,
        *,
        inspected_on: date,
        team: Sequence[str],
        findings: str,
        recommendation: str,
        photos: Sequence[str] = (),
    ) -> Inspection:
        """The Berita Acara Pemeriksaan; photos must already be attached to the dossier."""
        view = self._at_inspection(actor, number)
        if inspected_on > self._clock().date():
            raise InvalidInput(_("Tanggal pemeriksaan tidak boleh melewati hari ini."))
        with self._storage.reading() as store:
            attached = {a.sha256 for a in store.attachments(view.record.id)}
        unknown = [p for p in photos if p not in attached]
        if unknown:
            raise InvalidInput(_("Foto pemeriksaan harus dilampirkan ke berkas terlebih dahulu."))
        existing = self._open(view)
        row = {
            "id": existing.id if existing else new_id(),
            "dossier_id": view.record.id,
            "scheduled_on": existing.scheduled_on if existing else inspected_on,
            "inspected_on": inspected_on,
            "team": json.dumps(list(_team(team)), ensure_ascii=False),
            "findings": _text(_("Temuan pemeriksaan"), findings, required=True),
            "recommendation": _text(_("Rekomendasi"), recommendation, required=True),
            "photos": json.dumps(list(dict.fromkeys(photos))),
            "recorded_by": actor.id,
            "updated_at": self._clock(),
        }
        return self._write(actor, view, row, "inspection_recorded")

    def of(self, actor: User, number: str) -> list[Inspection]:
        view = self._dossiers.show(actor, number)
        return self._all(view)

    def latest(self, actor: User, number: str) -> Inspection:
        found = self.of(actor, number)
        if not found:
            raise NotFoundError(
                _("Belum ada pemeriksaan lapangan untuk berkas {number}.").format(number=number)
            )
        return found[-1]

    # --- helpers ----------------------------------------------------------------------

    def _at_inspection(self, actor: User, number: str) -> DossierView:
        require(actor, Permission.COMPLETE_STEP)
        if actor.role is not Role.TIM_TEKNIS:
            raise WorkflowRefused(
                _("Pemeriksaan lapangan dicatat oleh Tim Teknis."), "inspection.role"
            )
        view = self._dossiers.show(actor, number)
        step = view.sop.step(view.record.state.step_no)
        if step.kind is not StepKind.INSPECTION or not view.record.state.current_visit.open:
            raise WorkflowRefused(
                _("Berkas {number} tidak sedang menunggu pemeriksaan lapangan.").format(
                    number=view.record.number
                ),
                "inspection.not_waiting",
            )
        return view

    def _all(self, view: DossierView) -> list[Inspection]:
        with self._storage.reading() as store:
            rows = store.inspections(view.record.id)
        return [
            Inspection(
                r["id"],
                view.record.number,
                r["scheduled_on"],
                r["inspected_on"],
                tuple(json.loads(r["team"])),
                r["findings"],
                r["recommendation"],
                tuple(json.loads(r["photos"])),
            )
            for r in rows
        ]

    def _open(self, view: DossierView) -> Inspection | None:
        """The inspection still to be recorded (scheduled, not yet reported), if any."""
        found = self._all(view)
        if not found or found[-1].recorded:
            return None
        return found[-1]

    def _write(
        self, actor: User, view: DossierView, row: dict[str, object], action: str
    ) -> Inspection:
        now = self._clock()
        with self._storage.writing() as store:
            store.put_inspection(row)
            store.audit(
                at=now,
                user=to_record(actor),
                action=action,
                entity="dossier",
                entity_id=view.record.number,
                before=None,
                after={
                    k: (v.isoformat() if isinstance(v, date) else v)
                    for k, v in row.items()
                    if k not in ("dossier_id", "updated_at", "recorded_by")
                },
            )
        return next(i for i in self._all(view) if i.id == row["id"])
