"""Documents of a dossier and the register, made from the database's data.

Each method gathers what one document shows (dossier, SOP, office settings),
hands it to the pure builders of :mod:`loket.documents`, and audits the print:
the first receipt of a dossier is the original, every later one a copy
(*SALINAN*), decided in the same transaction that records the print, so two
PCs never both print an original. The back office's documents (the inspection
report, the rejection letter, the unsigned permit draft) are made and audited
the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from loket.catalog import Catalog
from loket.documents import (
    Document,
    ExportFormat,
    InspectionPhoto,
    InspectionReportData,
    Letterhead,
    PageFormat,
    PermitData,
    ReceiptData,
    RegisterHeading,
    RegisterRow,
    RejectionData,
    ReturnSlipData,
    Signer,
    TextBook,
    Verification,
    export_register,
    inspection_report_pdf,
    load_texts,
    page_size,
    permit_pdf,
    receipt_pdf,
    rejection_letter_pdf,
    return_slip_pdf,
    signed_fields,
    team_member,
)
from loket.documents.paths import PLACEHOLDER_LOGO
from loket.domain.calendar import add_years
from loket.domain.dossier import DossierRecord, Outcome, Permit, Status, missing_mandatory
from loket.domain.formatting import OFFICE_TZ
from loket.domain.i18n import _
from loket.domain.roles import Permission
from loket.domain.sop import ApplicantKind, Sop, TimeUnit
from loket.services.attachments import AttachmentService
from loket.services.dossiers import DossierService, DossierView
from loket.services.errors import InvalidInput, NotFoundError, WorkflowRefused
from loket.services.inspections import Inspection, InspectionService
from loket.services.keys import KeyInfo, KeyStore, verify_permit
from loket.services.office import Office, OfficeService
from loket.services.permit_seal import PermitSeal
from loket.services.reports import RegisterQuery, register_rows
from loket.services.users import User, ensure_recorded, require, to_record
from loket.storage.store import Storage, Store

__all__ = [
    "DocumentService",
    "ExportFormat",
    "PageFormat",
    "RegisterQuery",
    "RegisterRow",
    "Verification",
    "page_size",
]

PRINT_RECEIPT = "print_receipt"
PRINT_RETURN_SLIP = "print_return_slip"
PRINT_PERMIT = "print_permit"
PRINT_INSPECTION_REPORT = "print_inspection_report"
PRINT_REJECTION_LETTER = "print_rejection_letter"
PRINT_PERMIT_DRAFT = "print_permit_draft"


def letterhead_of(office: Office) -> Letterhead:
    """The office's settings as a letterhead; no logo set prints the placeholder logo."""
    return Letterhead(
        government=office.government,
        office=office.name,
        address=office.address,
        phone=office.phone,
        email=office.email,
        logo_path=office.logo_path or str(PLACEHOLDER_LOGO),
    )


def signer_of(office: Office) -> Signer:
    return Signer(
        title=office.head_title,
        name=office.head_name,
        rank=office.head_rank,
        nip=office.head_nip,
        city=office.city,
    )


def _identity(record: DossierRecord) -> str:
    applicant = record.applicant
    return " / ".join(value for value in (applicant.nik, applicant.nib) if value)


def _user_name(store: Store, user_id: str | None) -> str:
    if not user_id:
        return ""
    user = store.user(user_id)
    return user.full_name if user else user_id


def _location(record: DossierRecord) -> str:
    """Where the business is, or the applicant's address when there is no business."""
    business = record.business
    return (business.address if business else record.applicant.address).one_line()


def _service_days(view: DossierView) -> int:
    standard = view.sop.service_time
    return standard.amount if standard.unit is TimeUnit.DAY else 1


@dataclass(frozen=True, slots=True)
class _Received:
    received: tuple[str, ...]
    missing: tuple[str, ...]


def _checklist(record: DossierRecord) -> _Received:
    return _Received(
        tuple(item.name for item in record.checklist if item.received),
        tuple(item.name for item in record.checklist if not item.received),
    )


class DocumentService:
    def __init__(
        self,
        storage: Storage,
        catalog: Catalog,
        dossiers: DossierService,
        office: OfficeService,
        clock: Callable[[], datetime],
        data_dir: Path,
    ) -> None:
        self._storage = storage
        self._catalog = catalog
        self._dossiers = dossiers
        self._office = office
        self._clock = clock
        self.keys = KeyStore(data_dir)
        self.seal = PermitSeal(self.keys, office.office)
        self._texts_dir = data_dir / "templates"
        # The back office's records the documents read (the BAP's inspection and photos).
        self._inspections = InspectionService(storage, dossiers, clock)
        self._attachments = AttachmentService(storage, dossiers, data_dir, clock)

    def texts(self) -> TextBook:
        """Read each time: an office editing its texts sees the change at the next print."""
        return load_texts(self._texts_dir)

    # --- the receipt ------------------------------------------------------------------

    def receipt(self, actor: User, number: str, page: PageFormat = PageFormat.A5) -> bytes:
        return self.receipt_document(actor, number, page).pdf

    def receipt_document(
        self, actor: User, number: str, page: PageFormat = PageFormat.A5
    ) -> Document:
        """The receipt; the first print is the original, later ones SALINAN; all audited.

        Only for files taken in complete: a dossier still missing a required item gets
        the return slip, which lists what to bring, not a receipt promising a date.
        """
        view = self._dossiers.show(actor, number)
        record = view.record
        missing = missing_mandatory(record.checklist)
        if missing:
            raise InvalidInput(
                _(
                    "Berkas {number} belum lengkap ({items}); cetak surat pengembalian "
                    "berkas, bukan tanda terima."
                ).format(number=record.number, items="; ".join(item.name for item in missing))
            )
        office = self._office.office()
        texts = self.texts()
        now = self._clock()
        with self._storage.writing() as store:
            printed = sum(1 for e in store.audit_trail(record.number) if e.action == PRINT_RECEIPT)
            items = _checklist(record)
            data = ReceiptData(
                number=record.number,
                sop_number=record.sop_number,
                sop_name=view.sop.name,
                applicant=record.applicant.name,
                identity=_identity(record),
                business=record.business.name if record.business else "",
                business_address=record.business.address.one_line() if record.business else "",
                received_at=record.received_at,
                service_days=_service_days(view),
                promised=view.deadlines.dossier_due,
                officer=_user_name(store, record.created_by),
                received_items=items.received,
                missing_items=items.missing,
                copy=printed > 0,
            )
            # Made inside the transaction: a print that fails to render is not recorded.
            document = receipt_pdf(data, letterhead_of(office), texts, page)
            self._audit_print(store, actor, now, PRINT_RECEIPT, record.number, page, printed + 1)
        return document

    def _audit_print(
        self,
        store: Store,
        actor: User,
        now: datetime,
        action: str,
        number: str,
        page: PageFormat,
        nth: int,
    ) -> None:
        ensure_recorded(store, actor, now)
        store.audit(
            at=now,
            user=to_record(actor),
            action=action,
            entity="dossier",
            entity_id=number,
            before=None,
            after={"format": page.value, "print": nth, "copy": nth > 1},
        )

    # --- the return slip --------------------------------------------------------------

    def return_slip(self, actor: User, number: str) -> bytes:
        return self.return_slip_document(actor, number).pdf

    def return_slip_document(
        self, actor: User, number: str, page: PageFormat = PageFormat.A5
    ) -> Document:
        """What the applicant must still bring: only for a dossier missing mandatory files."""
        view = self._dossiers.show(actor, number)
        record = view.record
        missing = missing_mandatory(record.checklist)
        if not missing:
            raise InvalidInput(
                _(
                    "Berkas {number} sudah lengkap; surat pengembalian hanya untuk berkas "
                    "yang belum lengkap."
                ).format(number=record.number)
            )
        returns = [v for v in record.state.visits if v.outcome is Outcome.RETURNED]
        visit = returns[-1] if returns else None
        now = self._clock()
        with self._storage.writing() as store:
            officer = _user_name(store, visit.user_id) if visit else actor.full_name
            data = ReturnSlipData(
                number=record.number,
                sop_number=record.sop_number,
                sop_name=view.sop.name,
                applicant=record.applicant.name,
                business=record.business.name if record.business else "",
                returned_at=(visit.finished_at or now) if visit else now,
                officer=officer,
                reason=visit.reason if visit else "",
                missing_items=tuple(item.name for item in missing),
                received_items=_checklist(record).received,
            )
            document = return_slip_pdf(
                data, letterhead_of(self._office.office()), self.texts(), page
            )
            nth = self._prints(store, record.number, PRINT_RETURN_SLIP) + 1
            self._audit_print(store, actor, now, PRINT_RETURN_SLIP, record.number, page, nth)
        return document

    # --- the permit -------------------------------------------------------------------

    def permit(self, actor: User, number: str) -> bytes:
        return self.permit_document(actor, number).pdf

    def permit_document(self, actor: User, number: str) -> Document:
        view = self._dossiers.show(actor, number)
        record, sop = view.record, view.sop
        permit = record.permit
        if permit is None:
            raise WorkflowRefused(
                _("Izin untuk berkas {number} belum terbit (belum ditandatangani).").format(
                    number=record.number
                ),
                "permit.not_issued",
            )
        # Signed at issue; a permit issued before this PC had a key is sealed now, once.
        sealing = "" if permit.payload else self.seal.payload(record, permit)
        office = self._office.office()
        texts = self.texts()
        now = self._clock()
        with self._storage.writing() as store:
            # Another PC may have sealed it meanwhile: print what is kept, not our own.
            payload = permit.payload or store.seal_permit(record.id, sealing)
            data = self._permit_data(record, sop, permit, payload, office)
            nth = self._prints(store, record.number, PRINT_PERMIT) + 1
            # The first print is the permit; every later one says SALINAN across it.
            copy_mark = texts["receipt"]["copy_mark"] if nth > 1 else ""
            document = permit_pdf(data, letterhead_of(office), texts, copy_mark=copy_mark)
            self._audit_print(store, actor, now, PRINT_PERMIT, record.number, PageFormat.A4, nth)
        return document

    @staticmethod
    def _permit_data(
        record: DossierRecord, sop: Sop, permit: Permit, payload: str, office: Office
    ) -> PermitData:
        """The page shows what was signed: holder, business, place and signer from the payload.

        A permit sealed before payloads named their signer, or signed while the
        office's identity named no head, shows the head the identity names now.
        """
        fields = signed_fields(payload)
        signer = signer_of(office)
        if fields.get("g"):
            signer = replace(
                signer, name=fields["g"], rank=fields.get("r", ""), nip=fields.get("p", "")
            )
        business = record.business
        return PermitData(
            sop_number=sop.number,
            title=sop.permit.title,
            legal_basis=sop.legal_basis,
            number=fields["n"],
            holder=fields["h"],
            representative=record.applicant.representative,
            identity=_identity(record),
            business=fields["b"],
            kbli=business.kbli if business else "",
            location=fields["l"],
            issued_at=permit.issued_at,
            valid_until=permit.valid_until,
            reregistration_years=sop.permit.validity.reregistration_years,
            dossier_number=record.number,
            signer=signer,
            payload=payload,
        )

    def permit_draft(self, actor: User, number: str) -> bytes:
        return self.permit_draft_document(actor, number).pdf

    def permit_draft_document(self, actor: User, number: str) -> Document:
        """The permit as it would be printed, for the Back Office to check before signing.

        No number is taken (numbers are gapless and issued at signing) and nothing is
        signed: the draft carries a placeholder and a DRAF watermark instead.
        """
        view = self._dossiers.show(actor, number)
        record, sop = view.record, view.sop
        if record.permit is not None:
            raise WorkflowRefused(
                _(
                    "Izin berkas {number} sudah ditandatangani (nomor {permit}); draf hanya "
                    "dibuat sebelum penandatanganan. Cetak izin yang telah terbit."
                ).format(number=record.number, permit=record.permit.number),
                "permit.draft_signed",
            )
        if record.state.status in (Status.REJECTED, Status.CANCELLED):
            raise WorkflowRefused(
                _("Berkas {number} berstatus {status}; draf izin tidak dibuat.").format(
                    number=record.number, status=record.state.status.label.lower()
                ),
                "permit.draft_closed",
            )
        now = self._clock()
        years = sop.permit.validity.years
        today = now.astimezone(OFFICE_TZ).date()
        office = self._office.office()
        business = record.business
        data = PermitData(
            sop_number=sop.number,
            title=sop.permit.title,
            legal_basis=sop.legal_basis,
            number="",
            holder=record.applicant.name,
            representative=record.applicant.representative,
            identity=_identity(record),
            business=business.name if business else "",
            kbli=business.kbli if business else "",
            location=_location(record),
            issued_at=now,
            valid_until=add_years(today, years) if years else None,
            reregistration_years=sop.permit.validity.reregistration_years,
            dossier_number=record.number,
            signer=signer_of(office),
            payload="",
        )
        with self._storage.writing() as store:
            nth = self._prints(store, record.number, PRINT_PERMIT_DRAFT) + 1
            document = permit_pdf(data, letterhead_of(office), self.texts(), draft=True)
            self._audit_print(
                store, actor, now, PRINT_PERMIT_DRAFT, record.number, PageFormat.A4, nth
            )
        return document

    # --- the back office's documents --------------------------------------------------

    @staticmethod
    def _prints(store: Store, number: str, action: str) -> int:
        return sum(1 for e in store.audit_trail(number) if e.action == action)

    def inspection_report(self, actor: User, number: str) -> bytes:
        return self.inspection_report_document(actor, number).pdf

    def inspection_report_document(self, actor: User, number: str) -> Document:
        """The BAP of the dossier's latest recorded field inspection."""
        view = self._dossiers.show(actor, number)
        record = view.record
        inspection = self._recorded_inspection(actor, record.number)
        assert inspection.inspected_on is not None  # _recorded_inspection refused otherwise
        office = self._office.office()
        data = InspectionReportData(
            number=record.number,
            sop_number=record.sop_number,
            sop_name=view.sop.name,
            applicant=record.applicant.name,
            identity=_identity(record),
            business=record.business.name if record.business else "",
            location=_location(record),
            inspected_on=inspection.inspected_on,
            team=tuple(team_member(m) for m in inspection.team),
            findings=inspection.findings,
            recommendation=inspection.recommendation,
            photos=self._inspection_photos(actor, record.number, inspection),
            city=office.city,
        )
        now = self._clock()
        with self._storage.writing() as store:
            nth = self._prints(store, record.number, PRINT_INSPECTION_REPORT) + 1
            document = inspection_report_pdf(data, letterhead_of(office), self.texts())
            self._audit_print(
                store, actor, now, PRINT_INSPECTION_REPORT, record.number, PageFormat.A4, nth
            )
        return document

    def _recorded_inspection(self, actor: User, number: str) -> Inspection:
        """The last inspection with a report; one only scheduled has nothing to print."""
        recorded = [i for i in self._inspections.of(actor, number) if i.recorded]
        if not recorded:
            raise WorkflowRefused(
                _(
                    "Belum ada Berita Acara Pemeriksaan untuk berkas {number}: hasil "
                    "pemeriksaan lapangan belum dicatat oleh Tim Teknis."
                ).format(number=number),
                "inspection.not_recorded",
            )
        return recorded[-1]

    def _inspection_photos(
        self, actor: User, number: str, inspection: Inspection
    ) -> tuple[InspectionPhoto, ...]:
        """The report's photos; a file missing (or damaged) in the data folder has no
        content, so the report names it with a note instead of failing."""
        attached = {a.sha256: a for a in self._attachments.list(actor, number)}
        photos = []
        for sha256 in inspection.photos:
            attachment = attached.get(sha256)
            if attachment is None:  # recorded photos are attachments; never detached
                continue
            try:
                content: bytes | None = self._attachments.content(actor, number, sha256)
            except NotFoundError:
                content = None
            photos.append(
                InspectionPhoto(
                    attachment.filename, attachment.kind, attachment.media_type, content
                )
            )
        return tuple(photos)

    def rejection_letter(self, actor: User, number: str) -> bytes:
        return self.rejection_letter_document(actor, number).pdf

    def rejection_letter_document(self, actor: User, number: str) -> Document:
        """The letter of refusal, with the reason given at rejection; only when rejected."""
        view = self._dossiers.show(actor, number)
        record = view.record
        if record.state.status is not Status.REJECTED:
            raise WorkflowRefused(
                _(
                    "Berkas {number} tidak ditolak (status: {status}); surat penolakan hanya "
                    "dibuat untuk berkas yang ditolak."
                ).format(number=record.number, status=record.state.status.label.lower()),
                "rejection.not_rejected",
            )
        rejections = [v for v in record.state.visits if v.outcome is Outcome.REJECTED]
        visit = rejections[-1] if rejections else None
        now = self._clock()
        office = self._office.office()
        data = RejectionData(
            number=record.number,
            sop_number=record.sop_number,
            sop_name=view.sop.name,
            permit_title=view.sop.permit.title,
            applicant=record.applicant.name,
            applicant_address=record.applicant.address.one_line(),
            business=record.business.name if record.business else "",
            location=_location(record),
            received_at=record.received_at,
            rejected_at=(visit.finished_at or now) if visit else now,
            reason=visit.reason if visit else "",
            signer=signer_of(office),
            company=record.applicant.kind is ApplicantKind.COMPANY,
        )
        with self._storage.writing() as store:
            nth = self._prints(store, record.number, PRINT_REJECTION_LETTER) + 1
            document = rejection_letter_pdf(data, letterhead_of(office), self.texts())
            self._audit_print(
                store, actor, now, PRINT_REJECTION_LETTER, record.number, PageFormat.A4, nth
            )
        return document

    # --- the register -----------------------------------------------------------------

    def register_rows(self, actor: User, query: RegisterQuery) -> Iterator[RegisterRow]:
        require(actor, Permission.VIEW_DOSSIERS)
        return register_rows(self._storage, self._catalog, query)

    def register(self, actor: User, query: RegisterQuery, fmt: ExportFormat) -> bytes:
        require(actor, Permission.VIEW_DOSSIERS)
        query.check()
        heading = RegisterHeading(
            start=query.start,
            end=query.end,
            sop=self._sop_label(query.sop),
            status=query.status.label if query.status else "",
            printed_at=self._clock(),
            step_columns=max((len(s.steps) for s in self._catalog.latest()), default=1),
        )
        data = export_register(
            register_rows(self._storage, self._catalog, query), heading, self.texts(), fmt
        )
        now = self._clock()
        with self._storage.writing() as store:
            ensure_recorded(store, actor, now)
            store.audit(
                at=now,
                user=to_record(actor),
                action="export_register",
                entity="register",
                entity_id=fmt.value,
                before=None,
                after={
                    "start": query.start.isoformat() if query.start else None,
                    "end": query.end.isoformat() if query.end else None,
                    "sop": query.sop,
                    "status": query.status.value if query.status else None,
                    "format": fmt.value,
                },
            )
        return data

    def _sop_label(self, number: int | None) -> str:
        if number is None:
            return ""
        try:
            return f"{number} — {self._catalog.get(number).name}"
        except LookupError:
            return str(number)

    # --- verification and keys ---------------------------------------------------------

    def verify(self, payload_or_pdf: bytes | str) -> Verification:
        """Check a permit offline against this office's trusted keys (see ``verify_permit``)."""
        return verify_permit(payload_or_pdf, self.keys.trusted_keys())

    def init_key(self, actor: User) -> KeyInfo:
        require(actor, Permission.MANAGE_SETTINGS)
        info = self.keys.init()
        if info.created:
            now = self._clock()
            with self._storage.writing() as store:
                ensure_recorded(store, actor, now)
                store.audit(
                    at=now,
                    user=to_record(actor),
                    action="signing_key_init",
                    entity="setting",
                    entity_id="signing_key",
                    before=None,
                    after={"key_id": info.key_id},
                )
        return info

    def public_key_pem(self) -> bytes:
        return self.keys.public_key_pem()
