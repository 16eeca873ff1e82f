"""Registering dossiers and moving them through their SOP.

Each public method is one user action and one transaction: it checks the
acting user's role, asks the pure workflow engine, and writes the new state
with its audit entry and outbox entry together.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from loket.catalog import Catalog, CatalogError
from loket.domain.calendar import WorkingCalendar
from loket.domain.dossier import (
    Applicant,
    Business,
    ChecklistItem,
    DossierRecord,
    DossierState,
    DossierSummary,
    Permit,
    Status,
    missing_mandatory,
)
from loket.domain.i18n import _
from loket.domain.numbering import (
    DEFAULT_DOSSIER_PATTERN,
    DEFAULT_PERMIT_PATTERN,
    dossier_counter_name,
    dossier_pattern,
    permit_counter_name,
    permit_pattern,
    roman_month,
)
from loket.domain.roles import Permission
from loket.domain.sop import ApplicantKind, Sop, StepKind
from loket.domain.validation import (
    Problem,
    Severity,
    is_valid,
    validate_email,
    validate_nib,
    validate_nik,
    validate_npwp,
    validate_phone,
)
from loket.services.errors import InvalidInput, NotFoundError, WorkflowRefused
from loket.services.users import User, require, to_record
from loket.storage.ids import new_id
from loket.storage.store import NotFound, Storage, Store
from loket.workflow import Acting, Action, Command, Refusal, Transition, advance, start

MAX_NAME = 300
MAX_TEXT = 500
DEFAULT_STATION = "FO1"


@dataclass(frozen=True, slots=True)
class WalkedStep:
    """A step walked at the counter before registration, with its own times."""

    step_no: int
    action: Action  # COMPLETE_STEP or SKIP_STEP
    finished_at: datetime
    data: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Intake:
    sop_number: int
    applicant: Applicant
    business: Business | None
    received: frozenset[str]
    sicantik_no: str = ""
    oss_nib: str = ""
    started_at: datetime | None = None
    walked: tuple[WalkedStep, ...] = ()
    applicant_id: str | None = None  # a returning applicant, found by NIK/NIB/name


@dataclass(frozen=True, slots=True)
class Deadlines:
    step_due: datetime | None
    dossier_due: datetime
    step_fraction: float
    dossier_fraction: float


@dataclass(frozen=True, slots=True)
class DossierView:
    record: DossierRecord
    sop: Sop
    deadlines: Deadlines
    warnings: tuple[Problem, ...] = field(default=())


def _applicant_problems(applicant: Applicant) -> list[Problem]:
    problems: list[Problem] = []
    name = applicant.name.strip()
    if not name:
        problems.append(Problem("nama", "name.required", _("Nama pemohon wajib diisi.")))
    elif len(applicant.name) > MAX_NAME:
        problems.append(
            Problem(
                "nama",
                "name.too_long",
                _("Nama terlalu panjang (paling banyak {limit} karakter).").format(limit=MAX_NAME),
            )
        )
    if applicant.kind is ApplicantKind.INDIVIDUAL and not applicant.nik.strip():
        problems.append(Problem("nik", "nik.required", _("NIK wajib diisi untuk perorangan.")))
    checks = (
        (applicant.nik, validate_nik),
        (applicant.nib, validate_nib),
        (applicant.npwp, validate_npwp),
        (applicant.phone, validate_phone),
        (applicant.email, validate_email),
    )
    for value, check in checks:
        if value.strip():
            problems.extend(check(value))
    for label, text in (("alamat", applicant.address.street), ("wakil", applicant.representative)):
        if len(text) > MAX_TEXT:
            problems.append(
                Problem(label, f"{label}.too_long", _("Isian terlalu panjang."), Severity.ERROR)
            )
    return problems


def _business_problems(business: Business | None) -> list[Problem]:
    if business is None:
        return []
    if not business.name.strip():
        return [Problem("usaha", "business.required", _("Nama usaha wajib diisi."))]
    if len(business.name) > MAX_NAME:
        return [
            Problem(
                "usaha",
                "business.too_long",
                _("Nama usaha terlalu panjang (paling banyak {limit} karakter).").format(
                    limit=MAX_NAME
                ),
            )
        ]
    return []


def _clean(applicant: Applicant) -> Applicant:
    return replace(
        applicant,
        name=" ".join(applicant.name.split()),
        nik=applicant.nik.strip(),
        nib=applicant.nib.strip(),
        npwp="".join(c for c in applicant.npwp if c.isdigit()),
        phone=applicant.phone.strip(),
        email=applicant.email.strip(),
    )


def _state_json(state: DossierState) -> dict[str, Any]:
    return {"status": state.status.value, "step": state.step_no, "version": state.version}


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class DossierService:
    def __init__(
        self,
        storage: Storage,
        catalog: Catalog,
        calendar: WorkingCalendar,
        clock: Callable[[], datetime],
    ) -> None:
        self._storage = storage
        self._catalog = catalog
        self._calendar = calendar
        self._clock = clock
        self._stored_snapshots: set[tuple[int, int]] = set()

    @property
    def catalog(self) -> Catalog:
        return self._catalog

    # --- registration ----------------------------------------------------------------

    def register(self, actor: User, intake: Intake) -> DossierView:
        """File a new dossier; incomplete files are registered as returned."""
        require(actor, Permission.REGISTER_DOSSIER)
        sop = self._sop(intake.sop_number)
        applicant = _clean(intake.applicant)
        problems = _applicant_problems(applicant) + _business_problems(intake.business)
        if intake.oss_nib.strip():
            problems += validate_nib(intake.oss_nib, field="oss_nib")
        if not is_valid(problems):
            first = next(p for p in problems if p.severity is Severity.ERROR)
            raise InvalidInput(first.message, problems)
        unknown = intake.received - {r.key for r in sop.requirements}
        if unknown:
            raise InvalidInput(
                _("Persyaratan tidak dikenal untuk SOP {number}: {keys}").format(
                    number=sop.number, keys=", ".join(sorted(unknown))
                )
            )
        now = self._clock()
        started = intake.started_at or now
        acting = Acting(actor.id, actor.role)
        checklist = tuple(
            ChecklistItem(r.key, r.name, r.mandatory, r.key in intake.received)
            for r in sop.requirements_for(applicant.kind)
        )
        state = self._walk(sop, start(sop, actor=acting, now=started), intake, acting)
        missing = missing_mandatory(checklist)
        if missing:
            state = self._return_files(sop, state, missing, acting, now)
        with self._storage.writing() as store:
            self._ensure_snapshot(store, sop, now)
            station = self._station(store)
            number = self._next_number(store, sop, station, started)
            applicant_id = intake.applicant_id or store.add_applicant(applicant, now)
            business_id = (
                store.add_business(applicant_id, intake.business) if intake.business else None
            )
            dossier_id = new_id()
            store.insert_dossier(
                dossier_id=dossier_id,
                number=number,
                sop_number=sop.number,
                sop_version=sop.version,
                applicant_id=applicant_id,
                business_id=business_id,
                state=state,
                checklist=checklist,
                received_at=started,
                station_code=station,
                created_by=actor.id,
                sicantik_no=intake.sicantik_no.strip(),
                oss_nib=intake.oss_nib.strip(),
            )
            after = {
                "number": number,
                "sop": sop.number,
                "sop_version": sop.version,
                "applicant": applicant.name,
                "received": sorted(intake.received),
                **_state_json(state),
            }
            store.audit(
                at=now,
                user=to_record(actor),
                action="register",
                entity="dossier",
                entity_id=number,
                before=None,
                after=after,
            )
            store.enqueue(
                command="register",
                entity="dossier",
                entity_id=dossier_id,
                base_version=0,
                payload={**after, "applicant_id": applicant_id, "business_id": business_id},
                now=now,
            )
            record = store.dossier(number)
        warnings = tuple(p for p in problems if p.severity is Severity.WARNING)
        return self._view(record, sop, warnings)

    def _walk(self, sop: Sop, state: DossierState, intake: Intake, acting: Acting) -> DossierState:
        for walked in intake.walked:
            if walked.step_no != state.step_no:
                raise InvalidInput(
                    _("Langkah {no} dicatat di luar urutan SOP.").format(no=walked.step_no)
                )
            if sop.step(walked.step_no).kind not in (StepKind.APPLICANT, StepKind.INTAKE):
                raise InvalidInput(
                    _("Hanya langkah pemohon dan penerimaan yang dicatat saat pendaftaran.")
                )
            command = Command(walked.action, data=walked.data)
            state = self._apply(sop, state, command, acting, walked.finished_at).after
        return state

    def _return_files(
        self,
        sop: Sop,
        state: DossierState,
        missing: tuple[ChecklistItem, ...],
        acting: Acting,
        now: datetime,
    ) -> DossierState:
        while sop.step(state.step_no).kind is StepKind.APPLICANT:
            # Files are checked at the counter, so the applicant's own steps end first.
            state = self._apply(sop, state, Command(Action.COMPLETE_STEP), acting, now).after
        reason = _("Berkas belum lengkap: {items}").format(
            items="; ".join(item.name for item in missing)
        )
        return self._apply(
            sop, state, Command(Action.RETURN_FILES, reason=reason), acting, now
        ).after

    # --- moving a dossier ------------------------------------------------------------

    def act(
        self,
        actor: User,
        number: str,
        command: Command,
        *,
        seen_version: int | None = None,
        received: Mapping[str, bool] | None = None,
    ) -> DossierView:
        """Apply one workflow action to dossier ``number`` as ``actor``."""
        require(actor, Permission(command.action.value))
        now = self._clock()
        with self._storage.writing() as store:
            record = self._record(store, number)
            if seen_version is not None and seen_version != record.state.version:
                raise WorkflowRefused(
                    _("Berkas telah diubah oleh pengguna lain; muat ulang lalu coba lagi."),
                    "dossier.stale",
                )
            sop = self._sop_of(store, record)
            transition = self._apply(sop, record.state, command, Acting(actor.id, actor.role), now)
            columns: dict[str, Any] = {}
            if received:
                store.update_checklist(record.id, received)
            if command.action is Action.SIGN:
                permit = self._issue_permit(store, record, sop, actor, now)
                columns["permit_number"] = permit.number
            data = dict(command.data)
            if data.get("sicantik_no"):
                columns["sicantik_no"] = data["sicantik_no"][:64]
            store.save_state(record.id, transition.before, transition.after, now, **columns)
            before, after = _state_json(transition.before), _state_json(transition.after)
            details = {"reason": command.reason.strip(), "target_step": command.target_step}
            details.update(columns)
            store.audit(
                at=now,
                user=to_record(actor),
                action=command.action.value,
                entity="dossier",
                entity_id=record.number,
                before=before,
                after={**after, **details},
            )
            store.enqueue(
                command=command.action.value,
                entity="dossier",
                entity_id=record.id,
                base_version=transition.before.version,
                payload={**details, "data": data, "received": dict(received or {})},
                now=now,
            )
            updated = store.dossier(record.number)
        return self._view(updated, sop)

    def _apply(
        self, sop: Sop, state: DossierState, command: Command, acting: Acting, now: datetime
    ) -> Transition:
        result = advance(sop, state, command, actor=acting, now=now)
        if isinstance(result, Refusal):
            raise WorkflowRefused(result.message, result.code)
        return result

    def _issue_permit(
        self, store: Store, record: DossierRecord, sop: Sop, actor: User, now: datetime
    ) -> Permit:
        """The legal permit number: gapless per office per year, taken at signing."""
        local = now.astimezone(self._calendar.tz)
        seq = store.next_counter(permit_counter_name(local.year))
        pattern = permit_pattern(store.setting("permit_number_pattern") or DEFAULT_PERMIT_PATTERN)
        number = pattern.render(
            seq=seq,
            code=sop.permit.code,
            year=local.year,
            month=local.month,
            roman_month=roman_month(local.month),
            sop=sop.number,
        )
        years = sop.permit.validity.years
        valid_until = _add_years(local.date(), years) if years else None
        permit = Permit(number, now, valid_until, actor.id)
        store.insert_permit(record.id, permit, actor.id)
        return permit

    # --- reading -----------------------------------------------------------------------

    def show(self, actor: User, number: str) -> DossierView:
        require(actor, Permission.VIEW_DOSSIERS)
        with self._storage.reading() as store:
            record = self._record(store, number.strip().upper())
            sop = self._sop_of(store, record)
        return self._view(record, sop)

    def search(
        self,
        actor: User,
        *,
        status: Status | None = None,
        sop_number: int | None = None,
        query: str = "",
        limit: int = 100,
        offset: int = 0,
    ) -> list[DossierSummary]:
        require(actor, Permission.VIEW_DOSSIERS)
        if len(query) > MAX_NAME:
            raise InvalidInput(_("Kata pencarian terlalu panjang."))
        with self._storage.reading() as store:
            return store.list_dossiers(
                status=status, sop_number=sop_number, query=query, limit=limit, offset=offset
            )

    def find_applicants(self, actor: User, query: str) -> list[tuple[str, Applicant]]:
        require(actor, Permission.REGISTER_DOSSIER)
        if len(query) > MAX_NAME:
            raise InvalidInput(_("Kata pencarian terlalu panjang."))
        with self._storage.reading() as store:
            return store.find_applicants(query)

    def audit_trail(self, actor: User, number: str) -> list[dict[str, Any]]:
        require(actor, Permission.VIEW_DOSSIERS)
        with self._storage.reading() as store:
            return [
                {
                    "seq": e.seq,
                    "at": e.at.isoformat(),
                    "user": e.username,
                    "role": e.role,
                    "action": e.action,
                    "before": e.before,
                    "after": e.after,
                }
                for e in store.audit_trail(number)
            ]

    # --- helpers -------------------------------------------------------------------------

    def deadlines(self, record: DossierRecord, sop: Sop, now: datetime) -> Deadlines:
        dossier_due = self._calendar.due(record.received_at, sop.service_time)
        dossier_fraction = self._calendar.fraction_used(record.received_at, now, sop.service_time)
        visit = record.state.current_visit
        if record.state.status is not Status.IN_PROGRESS or not visit.open:
            return Deadlines(None, dossier_due, 0.0, dossier_fraction)
        standard = sop.step(visit.step_no).time
        return Deadlines(
            self._calendar.due(visit.started_at, standard),
            dossier_due,
            self._calendar.fraction_used(visit.started_at, now, standard),
            dossier_fraction,
        )

    def _view(
        self, record: DossierRecord, sop: Sop, warnings: tuple[Problem, ...] = ()
    ) -> DossierView:
        return DossierView(record, sop, self.deadlines(record, sop, self._clock()), warnings)

    def _sop(self, number: int) -> Sop:
        try:
            return self._catalog.get(number)
        except CatalogError as exc:
            raise InvalidInput(str(exc)) from exc

    def _sop_of(self, store: Store, record: DossierRecord) -> Sop:
        """The SOP version the dossier was filed under, even if the files moved on."""
        try:
            return self._catalog.get(record.sop_number, record.sop_version)
        except CatalogError:
            document = store.snapshot(record.sop_number, record.sop_version)
            if document is None:
                raise
            return self._catalog.add_snapshot(
                document, f"snapshot:SOP{record.sop_number}v{record.sop_version}"
            )

    def _ensure_snapshot(self, store: Store, sop: Sop, now: datetime) -> None:
        key = (sop.number, sop.version)
        if key in self._stored_snapshots:
            return
        document = self._catalog.entry(sop.number, sop.version).document_json()
        digest = hashlib.sha256(document.encode("utf-8")).hexdigest()
        store.store_snapshot(sop.number, sop.version, document, digest, now)
        self._stored_snapshots.add(key)

    def _station(self, store: Store) -> str:
        identity = store.identity()
        return identity.station_code if identity else DEFAULT_STATION

    def _next_number(self, store: Store, sop: Sop, station: str, when: datetime) -> str:
        year = when.astimezone(self._calendar.tz).year
        seq = store.next_counter(dossier_counter_name(sop.key, year, station))
        pattern = dossier_pattern(
            store.setting("dossier_number_pattern") or DEFAULT_DOSSIER_PATTERN
        )
        local = when.astimezone(self._calendar.tz)
        return pattern.render(sop=sop.key, year=year, station=station, seq=seq, month=local.month)

    @staticmethod
    def _record(store: Store, number: str) -> DossierRecord:
        try:
            return store.dossier(number)
        except NotFound as exc:
            raise NotFoundError(str(exc)) from exc
