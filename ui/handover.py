"""Handing the permit over at the counter: find the dossier, record who receives it, print.

The Front Office scans (or types) the dossier number, enters the receiver's name
and identity number, and the step service records the handover. The permit is
then offered for printing and the satisfaction survey is offered on this PC.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loket.domain.dossier import Status
from loket.domain.i18n import _
from loket.domain.roles import Permission
from loket.services.dossiers import DossierView
from loket.services.steps import HandoverRecord
from ui.documents import Kind
from ui.forms import MessageLine
from ui.session import Session, message_for
from ui.survey import SurveyDialog


class HandoverPanel(QWidget):
    """Scan, check, record the receiver, print the permit, then the survey."""

    document_requested = Signal(str, str)  # kind, number
    handed_over = Signal(object)  # HandoverRecord

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.view: DossierView | None = None
        self.survey: SurveyDialog | None = None
        self.record: HandoverRecord | None = None
        heading = QLabel(_("Penyerahan izin"))
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        heading.setFont(font)
        self.number = QLineEdit()
        self.number.setMaxLength(64)
        self.number.setPlaceholderText(_("Pindai atau ketik nomor berkas, lalu Enter"))
        self.number.returnPressed.connect(self.find_dossier)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.receiver = QLineEdit()
        self.receiver.setMaxLength(200)
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(32)
        self.message = MessageLine()
        self.hand_button = QPushButton(_("&Serahkan dan cetak izin"))
        self.survey_button = QPushButton(_("Isi s&urvei kepuasan"))
        self.hand_button.clicked.connect(self.hand_over)
        self.survey_button.clicked.connect(self.open_survey)
        self.hand_button.setEnabled(False)
        self.survey_button.setEnabled(False)
        form = QFormLayout()
        form.addRow(_("Nomor berkas:"), self.number)
        form.addRow("", self.facts)
        form.addRow(_("Nama penerima:"), self.receiver)
        form.addRow(_("NIK/No. KTP penerima:"), self.id_number)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hand_button)
        buttons.addWidget(self.survey_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def focus_number(self) -> None:
        self.number.setFocus()
        self.number.selectAll()

    def find_dossier(self) -> None:
        loket, user, number = self.session.loket, self.session.user, self.number.text()
        self.session.tasks.read(
            lambda: loket.dossiers.show(user, number), self.show_view, self._failed
        )

    def show_view(self, view: DossierView) -> None:
        self.view = view
        record = view.record
        permit = record.permit.number if record.permit else "-"
        self.facts.setText(
            _("{number} — {status}\nPemohon: {name}\nNomor izin: {permit}").format(
                number=record.number,
                status=record.state.status.label,
                name=record.applicant.name,
                permit=permit,
            )
        )
        ready = record.state.status is Status.ISSUED and self.session.may(Permission.HAND_OVER)
        self.hand_button.setEnabled(ready)
        self.survey_button.setEnabled(record.state.status is Status.HANDED_OVER)
        if ready and not self.receiver.text():
            self.receiver.setText(record.applicant.representative or record.applicant.name)
        if ready:
            self.message.clear_message()
            self.receiver.setFocus()
        else:
            self.message.show_warning(
                _("Izin berkas ini tidak menunggu penyerahan ({status}).").format(
                    status=record.state.status.label
                )
            )

    def _failed(self, error: BaseException) -> None:
        self.message.show_error(message_for(error))

    def hand_over(self) -> None:
        if self.view is None:
            return
        steps, user = self.session.loket.back_office.steps, self.session.user
        number, name, id_number = (
            self.view.record.number,
            self.receiver.text(),
            self.id_number.text(),
        )
        self.session.tasks.write(
            lambda: steps.hand_over(user, number, name, id_number), self._handed, self._failed
        )

    def _handed(self, record: HandoverRecord) -> None:
        self.record = record
        self.hand_button.setEnabled(False)
        self.survey_button.setEnabled(True)
        self.message.show_ok(
            _("Izin {number} diserahkan kepada {name}.").format(
                number=record.number, name=record.receiver_name
            )
        )
        self.handed_over.emit(record)
        self.document_requested.emit(Kind.PERMIT.value, record.number)

    def open_survey(self) -> None:
        number = (
            self.record.number if self.record else (self.view.record.number if self.view else "")
        )
        if not number:
            return
        if self.survey is not None:
            self.survey.deleteLater()
        self.survey = SurveyDialog(self.session, number, self.window())
        self.survey.accepted.connect(
            lambda: self.message.show_ok(_("Terima kasih, survei tersimpan."))
        )
        self.survey.open()

    def clear(self) -> None:
        self.view, self.record = None, None
        for line in (self.number, self.receiver, self.id_number):
            line.clear()
        self.facts.clear()
        self.hand_button.setEnabled(False)
        self.survey_button.setEnabled(False)
        self.message.clear_message()
