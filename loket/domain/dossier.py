"""A dossier (*berkas permohonan*) and the people and business it is about.

:class:`DossierState` is the part the workflow engine moves: status, current
step and the history of step visits. It is immutable; every action yields a
new state, which storage writes together with its audit and outbox entries.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime

from loket.domain.i18n import _
from loket.domain.sop import ApplicantKind


class Status(enum.StrEnum):
    IN_PROGRESS = "in_progress"  # diproses
    RETURNED = "returned"  # berkas dikembalikan, menunggu pemohon
    REJECTED = "rejected"  # ditolak
    CANCELLED = "cancelled"  # dibatalkan
    ISSUED = "issued"  # izin terbit, menunggu penyerahan
    HANDED_OVER = "handed_over"  # izin diserahkan

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]()

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATUSES


STATUS_LABELS = {
    Status.IN_PROGRESS: lambda: _("Diproses"),
    Status.RETURNED: lambda: _("Berkas dikembalikan"),
    Status.REJECTED: lambda: _("Ditolak"),
    Status.CANCELLED: lambda: _("Dibatalkan"),
    Status.ISSUED: lambda: _("Izin terbit"),
    Status.HANDED_OVER: lambda: _("Izin diserahkan"),
}

FINAL_STATUSES = frozenset({Status.REJECTED, Status.CANCELLED, Status.HANDED_OVER})


class Outcome(enum.StrEnum):
    """How a visit to a step ended."""

    COMPLETED = "completed"
    SKIPPED = "skipped"
    RETURNED = "returned"
    SENT_BACK = "sent_back"
    REJECTED = "rejected"
    SIGNED = "signed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """How the office says it, as the dossier's history shows it."""
        return OUTCOME_LABELS[self]()


OUTCOME_LABELS = {
    Outcome.COMPLETED: lambda: _("selesai"),
    Outcome.SKIPPED: lambda: _("dilewati"),
    Outcome.RETURNED: lambda: _("dikembalikan"),
    Outcome.SENT_BACK: lambda: _("dikirim balik"),
    Outcome.REJECTED: lambda: _("ditolak"),
    Outcome.SIGNED: lambda: _("ditandatangani"),
    Outcome.CANCELLED: lambda: _("dibatalkan"),
}


@dataclass(frozen=True, slots=True)
class StepVisit:
    """One stay of the dossier at one step; a send-back opens another visit."""

    step_no: int
    started_at: datetime
    finished_at: datetime | None = None
    user_id: str | None = None
    role: str | None = None
    outcome: Outcome | None = None
    reason: str = ""
    data: tuple[tuple[str, str], ...] = ()

    @property
    def open(self) -> bool:
        return self.finished_at is None


@dataclass(frozen=True, slots=True)
class DossierState:
    status: Status
    step_no: int
    visits: tuple[StepVisit, ...]
    version: int = 1

    @property
    def current_visit(self) -> StepVisit:
        return self.visits[-1]

    def with_last_visit(self, visit: StepVisit) -> tuple[StepVisit, ...]:
        return (*self.visits[:-1], visit)

    def next(
        self,
        *,
        status: Status | None = None,
        step_no: int | None = None,
        visits: tuple[StepVisit, ...] | None = None,
    ) -> DossierState:
        """The state after one transition: what changed, and the version moved on."""
        return DossierState(
            self.status if status is None else status,
            self.step_no if step_no is None else step_no,
            self.visits if visits is None else visits,
            self.version + 1,
        )


@dataclass(frozen=True, slots=True)
class Address:
    street: str = ""
    desa: str = ""
    kecamatan: str = ""
    kabupaten: str = "Landak"
    province: str = "Kalimantan Barat"

    def one_line(self) -> str:
        parts = [self.street, self.desa and f"Desa {self.desa}"]
        parts += [
            self.kecamatan and f"Kec. {self.kecamatan}",
            self.kabupaten and f"Kab. {self.kabupaten}",
        ]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class Applicant:
    """The *pemohon*: recorded, never a user of Loket."""

    kind: ApplicantKind
    name: str
    nik: str = ""
    nib: str = ""
    npwp: str = ""
    phone: str = ""
    email: str = ""
    address: Address = field(default_factory=Address)
    representative: str = ""  # penanggung jawab, for a company


@dataclass(frozen=True, slots=True)
class Business:
    name: str
    kbli: str = ""
    kbli_edition: str = ""
    address: Address = field(default_factory=Address)


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """A requirement of the SOP as received at the counter."""

    key: str
    name: str
    mandatory: bool
    received: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class Permit:
    number: str
    issued_at: datetime
    valid_until: date | None
    signed_by: str
    # The QR code's signed text, made once when the permit is issued so that every
    # print carries what was signed; "" when no office key existed then (the first
    # print signs and keeps it).
    payload: str = ""


def missing_mandatory(checklist: tuple[ChecklistItem, ...]) -> tuple[ChecklistItem, ...]:
    return tuple(item for item in checklist if item.mandatory and not item.received)


@dataclass(frozen=True, slots=True)
class DossierRecord:
    """Everything known about one dossier, as read back from storage."""

    id: str
    number: str
    sop_number: int
    sop_version: int
    applicant: Applicant
    business: Business | None
    state: DossierState
    checklist: tuple[ChecklistItem, ...]
    received_at: datetime
    station_code: str
    created_by: str
    sicantik_no: str = ""
    oss_nib: str = ""
    permit: Permit | None = None


@dataclass(frozen=True, slots=True)
class DossierSummary:
    """One row of a list or a search result."""

    number: str
    sop_number: int
    step_no: int
    status: Status
    applicant: str
    received_at: datetime
    permit_number: str | None
    nik: str = ""
    business: str = ""
