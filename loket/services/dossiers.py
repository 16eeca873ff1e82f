"""Registering dossiers and moving them through their SOP.

Each public method is one user action and one transaction: it checks the
acting user's role, asks the pure workflow engine, and writes the new state
with its audit entry and outbox entry together.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from loket.catalog import Catalog, CatalogError, parse_sop
from loket.catalog.catalog import CatalogEntry
from loket.domain.calendar import WorkingCalendar, add_years
from loket.domain.dossier import (
    Address,
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
    MAX_NUMBER_CHARS,
    NumberPattern,
    dossier_counter_name,
    dossier_pattern,
    permit_counter_name,
    permit_pattern,
    roman_month,
)
from loket.domain.roles import Permission
from loket.domain.sop import RETURNABLE_KINDS, ApplicantKind, FieldType, Sop, Step, StepKind
from loket.domain.validation import (
    Problem,
    Severity,
    has_hidden_characters,
    is_valid,
    normalize_npwp,
    normalize_phone,
    validate_email,
    validate_nib,
    validate_nik,
    validate_npwp,
    validate_phone,
)
from loket.services.errors import InvalidInput, NotFoundError, WorkflowRefused
from loket.services.permit_seal import PermitSeal
from loket.services.users import SYSTEM, User, ensure_recorded, require, to_record
from loket.storage.ids import new_id
from loket.storage.store import ClaimRecord, NotFound, Storage, Store
from loket.workflow import Acting, Action, Command, Refusal, Transition, advance, start

MAX_NAME = 300
MAX_TEXT = 500
MAX_PLACE = 100  # desa, kecamatan, kabupaten, province (as stored)
MAX_STREET = 300
MAX_REFERENCE = 64  # a SICANTIK application number
MAX_KEY_SHOWN = 40  # an unknown key is named in a message, cut to this length
KBLI_DIGITS = 5
MAX_KBLI_EDITION = 10
MAX_LIST = 10_000
DEFAULT_STATION = "FO1"
WALKABLE_ACTIONS = frozenset({Action.COMPLETE_STEP, Action.SKIP_STEP})
COLUMN_FIELDS = ("sicantik_no", "oss_nib")  # step fields also kept on the dossier itself

_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")


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


# --- checking what the clerk typed ----------------------------------------------------
#
# Every text is hostile until measured: lengths are checked on the raw value before
# anything walks through it, so a pasted 10 MB string is refused at once.


def _squash(text: str) -> str:
    return " ".join(text.split())


def _too_long(field: str, label: str, text: str, limit: int) -> list[Problem]:
    if len(text) <= limit:
        return []
    message = _("{label} terlalu panjang (paling banyak {limit} karakter).")
    return [Problem(field, f"{field}.too_long", message.format(label=label, limit=limit))]


def _name_problems(field: str, label: str, raw: str, *, required: bool) -> list[Problem]:
    """A person's or business's name: collapsed spaces, at most MAX_NAME characters."""
    if len(raw) > 2 * MAX_NAME or len(_squash(raw)) > MAX_NAME:
        message = _("{label} terlalu panjang (paling banyak {limit} karakter).")
        return [Problem(field, f"{field}.too_long", message.format(label=label, limit=MAX_NAME))]
    if required and not raw.strip():
        message = _("{label} wajib diisi.").format(label=label)
        return [Problem(field, f"{field}.required", message)]
    if has_hidden_characters(_squash(raw)):  # spaces, tabs and line ends are only folded
        message = _("{label} memuat karakter tersembunyi; ketik ulang.").format(label=label)
        return [Problem(field, f"{field}.hidden", message)]
    return []


def _address_problems(field: str, address: Address) -> list[Problem]:
    return [
        *_too_long(f"{field}.jalan", _("Alamat"), address.street, MAX_STREET),
        *_too_long(f"{field}.desa", _("Nama desa"), address.desa, MAX_PLACE),
        *_too_long(f"{field}.kecamatan", _("Nama kecamatan"), address.kecamatan, MAX_PLACE),
        *_too_long(f"{field}.kabupaten", _("Nama kabupaten"), address.kabupaten, MAX_PLACE),
        *_too_long(f"{field}.provinsi", _("Nama provinsi"), address.province, MAX_PLACE),
    ]


def _applicant_problems(applicant: Applicant) -> list[Problem]:
    problems = _name_problems("nama", _("Nama pemohon"), applicant.name, required=True)
    if applicant.kind is ApplicantKind.INDIVIDUAL and not applicant.nik.strip():
        problems.append(Problem("nik", "nik.required", _("NIK wajib diisi untuk perorangan.")))
    problems += validate_nik(applicant.nik)
    problems += validate_nib(applicant.nib)
    problems += validate_npwp(applicant.npwp)
    problems += validate_phone(applicant.phone)
    problems += validate_email(applicant.email)
    problems += _address_problems("alamat", applicant.address)
    problems += _name_problems(
        "wakil", _("Nama penanggung jawab"), applicant.representative, required=False
    )
    return problems


def _business_problems(business: Business | None) -> list[Problem]:
    if business is None:
        return []
    problems = _name_problems("usaha", _("Nama usaha"), business.name, required=True)
    kbli = business.kbli.strip()
    if len(business.kbli) > MAX_TEXT or (
        kbli and (len(kbli) != KBLI_DIGITS or not (kbli.isascii() and kbli.isdigit()))
    ):
        message = _("KBLI harus {digits} digit angka, misalnya 45201.").format(digits=KBLI_DIGITS)
        problems.append(Problem("kbli", "kbli.format", message))
    problems += _too_long("kbli_edisi", _("Edisi KBLI"), business.kbli_edition, MAX_KBLI_EDITION)
    problems += _address_problems("alamat_usaha", business.address)
    return problems


def _intake_problems(intake: Intake) -> list[Problem]:
    problems = _applicant_problems(intake.applicant) + _business_problems(intake.business)
    problems += _too_long(
        "sicantik_no", _("No. Permohonan SICANTIK"), intake.sicantik_no.strip(), MAX_REFERENCE
    )
    problems += validate_nib(intake.oss_nib, field="oss_nib")
    return problems


def _clean_address(address: Address) -> Address:
    return Address(
        street=_squash(address.street),
        desa=_squash(address.desa),
        kecamatan=_squash(address.kecamatan),
        kabupaten=_squash(address.kabupaten),
        province=_squash(address.province),
    )


def _clean(applicant: Applicant) -> Applicant:
    """The stored form of a *valid* applicant: collapsed spaces, NPWP digits, E.164 phone."""
    return replace(
        applicant,
        name=_squash(applicant.name),
        nik=applicant.nik.strip(),
        nib=applicant.nib.strip(),
        npwp=normalize_npwp(applicant.npwp),
        phone=normalize_phone(applicant.phone) if applicant.phone.strip() else "",
        email=applicant.email.strip(),
        address=_clean_address(applicant.address),
        representative=_squash(applicant.representative),
    )


def _clean_business(business: Business) -> Business:
    return Business(
        name=_squash(business.name),
        kbli=business.kbli.strip(),
        kbli_edition=business.kbli_edition.strip(),
        address=_clean_address(business.address),
    )


def _refuse(problems: list[Problem]) -> None:
    if not is_valid(problems):
        first = next(p for p in problems if p.severity is Severity.ERROR)
        raise InvalidInput(first.message, problems)


def _step_data(step: Step, data: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The values of a step's fields, checked and trimmed; unknown keys are refused."""
    fields = {f.key: f for f in step.fields}
    values: dict[str, str] = {}
    for key, value in data:
        spec = fields.get(key)
        if spec is None:
            raise InvalidInput(
                _("Isian '{key}' tidak dikenal pada langkah {no}.").format(
                    key=key[:MAX_KEY_SHOWN], no=step.no
                )
            )
        limit = MAX_REFERENCE if key == "sicantik_no" else MAX_TEXT
        if len(value) > limit:
            raise InvalidInput(_too_long(key, spec.label, value, limit)[0].message)
        text = value.strip()
        if text and spec.type is FieldType.DATE:
            try:
                date.fromisoformat(text)
            except ValueError:
                raise InvalidInput(
                    _("{label} harus tanggal yang sah, misalnya 2026-03-02.").format(
                        label=spec.label
                    )
                ) from None
        if text and spec.type is FieldType.NUMBER and not _NUMBER.fullmatch(text):
            raise InvalidInput(_("{label} harus berupa angka.").format(label=spec.label))
        if key == "oss_nib":
            _refuse(validate_nib(text, field=key))
        values[key] = text
    return tuple(values.items())


def _aware(moment: datetime) -> bool:
    return moment.tzinfo is not None and moment.utcoffset() is not None


def _check_times(intake: Intake, now: datetime) -> None:
    """Times typed for a walked registration: with a zone, in order, and not in the future."""
    moments = [intake.started_at] if intake.started_at else []
    moments += [w.finished_at for w in intake.walked]
    if not all(_aware(m) for m in moments):
        raise InvalidInput(_("Waktu harus disertai zona waktu (WIB)."))
    if any(m > now for m in moments):
        raise InvalidInput(_("Waktu yang dicatat tidak boleh melewati waktu sekarang."))
    if moments != sorted(moments):
        raise InvalidInput(
            _("Waktu langkah harus berurutan: tidak sebelum penerimaan atau langkah sebelumnya.")
        )


def _state_json(state: DossierState) -> dict[str, Any]:
    return {"status": state.status.value, "step": state.step_no, "version": state.version}


def _render(
    store: Store,
    setting: str,
    default: str,
    factory: Callable[[str], NumberPattern],
    **fields: object,
) -> str:
    """A number from the office's pattern setting; a broken setting is named, not a crash."""
    try:
        return factory(store.setting(setting) or default).render(**fields)
    except (ValueError, LookupError, TypeError) as exc:
        raise InvalidInput(
            _("Pengaturan {setting} tidak dapat dipakai: {error}").format(
                setting=setting, error=exc
            )
        ) from exc


def store_sop_snapshot(store: Store, catalog: Catalog, sop: Sop, now: datetime) -> None:
    """Keep the SOP document a dossier is filed under; refused if edited without a new version."""
    document = catalog.entry(sop.number, sop.version).document_json()
    digest = hashlib.sha256(document.encode("utf-8")).hexdigest()
    store.store_snapshot(sop.number, sop.version, document, digest, now)


class DossierService:
    def __init__(
        self,
        storage: Storage,
        catalog: Catalog,
        calendar: WorkingCalendar,
        clock: Callable[[], datetime],
        seal: PermitSeal | None = None,
    ) -> None:
        self._storage = storage
        self._catalog = catalog
        self._seal = seal  # signs each permit as it is issued; None: printing signs it
        self._calendar = calendar
        self._clock = clock
        self._stored_snapshots: set[tuple[int, int]] = set()
        self._filed: dict[tuple[int, int], Sop] = {}
        self._station_code: str | None = None

    @property
    def catalog(self) -> Catalog:
        return self._catalog

    # --- registration ----------------------------------------------------------------

    def register(self, actor: User, intake: Intake) -> DossierView:
        """File a new dossier; incomplete files are registered as returned."""
        require(actor, Permission.REGISTER_DOSSIER)
        sop = self._sop(intake.sop_number)
        problems = _intake_problems(intake)
        _refuse(problems)
        applicant = _clean(intake.applicant)
        business = _clean_business(intake.business) if intake.business else None
        unknown = intake.received - {r.key for r in sop.requirements}
        if unknown:
            raise InvalidInput(
                _("Persyaratan tidak dikenal untuk SOP {number}: {keys}").format(
                    number=sop.number,
                    keys=", ".join(sorted(key[:MAX_KEY_SHOWN] for key in unknown)),
                )
            )
        now = self._clock()
        if not _aware(now):
            raise ValueError("the service's clock must give aware datetimes")
        _check_times(intake, now)
        # Times go in as UTC, as the database gives them back: the record returned
        # below is then the one `show` reads, with no conversion afterwards.
        now = now.astimezone(UTC)
        # Without a typed start, the dossier was received when its first walked step ended.
        started = (
            intake.started_at or (intake.walked[0].finished_at if intake.walked else now)
        ).astimezone(UTC)
        acting = Acting(actor.id, actor.role)
        checklist = tuple(
            ChecklistItem(r.key, r.name, r.mandatory, r.key in intake.received)
            for r in sop.requirements_for(applicant.kind)
        )
        state, walked_data = self._walk(sop, start(sop, actor=acting, now=started), intake, acting)
        missing = missing_mandatory(checklist)
        if missing:
            state = self._return_files(sop, state, missing, acting, now)
        sicantik_no = intake.sicantik_no.strip() or walked_data.get("sicantik_no", "")
        oss_nib = intake.oss_nib.strip() or walked_data.get("oss_nib", "")
        snapshot = (sop.number, sop.version)
        with self._storage.writing() as store:
            self._ensure_snapshot(store, sop, now)
            if intake.applicant_id is not None:
                applicant = self._check_returning(store, intake.applicant_id, applicant)
            station = self._station(store)
            number = self._next_number(store, sop, station, started)
            applicant_id = intake.applicant_id or store.add_applicant(applicant, now)
            business_id = store.add_business(applicant_id, business) if business else None
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
                sicantik_no=sicantik_no,
                oss_nib=oss_nib,
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
        # Built from what was written rather than read back: the same record that
        # `show` returns (tests/services/test_registration.py holds the two equal).
        record = DossierRecord(
            id=dossier_id,
            number=number,
            sop_number=sop.number,
            sop_version=sop.version,
            applicant=applicant,
            business=business,
            state=state,
            checklist=checklist,
            received_at=started,
            station_code=station,
            created_by=actor.id,
            sicantik_no=sicantik_no,
            oss_nib=oss_nib,
            permit=None,
        )
        # Only now is the snapshot committed: a rolled-back registration must store it again.
        self._stored_snapshots.add(snapshot)
        warnings = tuple(p for p in problems if p.severity is Severity.WARNING)
        return self._view(record, sop, warnings)

    def _walk(
        self, sop: Sop, state: DossierState, intake: Intake, acting: Acting
    ) -> tuple[DossierState, dict[str, str]]:
        entered: dict[str, str] = {}
        for walked in intake.walked:
            if walked.step_no != state.step_no:
                raise InvalidInput(
                    _("Langkah {no} dicatat di luar urutan SOP.").format(no=walked.step_no)
                )
            step = sop.step(walked.step_no)
            if step.kind not in (StepKind.APPLICANT, StepKind.INTAKE):
                raise InvalidInput(
                    _("Hanya langkah pemohon dan penerimaan yang dicatat saat pendaftaran.")
                )
            if walked.action not in WALKABLE_ACTIONS:
                raise InvalidInput(
                    _(
                        "Langkah {no} hanya dapat dicatat selesai atau dilewati saat pendaftaran."
                    ).format(no=walked.step_no)
                )
            data = _step_data(step, walked.data)
            entered.update((k, v) for k, v in data if k in COLUMN_FIELDS and v)
            command = Command(walked.action, data=data)
            finished = walked.finished_at.astimezone(UTC)
            state = self._apply(sop, state, command, acting, finished).after
        return state, entered

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

    @staticmethod
    def _check_returning(store: Store, applicant_id: str, applicant: Applicant) -> Applicant:
        """A returning applicant must be one this database knows, found as the UI found it.

        The dossier keeps the applicant as stored, not as typed this time.
        """
        for query in (applicant.nik, applicant.nib, applicant.name):
            for found, stored in store.find_applicants(query) if query else ():
                if found == applicant_id:
                    return stored
        raise InvalidInput(_("Pemohon yang dipilih tidak ditemukan; cari ulang data pemohon."))

    # --- moving a dossier ------------------------------------------------------------

    def act(
        self,
        actor: User,
        number: str,
        command: Command,
        *,
        seen_version: int | None = None,
        received: Mapping[str, bool] | None = None,
        also: Callable[[Store, DossierRecord, datetime], None] | None = None,
    ) -> DossierView:
        """Apply one workflow action to dossier ``number`` as ``actor``.

        A dossier another user has claimed at its current step moves only by that
        user's hand (or an admin's cancellation); the claim ends with the step.
        ``also`` writes what the caller records with the action (the handover's
        receiver, say) in the same transaction, so neither is kept without the other.
        """
        require(actor, Permission(command.action.value))
        now = self._clock()
        with self._storage.writing() as store:
            record = self._record(store, number)
            if seen_version is not None and seen_version != record.state.version:
                raise WorkflowRefused(
                    _("Berkas telah diubah oleh pengguna lain; muat ulang lalu coba lagi."),
                    "dossier.stale",
                )
            claimed = self._claim_in_force(store, record)
            if (
                claimed is not None
                and claimed.user_id != actor.id
                and command.action is not Action.CANCEL
            ):
                raise WorkflowRefused(
                    _("Berkas {number} sedang dikerjakan oleh {name}.").format(
                        number=record.number, name=claimed.full_name
                    ),
                    "claim.taken",
                )
            sop = self._sop_of(store, record)
            command = replace(
                command, data=_step_data(sop.step(record.state.step_no), command.data)
            )
            self._check_received(record, received)
            self._check_files_complete(sop, record, command, received)
            transition = self._apply(sop, record.state, command, Acting(actor.id, actor.role), now)
            if actor.id == SYSTEM.id:
                ensure_recorded(store, actor, now)
            columns: dict[str, Any] = {}
            if received:
                store.update_checklist(record.id, received)
            if command.action is Action.SIGN:
                permit = self._issue_permit(store, record, sop, actor, now)
                columns["permit_number"] = permit.number
            data = dict(command.data)
            columns.update((key, data[key]) for key in COLUMN_FIELDS if data.get(key))
            store.save_state(record.id, transition.before, transition.after, now, **columns)
            before, after = _state_json(transition.before), _state_json(transition.after)
            details: dict[str, Any] = {
                "reason": command.reason.strip(),
                "target_step": command.target_step,
            }
            details.update(columns)
            audited = dict(details)
            if data:
                audited["data"] = data
            if received:
                audited["received"] = dict(received)
            store.audit(
                at=now,
                user=to_record(actor),
                action=command.action.value,
                entity="dossier",
                entity_id=record.number,
                before=before,
                after={**after, **audited},
            )
            store.enqueue(
                command=command.action.value,
                entity="dossier",
                entity_id=record.id,
                base_version=transition.before.version,
                payload={**details, "data": data, "received": dict(received or {})},
                now=now,
            )
            if claimed is not None:
                store.drop_claim(record.id)
            if also is not None:
                also(store, record, now)
            updated = store.dossier(record.number)
        return self._view(updated, sop)

    @staticmethod
    def _claim_in_force(store: Store, record: DossierRecord) -> ClaimRecord | None:
        """A claim holds only while the dossier is in progress at the claimed step."""
        claim = store.claim_of(record.id)
        if (
            claim is None
            or claim.step_no != record.state.step_no
            or record.state.status is not Status.IN_PROGRESS
        ):
            return None
        return claim

    @staticmethod
    def _check_received(record: DossierRecord, received: Mapping[str, bool] | None) -> None:
        unknown = set(received or {}) - {item.key for item in record.checklist}
        if unknown:
            raise InvalidInput(
                _("Persyaratan tidak ada pada daftar periksa berkas {number}: {keys}").format(
                    number=record.number,
                    keys=", ".join(sorted(key[:MAX_KEY_SHOWN] for key in unknown)),
                )
            )

    @staticmethod
    def _check_files_complete(
        sop: Sop, record: DossierRecord, command: Command, received: Mapping[str, bool] | None
    ) -> None:
        """Files leave the counter only complete: a resumed dossier must bring what was missing."""
        if command.action is not Action.COMPLETE_STEP:
            return
        if sop.step(record.state.step_no).kind not in RETURNABLE_KINDS:
            return
        ticked = dict(received or {})
        checklist = tuple(
            replace(c, received=ticked.get(c.key, c.received)) for c in record.checklist
        )
        missing = missing_mandatory(checklist)
        if missing:
            raise WorkflowRefused(
                _("Berkas belum lengkap: {items}").format(
                    items="; ".join(item.name for item in missing)
                ),
                "files.incomplete",
            )

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
        number = _render(
            store,
            "permit_number_pattern",
            DEFAULT_PERMIT_PATTERN,
            permit_pattern,
            seq=seq,
            code=sop.permit.code,
            year=local.year,
            month=local.month,
            roman_month=roman_month(local.month),
            sop=sop.number,
        )
        years = sop.permit.validity.years
        valid_until = add_years(local.date(), years) if years else None
        permit = Permit(number, now, valid_until, actor.id)
        if self._seal is not None:
            permit = replace(permit, payload=self._seal.payload_if_possible(record, permit))
        store.insert_permit(record.id, permit, actor.id)
        return permit

    # --- reading -----------------------------------------------------------------------

    def show(self, actor: User, number: str) -> DossierView:
        require(actor, Permission.VIEW_DOSSIERS)
        with self._storage.reading() as store:
            record = self._record(store, number)
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
        if not 1 <= limit <= MAX_LIST or offset < 0:
            raise InvalidInput(
                _("Batas daftar harus 1–{limit} dan posisi awal tidak boleh negatif.").format(
                    limit=MAX_LIST
                )
            )
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
            record = self._record(store, number)
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
                for e in store.audit_trail(record.number)
            ]

    # --- helpers -------------------------------------------------------------------------

    def deadlines(self, record: DossierRecord, sop: Sop, now: datetime) -> Deadlines:
        """The dossier's and the current step's due times and how much of each is used.

        The dossier's clock stops when it leaves the office's hands (returned to the
        applicant, rejected, cancelled, or the permit signed): a permit handed over
        a month later was not late.
        """
        dossier_due = self._calendar.due(record.received_at, sop.service_time)
        visit = record.state.current_visit
        if record.state.status is Status.IN_PROGRESS and visit.open:
            dossier_fraction = self._calendar.fraction_used(
                record.received_at, now, sop.service_time
            )
            standard = sop.step(visit.step_no).time
            return Deadlines(
                self._calendar.due(visit.started_at, standard),
                dossier_due,
                self._calendar.fraction_used(visit.started_at, now, standard),
                dossier_fraction,
            )
        stopped = max((v.finished_at for v in record.state.visits if v.finished_at), default=now)
        dossier_fraction = self._calendar.fraction_used(
            record.received_at, stopped, sop.service_time
        )
        return Deadlines(None, dossier_due, 0.0, dossier_fraction)

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
        """The SOP version the dossier was filed under, even if the files moved on.

        The snapshot stored at filing is what the dossier was filed under: it wins
        over a file of the same version whose content was changed afterwards.
        """
        key = (record.sop_number, record.sop_version)
        known = self._filed.get(key)
        if known is not None:
            return known
        document = store.snapshot(*key)
        try:
            entry: CatalogEntry | None = self._catalog.entry(*key)
        except CatalogError:
            entry = None
        source = f"snapshot:SOP{record.sop_number}v{record.sop_version}"
        if entry is not None and document in (None, entry.document_json()):
            sop = entry.sop
        elif document is None:
            raise NotFoundError(
                _(
                    "SOP {number} versi {version} untuk berkas {dossier} tidak ada di "
                    "katalog maupun di basis data."
                ).format(
                    number=record.sop_number, version=record.sop_version, dossier=record.number
                )
            )
        elif entry is None:
            sop = self._catalog.add_snapshot(document, source)
        else:
            sop = parse_sop(json.loads(document), source)
        self._filed[key] = sop
        return sop

    def _ensure_snapshot(self, store: Store, sop: Sop, now: datetime) -> None:
        if (sop.number, sop.version) in self._stored_snapshots:
            return
        store_sop_snapshot(store, self._catalog, sop, now)

    def _station(self, store: Store) -> str:
        """This PC's station code: set once at `loket init`, so read once per process."""
        if self._station_code is None:
            identity = store.identity()
            if identity is None:
                return DEFAULT_STATION
            self._station_code = identity.station_code
        return self._station_code

    def _next_number(self, store: Store, sop: Sop, station: str, when: datetime) -> str:
        local = when.astimezone(self._calendar.tz)
        seq = store.next_counter(dossier_counter_name(sop.key, local.year, station))
        return _render(
            store,
            "dossier_number_pattern",
            DEFAULT_DOSSIER_PATTERN,
            dossier_pattern,
            sop=sop.key,
            year=local.year,
            station=station,
            seq=seq,
            month=local.month,
        )

    @staticmethod
    def _record(store: Store, number: str) -> DossierRecord:
        """A dossier by number as typed: spaces around it are dropped, and a number typed
        in lower case finds the upper-case number of the default pattern."""
        wanted = number.strip()
        if len(wanted) > MAX_NUMBER_CHARS:
            raise NotFoundError(_("Nomor berkas terlalu panjang."))
        for candidate in dict.fromkeys((wanted, wanted.upper())):
            with contextlib.suppress(NotFound):
                return store.dossier(candidate)
        raise NotFoundError(_("Berkas {number} tidak ditemukan.").format(number=wanted))
