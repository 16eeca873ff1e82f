"""The back office's step screen inside the dossier view.

What the step offers comes from the step itself: its fields (from the SOP), and
the actions its kind needs (``loket.domain.roles.needed_at``) that the user's role
may take (``may``). The step service decides and its refusal is shown; nothing
here decides whether a dossier may move. Back Office attaches scans and previews
the draft permit; Tim Teknis schedules and records the field inspection (BAP).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loket.domain.dossier import Status
from loket.domain.i18n import _
from loket.domain.roles import Permission, Role, needed_at
from loket.domain.sop import FieldType, Step, StepField, StepKind
from loket.services.attachments import Attachment
from loket.services.dossiers import DossierView
from loket.services.errors import ServiceError
from loket.services.inspections import Inspection
from loket.services.steps import SignatureResult
from ui.forms import MessageLine
from ui.models import time_text
from ui.pdfview import MakePdf, PdfPreviewDialog
from ui.session import Session, message_for

#: The roles whose dossier view carries this step screen (the counter has its own).
STEP_ROLES = frozenset(
    {
        Role.BACK_OFFICE,
        Role.TIM_TEKNIS,
        Role.KASI_PERIZINAN,
        Role.KABID_PERIZINAN,
        Role.SEKRETARIAT,
        Role.KEPALA_DINAS,
    }
)
CHECKED = "ya"
SCAN_KIND = "scan"
PHOTO_KIND = "foto_lapangan"
MAX_ATTACH_FILES = 20


def attachment_text(attachment: Attachment) -> str:
    return _("{name} · {kind} · {size} KB · SHA-256 {hash}").format(
        name=attachment.filename,
        kind=attachment.kind,
        size=max(1, round(attachment.size / 1024)),
        hash=attachment.sha256[:16],
    )


class FieldEditor:
    """One of the step's own fields (SOP ``fields``) and its value as the service wants it."""

    def __init__(self, spec: StepField, today: date) -> None:
        self.spec = spec
        self.widget: QWidget
        if spec.type is FieldType.DATE:
            editor = QDateEdit(QDate(today.year, today.month, today.day))
            editor.setCalendarPopup(True)
            editor.setDisplayFormat("yyyy-MM-dd")
            self.widget = editor
        elif spec.type is FieldType.CHECK:
            self.widget = QCheckBox()
        else:
            line = QLineEdit()
            line.setMaxLength(4000)
            line.setPlaceholderText(spec.help)
            self.widget = line
        self.widget.setToolTip(spec.help)

    def value(self) -> str:
        widget = self.widget
        if isinstance(widget, QDateEdit):
            return widget.date().toString("yyyy-MM-dd")
        if isinstance(widget, QCheckBox):
            return CHECKED if widget.isChecked() else ""
        assert isinstance(widget, QLineEdit)
        return widget.text()

    def set_value(self, text: str) -> None:
        widget = self.widget
        if isinstance(widget, QDateEdit):
            widget.setDate(QDate.fromString(text, "yyyy-MM-dd"))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(text))
        elif isinstance(widget, QLineEdit):
            widget.setText(text)

    def label(self) -> str:
        return f"{self.spec.label} *" if self.spec.required else self.spec.label


class StepPanel(QWidget):
    """Approve, send back, reject or sign the dossier's current step, and the step's tools."""

    acted = Signal(object)  # DossierView after the action

    def __init__(
        self,
        session: Session,
        parent: QWidget | None = None,
        signed_message: MessageLine | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.view: DossierView | None = None
        self.editors: list[FieldEditor] = []
        self.preview: PdfPreviewDialog | None = None
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.fields_box = QGroupBox(_("Isian langkah"))
        self.fields_form = QFormLayout(self.fields_box)
        self.approve_button = QPushButton(_("&Setujui langkah"))
        self.sign_button = QPushButton(_("Tanda&tangani izin"))
        self.target = QComboBox()
        self.reason = QLineEdit()
        self.reason.setMaxLength(2000)
        self.reason.setPlaceholderText(_("Alasan (wajib untuk kirim balik dan tolak)"))
        self.send_back_button = QPushButton(_("&Kirim balik ke langkah"))
        self.reject_button = QPushButton(_("T&olak permohonan"))
        self.approve_button.clicked.connect(self.approve)
        self.sign_button.clicked.connect(self.sign)
        self.send_back_button.clicked.connect(self.send_back)
        self.reject_button.clicked.connect(self.reject)
        self.message = MessageLine()
        #: Where the outcome of signing is shown (the dossier view's line: this tab closes).
        self.signed_message = signed_message or self.message
        self.tools = ToolsPanel(session, self.message, self._show_pdf)
        decide = QHBoxLayout()
        decide.addWidget(self.approve_button)
        decide.addWidget(self.sign_button)
        decide.addStretch(1)
        self.decide_box = QGroupBox(_("Kirim balik atau tolak"))
        refuse = QFormLayout(self.decide_box)
        refuse.addRow(_("Alasan:"), self.reason)
        back = QHBoxLayout()
        back.addWidget(self.target, 1)
        back.addWidget(self.send_back_button)
        refuse.addRow(_("Kembali ke:"), back)
        reject = QHBoxLayout()
        reject.addWidget(self.reject_button)
        reject.addStretch(1)
        refuse.addRow("", reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.fields_box)
        layout.addLayout(decide)
        layout.addWidget(self.decide_box)
        layout.addWidget(self.message)
        layout.addWidget(self.tools)
        layout.addStretch(1)

    # --- what is offered ------------------------------------------------------------

    def offers(self, view: DossierView | None) -> bool:
        """Whether this user works the dossier's current step (and so sees this screen)."""
        if view is None or self.session.user.role not in STEP_ROLES:
            return False
        step = view.sop.step(view.record.state.step_no)
        return view.record.state.status is Status.IN_PROGRESS and self.session.user.role.acts_as(
            step.acting_role
        )

    def show_view(self, view: DossierView) -> None:
        self.view = view
        step = view.sop.step(view.record.state.step_no)
        self.heading.setText(
            _("Langkah {no}: {activity} (standar {time})").format(
                no=step.no, activity=step.activity, time=time_text(step.time)
            )
        )
        self._fields(step)
        needed, may = needed_at(step), self.session.may
        signing = Permission.SIGN in needed
        self.approve_button.setVisible(not signing and may(Permission.COMPLETE_STEP))
        self.sign_button.setVisible(signing and may(Permission.SIGN))
        can_send_back = Permission.SEND_BACK in needed and may(Permission.SEND_BACK)
        can_reject = Permission.REJECT in needed and may(Permission.REJECT)
        self.decide_box.setVisible(can_send_back or can_reject)
        self.send_back_button.setVisible(can_send_back)
        self.target.setVisible(can_send_back)
        self.reject_button.setVisible(can_reject)
        self.target.clear()
        for earlier in view.sop.send_back_targets(step.no):
            self.target.addItem(f"{earlier.no}. {earlier.activity}", earlier.no)
        self.reason.clear()
        self.message.clear_message()
        self.tools.show_view(view)

    def _fields(self, step: Step) -> None:
        while self.fields_form.rowCount():
            self.fields_form.removeRow(0)
        today = self.session.loket.clock().astimezone(self.session.loket.calendar.tz).date()
        self.editors = [FieldEditor(spec, today) for spec in step.fields]
        for editor in self.editors:
            self.fields_form.addRow(editor.label(), editor.widget)
        self.fields_box.setVisible(bool(self.editors))

    def field(self, key: str) -> FieldEditor:
        return next(e for e in self.editors if e.spec.key == key)

    def values(self) -> tuple[tuple[str, str], ...]:
        return tuple((e.spec.key, e.value()) for e in self.editors if e.value().strip())

    # --- actions ----------------------------------------------------------------------

    def _act(
        self, work: Callable[[], DossierView], after: Callable[[], None] | None = None
    ) -> None:
        def done(view: DossierView) -> None:
            self.acted.emit(view)
            if after is not None:
                after()

        self.session.tasks.write(
            work, done, lambda error: self.message.show_error(message_for(error))
        )

    def approve(self) -> None:
        if self.view is None:
            return
        steps, user, number = (
            self.session.loket.back_office.steps,
            self.session.user,
            self._number(),
        )
        data = self.values()
        self._act(lambda: steps.approve(user, number, data))

    def send_back(self) -> None:
        if self.view is None:
            return
        steps, user, number = (
            self.session.loket.back_office.steps,
            self.session.user,
            self._number(),
        )
        target, reason = int(self.target.currentData() or 0), self.reason.text()
        self._act(lambda: steps.send_back(user, number, target, reason))

    def reject(self) -> None:
        if self.view is None:
            return
        steps, user, number = (
            self.session.loket.back_office.steps,
            self.session.user,
            self._number(),
        )
        reason = self.reason.text()
        self._act(lambda: steps.reject(user, number, reason), lambda: self.rejection_letter(number))

    def rejection_letter(self, number: str) -> None:
        documents, user = self.session.loket.documents, self.session.user
        self._show_pdf(
            _("Surat penolakan"),
            number,
            lambda: bytes(documents.rejection_letter(user, number)),
        )

    def sign(self) -> None:
        """Kepala Dinas: the permit number is issued, the signer signs, the PDF is shown.

        A permit that cannot be rendered (no signing key yet, say) does not undo the
        signature: the dossier is shown as signed and the reason to print later is given.
        """
        if self.view is None or not self.session.may(Permission.SIGN):
            return
        loket, user, number = self.session.loket, self.session.user, self._number()
        data = self.values()
        signed: list[SignatureResult] = []
        late: list[str] = []

        def work() -> DossierView:
            try:
                view, result = loket.back_office.steps.sign(
                    user, number, lambda n: loket.documents.permit(user, n), data
                )
            except ServiceError as error:
                view = loket.dossiers.show(user, number)
                if view.record.permit is None:
                    raise
                late.append(message_for(error))
                return view
            if result is not None:
                signed.append(result)
            return view

        def after() -> None:
            if late:
                self.signed_message.show_warning(
                    _("Izin ditandatangani, tetapi belum dapat dicetak: {reason}").format(
                        reason=late[0]
                    )
                )
            if signed:
                pdf = signed[0].pdf
                self._show_pdf(_("Izin yang ditandatangani"), number, lambda: pdf)

        self._act(work, after)

    def _number(self) -> str:
        assert self.view is not None
        return self.view.record.number

    def _show_pdf(self, title: str, number: str, make: MakePdf) -> None:
        if self.preview is not None:
            self.preview.close()
            self.preview.deleteLater()
        self.preview = PdfPreviewDialog(self.session, title, number, make, self.window())
        self.preview.show()


class ToolsPanel(QWidget):
    """The step's tools by role: scans and the draft permit, or the field inspection."""

    def __init__(
        self,
        session: Session,
        message: MessageLine,
        show_pdf: Callable[[str, str, MakePdf], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self.message, self.show_pdf = session, message, show_pdf
        self.number = ""
        role = session.user.role
        self.attachments_box = QGroupBox(_("Lampiran (pindaian)"))
        self.attachments = QListWidget()
        self.attachments.setMaximumHeight(110)
        self.attach_button = QPushButton(_("&Lampirkan pindaian…"))
        self.attach_button.clicked.connect(self.choose_files)
        self.draft_button = QPushButton(_("&Pratinjau draf izin"))
        self.draft_button.clicked.connect(self.draft_permit)
        self.draft_button.setVisible(role is Role.BACK_OFFICE)
        box = QVBoxLayout(self.attachments_box)
        box.addWidget(self.attachments)
        row = QHBoxLayout()
        row.addWidget(self.attach_button)
        row.addWidget(self.draft_button)
        row.addStretch(1)
        box.addLayout(row)
        self.inspection = InspectionBox(session, message, show_pdf, self.attach)
        self.inspection.setVisible(role is Role.TIM_TEKNIS)
        self.attachments_box.setVisible(role in (Role.BACK_OFFICE, Role.TIM_TEKNIS))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.attachments_box)
        layout.addWidget(self.inspection)

    def show_view(self, view: DossierView) -> None:
        self.number = view.record.number
        step = view.sop.step(view.record.state.step_no)
        self.inspection.setVisible(
            self.session.user.role is Role.TIM_TEKNIS and step.kind is StepKind.INSPECTION
        )
        self.load()

    def load(self) -> None:
        if not self.number or not self.attachments_box.isVisibleTo(self):
            return
        loket, user, number = self.session.loket, self.session.user, self.number
        self.session.tasks.read(
            lambda: loket.back_office.attachments.list(user, number),
            self._listed,
            lambda error: self.message.show_error(message_for(error)),
        )
        if self.inspection.isVisibleTo(self):
            self.inspection.load(number)

    def _listed(self, attachments: list[Attachment]) -> None:
        self.attachments.clear()
        for attachment in attachments:
            item = QListWidgetItem(attachment_text(attachment))
            item.setData(Qt.ItemDataRole.UserRole, attachment.sha256)
            self.attachments.addItem(item)
        self.inspection.set_photos(attachments)

    def choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self,
            _("Pilih pindaian"),
            "",
            _("PDF atau gambar (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"),
        )
        if names:
            self.attach([Path(n) for n in names], SCAN_KIND)

    def attach(self, paths: Sequence[Path], kind: str) -> None:
        """Attach each file (read off the UI thread); a bad one is named, the others kept."""
        if not self.number:
            return
        if len(paths) > MAX_ATTACH_FILES:
            self.message.show_error(
                _("Paling banyak {limit} berkas sekaligus.").format(limit=MAX_ATTACH_FILES)
            )
            return
        loket, user, number = self.session.loket, self.session.user, self.number
        service = loket.back_office.attachments

        def work() -> list[Attachment]:
            return [service.attach(user, number, p.read_bytes(), p.name, kind) for p in paths]

        def done(added: list[Attachment]) -> None:
            self.message.show_ok(_("{count} lampiran tersimpan.").format(count=len(added)))
            self.load()

        self.session.tasks.write(
            work, done, lambda error: self.message.show_error(message_for(error))
        )

    def draft_permit(self) -> None:
        documents, user, number = self.session.loket.documents, self.session.user, self.number
        self.show_pdf(_("Draf izin"), number, lambda: bytes(documents.permit_draft(user, number)))


class InspectionBox(QGroupBox):
    """Tim Teknis: schedule the field visit, then record the Berita Acara Pemeriksaan."""

    def __init__(
        self,
        session: Session,
        message: MessageLine,
        show_pdf: Callable[[str, str, MakePdf], None],
        attach: Callable[[Sequence[Path], str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Pemeriksaan lapangan (BAP)"), parent)
        self.session, self.message, self.show_pdf, self.attach = session, message, show_pdf, attach
        self.number = ""
        today = session.loket.clock().astimezone(session.loket.calendar.tz).date()
        self.state = QLabel()
        self.scheduled_on = QDateEdit(QDate(today.year, today.month, today.day))
        self.inspected_on = QDateEdit(QDate(today.year, today.month, today.day))
        for editor in (self.scheduled_on, self.inspected_on):
            editor.setCalendarPopup(True)
            editor.setDisplayFormat("yyyy-MM-dd")
        self.team = QPlainTextEdit()
        self.team.setPlaceholderText(_("Satu nama anggota tim per baris"))
        self.team.setMaximumHeight(70)
        self.findings = QPlainTextEdit()
        self.findings.setMaximumHeight(80)
        self.recommendation = QLineEdit()
        self.recommendation.setMaxLength(4000)
        self.photos = QListWidget()
        self.photos.setMaximumHeight(80)
        self.schedule_button = QPushButton(_("&Jadwalkan"))
        self.photo_button = QPushButton(_("Lampirkan &foto…"))
        self.record_button = QPushButton(_("Simpan &BAP"))
        self.print_button = QPushButton(_("Cetak B&AP"))
        self.schedule_button.clicked.connect(self.schedule)
        self.photo_button.clicked.connect(self.choose_photos)
        self.record_button.clicked.connect(self.record)
        self.print_button.clicked.connect(self.print_report)
        layout = QFormLayout(self)
        layout.addRow(self.state)
        when = QHBoxLayout()
        when.addWidget(self.scheduled_on)
        when.addWidget(self.schedule_button)
        when.addStretch(1)
        layout.addRow(_("Jadwal:"), when)
        layout.addRow(_("Anggota tim:"), self.team)
        layout.addRow(_("Tanggal pemeriksaan:"), self.inspected_on)
        layout.addRow(_("Temuan:"), self.findings)
        layout.addRow(_("Rekomendasi:"), self.recommendation)
        photos = QHBoxLayout()
        photos.addWidget(self.photos, 1)
        photos.addWidget(self.photo_button)
        layout.addRow(_("Foto:"), photos)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        layout.addRow("", buttons)

    def load(self, number: str) -> None:
        self.number = number
        loket, user = self.session.loket, self.session.user
        self.session.tasks.read(
            lambda: loket.back_office.inspections.of(user, number),
            self._loaded,
            lambda error: self.message.show_error(message_for(error)),
        )

    def _loaded(self, inspections: list[Inspection]) -> None:
        if not inspections:
            self.state.setText(_("Belum dijadwalkan."))
            return
        last = inspections[-1]
        if last.inspected_on is not None:
            self.state.setText(
                _("BAP dicatat untuk pemeriksaan {day}.").format(day=last.inspected_on.isoformat())
            )
        else:
            self.state.setText(_("Dijadwalkan {day}.").format(day=last.scheduled_on.isoformat()))
        if not self.team.toPlainText().strip():
            self.team.setPlainText("\n".join(last.team))

    def set_photos(self, attachments: Sequence[Attachment]) -> None:
        self.photos.clear()
        for attachment in attachments:
            if not attachment.media_type.startswith("image/"):
                continue
            item = QListWidgetItem(f"{attachment.filename} · {attachment.sha256[:12]}")
            item.setData(Qt.ItemDataRole.UserRole, attachment.sha256)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if attachment.kind == PHOTO_KIND else Qt.CheckState.Unchecked
            )
            self.photos.addItem(item)

    def members(self) -> list[str]:
        return [line for line in self.team.toPlainText().splitlines() if line.strip()]

    def chosen_photos(self) -> list[str]:
        chosen = []
        for row in range(self.photos.count()):
            item = self.photos.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                chosen.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return chosen

    def schedule(self) -> None:
        loket, user, number = self.session.loket, self.session.user, self.number
        on, team = self.scheduled_on.date().toPython(), self.members()
        assert isinstance(on, date)
        self._write(
            lambda: loket.back_office.inspections.schedule(user, number, on, team),
            _("Pemeriksaan dijadwalkan."),
        )

    def record(self) -> None:
        loket, user, number = self.session.loket, self.session.user, self.number
        on = self.inspected_on.date().toPython()
        assert isinstance(on, date)
        team, photos = self.members(), self.chosen_photos()
        findings, recommendation = self.findings.toPlainText(), self.recommendation.text()
        self._write(
            lambda: loket.back_office.inspections.record(
                user,
                number,
                inspected_on=on,
                team=team,
                findings=findings,
                recommendation=recommendation,
                photos=photos,
            ),
            _("Berita Acara Pemeriksaan tersimpan."),
        )

    def _write(self, work: Callable[[], Inspection], done: str) -> None:
        def finished(_inspection: Inspection) -> None:
            self.message.show_ok(done)
            self.load(self.number)

        self.session.tasks.write(
            work, finished, lambda error: self.message.show_error(message_for(error))
        )

    def choose_photos(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self, _("Pilih foto pemeriksaan"), "", _("Gambar (*.png *.jpg *.jpeg)")
        )
        if names:
            self.attach([Path(n) for n in names], PHOTO_KIND)

    def print_report(self) -> None:
        documents, user, number = self.session.loket.documents, self.session.user, self.number
        self.show_pdf(
            _("Berita Acara Pemeriksaan"),
            number,
            lambda: bytes(documents.inspection_report(user, number)),
        )
