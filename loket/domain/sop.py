"""An SOP (Standar Operasional Prosedur) as the office wrote it, in frozen objects.

SOPs are data (``data/sop/*.toml``), loaded and validated by ``loket.catalog``;
everything that runs a dossier reads these objects. Whatever the seed document
did not say is carried with ``inferred=True`` so that a reader can always tell
the office's own words from ours.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class ApplicantKind(enum.StrEnum):
    INDIVIDUAL = "individual"  # perorangan
    COMPANY = "company"  # badan usaha


class TimeUnit(enum.StrEnum):
    """Units of a time standard (*waktu* in the SOP's *mutu baku*)."""

    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"  # a working day


@dataclass(frozen=True, slots=True)
class TimeStandard:
    amount: int
    unit: TimeUnit

    def __post_init__(self) -> None:
        if self.amount <= 0:
            raise ValueError("a time standard must be positive")

    def to_json(self) -> dict[str, object]:
        return {"amount": self.amount, "unit": self.unit.value}


class Actor(enum.StrEnum):
    """Who performs a step according to the SOP's actor columns.

    ``PEMOHON`` (the applicant) is recorded, never a user; every other actor is
    also a user role (see :class:`loket.domain.roles.Role`).
    """

    PEMOHON = "pemohon"
    FRONT_OFFICE = "front_office"
    BACK_OFFICE = "back_office"
    TIM_TEKNIS = "tim_teknis"
    KASI_PERIZINAN = "kasi_perizinan"
    KABID_PERIZINAN = "kabid_perizinan"
    SEKRETARIAT = "sekretariat"
    KEPALA_DINAS = "kepala_dinas"


class StepKind(enum.StrEnum):
    """What a step does to a dossier; it decides which actions the step offers.

    - ``applicant``: done by the applicant (often outside Loket), recorded by a clerk.
    - ``intake``: the counter receives and checks the files; files may be returned.
    - ``receipt``: the counter hands over the *tanda terima berkas*.
    - ``entry``: data entry of the dossier; files may still be returned.
    - ``review``: a check or verification; may send back or reject.
    - ``inspection``: the Tim Teknis's field inspection; may send back or reject.
    - ``signing``: the head of office signs; the permit is issued. Always the last step.
    """

    APPLICANT = "applicant"
    INTAKE = "intake"
    RECEIPT = "receipt"
    ENTRY = "entry"
    REVIEW = "review"
    INSPECTION = "inspection"
    SIGNING = "signing"


RETURNABLE_KINDS = frozenset({StepKind.INTAKE, StepKind.RECEIPT, StepKind.ENTRY})
DECIDING_KINDS = frozenset({StepKind.REVIEW, StepKind.INSPECTION, StepKind.SIGNING})


class FieldType(enum.StrEnum):
    TEXT = "text"
    DATE = "date"
    NUMBER = "number"
    CHECK = "check"


@dataclass(frozen=True, slots=True)
class StepField:
    """One input a step asks for (a reference number, a date, a finding)."""

    key: str
    label: str
    type: FieldType = FieldType.TEXT
    required: bool = False
    help: str = ""


@dataclass(frozen=True, slots=True)
class Step:
    no: int
    seed_no: int | None
    activity: str
    actor: Actor
    kind: StepKind
    requirement: str
    time: TimeStandard
    output: str
    note: str = ""
    label: str = ""
    optional: bool = False
    recorded_by: Actor | None = None
    fields: tuple[StepField, ...] = ()
    inferred: bool = False
    inferred_parts: tuple[str, ...] = ()

    @property
    def acting_role(self) -> Actor:
        """The role of the user who records this step in Loket."""
        return self.recorded_by or self.actor

    def to_json(self) -> dict[str, object]:
        return {
            "no": self.no,
            "seed_no": self.seed_no,
            "activity": self.activity,
            "actor": self.actor.value,
            "recorded_by": self.acting_role.value,
            "kind": self.kind.value,
            "requirement": self.requirement,
            "time": self.time.to_json(),
            "output": self.output,
            "note": self.note,
            "label": self.label,
            "optional": self.optional,
            "fields": [
                {"key": f.key, "label": f.label, "type": f.type.value, "required": f.required}
                for f in self.fields
            ],
            "inferred": self.inferred,
            "inferred_parts": list(self.inferred_parts),
        }


@dataclass(frozen=True, slots=True)
class Requirement:
    """A document the applicant must (or may) bring; office-editable."""

    key: str
    name: str
    mandatory: bool
    help: str = ""
    applies_to: ApplicantKind | None = None  # None: every applicant
    inferred: bool = False

    def applies(self, kind: ApplicantKind) -> bool:
        return self.applies_to is None or self.applies_to == kind


@dataclass(frozen=True, slots=True)
class Validity:
    """How long an issued permit is valid: ``years=None`` means while the business runs."""

    years: int | None = None
    reregistration_years: int | None = None
    inferred: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "years": self.years,
            "reregistration_years": self.reregistration_years,
            "inferred": self.inferred,
        }


@dataclass(frozen=True, slots=True)
class PermitSpec:
    title: str
    code: str
    validity: Validity
    inferred: bool = False


@dataclass(frozen=True, slots=True)
class Sop:
    number: int
    version: int
    name: str
    agency: str
    approved_by: str
    created_on: str
    revised_on: str
    effective_on: str
    legal_basis: tuple[str, ...]
    qualifications: tuple[str, ...]
    related: tuple[str, ...]
    equipment: tuple[str, ...]
    recording: tuple[str, ...]
    service_time: TimeStandard
    cost: str
    output: str
    permit: PermitSpec
    requirements: tuple[Requirement, ...]
    steps: tuple[Step, ...]
    external_systems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    source: str = ""
    _by_no: dict[int, Step] = field(default_factory=dict, init=False, compare=False, repr=False)
    _following: dict[int, Step | None] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        # Looked up on every action: by number, never by comparing whole steps.
        object.__setattr__(self, "_by_no", {s.no: s for s in self.steps})
        following = dict(zip((s.no for s in self.steps), (*self.steps[1:], None), strict=True))
        object.__setattr__(self, "_following", following)

    @property
    def key(self) -> str:
        """The SOP's short key, as used in dossier numbers (``SOP68``)."""
        return f"SOP{self.number}"

    def step(self, no: int) -> Step:
        return self._by_no[no]

    @property
    def first_step(self) -> Step:
        return self.steps[0]

    @property
    def last_step(self) -> Step:
        return self.steps[-1]

    def next_step(self, no: int) -> Step | None:
        return self._following[no]

    def send_back_targets(self, no: int) -> tuple[Step, ...]:
        """The steps a dossier at step ``no`` may be sent back to, nearest first.

        Only earlier steps that the office does itself: the applicant's own steps
        (an account, a login) are not done again.
        """
        return tuple(
            s for s in reversed(self.steps) if s.no < no and s.kind is not StepKind.APPLICANT
        )

    def requirements_for(self, kind: ApplicantKind) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.applies(kind))

    def to_json(self) -> dict[str, object]:
        return {
            "number": self.number,
            "version": self.version,
            "name": self.name,
            "agency": self.agency,
            "approved_by": self.approved_by,
            "dates": {
                "created": self.created_on,
                "revised": self.revised_on,
                "effective": self.effective_on,
            },
            "legal_basis": list(self.legal_basis),
            "qualifications": list(self.qualifications),
            "related": list(self.related),
            "equipment": list(self.equipment),
            "recording": list(self.recording),
            "service_time": self.service_time.to_json(),
            "cost": self.cost,
            "output": self.output,
            "external_systems": list(self.external_systems),
            "permit": {
                "title": self.permit.title,
                "code": self.permit.code,
                "validity": self.permit.validity.to_json(),
                "inferred": self.permit.inferred,
            },
            "requirements": [
                {
                    "key": r.key,
                    "name": r.name,
                    "mandatory": r.mandatory,
                    "help": r.help,
                    "applies_to": r.applies_to.value if r.applies_to else None,
                    "inferred": r.inferred,
                }
                for r in self.requirements
            ],
            "steps": [s.to_json() for s in self.steps],
            "notes": list(self.notes),
            "source": self.source,
        }
