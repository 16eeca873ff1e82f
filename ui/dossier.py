"""One dossier: its timeline against the standards, checklist, documents and audit trail.

What the user may do here follows the role (``loket.domain.roles.may``) and the step
the dossier is at; the workflow engine still decides, and its refusal is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QWidget,
)

from loket.domain.dossier import Outcome, Status
from loket.domain.formatting import long_datetime, short_datetime
from loket.domain.i18n import _
from loket.domain.roles import Permission
from loket.domain.sop import Actor, StepKind
from loket.services.audit import details_text
from loket.services.desk import Timeliness, complete_step, resume, timeliness
from loket.services.dossiers import DossierView
from loket.services.offered_documents import DossierDocument, offered_documents
from ui.documents import Kind
from ui.forms import MessageLine
from ui.models import Column, RowsModel, time_text
from ui.session import Session, message_for
from ui.steps import StepPanel
from ui.widgets import TIMELINESS_COLORS, actor_label, elapsed_text


@dataclass(frozen=True, slots=True)
class TimelineRow:
    step_no: int
    activity: str
    actor: str
    started: datetime
    finished: datetime | None
    standard: str
    spent_seconds: float
    level: Timeliness
    outcome: str


def outcome_label(outcome: Outcome | None) -> str:
    return outcome.label if outcome is not None else _("berjalan")


def action_label(action: str) -> str:
    """The audit trail's action in words; an action this screen does not know stays as is."""
    labels = {
        "register": _("pendaftaran"),
        "complete_step": _("langkah selesai"),
        "skip_step": _("langkah dilewati"),
        "return_files": _("berkas dikembalikan"),
        "resume": _("berkas dilanjutkan"),
        "send_back": _("dikirim balik"),
        "reject": _("ditolak"),
        "sign": _("ditandatangani"),
        "hand_over": _("izin diserahkan"),
        "cancel": _("dibatalkan"),
        "print_receipt": _("tanda terima dicetak"),
    }
    return labels.get(action, action)


def timeline_rows(session: Session, view: DossierView) -> list[TimelineRow]:
    calendar, now = session.loket.calendar, session.loket.clock()
    rows = []
    for visit in view.record.state.visits:
        step = view.sop.step(visit.step_no)
        end = visit.finished_at or now
        fraction = calendar.fraction_used(visit.started_at, end, step.time)
        rows.append(
            TimelineRow(
                step_no=step.no,
                activity=step.activity,
                actor=actor_label(Actor(visit.role))
                if visit.role in set(Actor)
                else actor_label(step.actor),
                started=visit.started_at,
                finished=visit.finished_at,
                standard=time_text(step.time),
                spent_seconds=(end - visit.started_at).total_seconds(),
                level=timeliness(fraction),
                outcome=outcome_label(visit.outcome),
            )
        )
    return rows


def _level_color(row: TimelineRow) -> QColor:
    return QColor(TIMELINESS_COLORS[row.level])


def timeline_columns() -> list[Column[TimelineRow]]:
    return [
        Column(lambda: _("Langkah"), lambda r: str(r.step_no)),
        Column(lambda: _("Kegiatan"), lambda r: r.activity),
        Column(lambda: _("Pelaksana"), lambda r: r.actor),
        Column(lambda: _("Mulai"), lambda r: short_datetime(r.started)),
        Column(lambda: _("Selesai"), lambda r: short_datetime(r.finished) if r.finished else "—"),
        Column(lambda: _("Waktu"), lambda r: elapsed_text(r.spent_seconds), _level_color),
        Column(lambda: _("Standar"), lambda r: r.standard),
        Column(lambda: _("Hasil"), lambda r: r.outcome),
    ]


def audit_columns() -> list[Column[dict[str, Any]]]:
    return [
        Column(lambda: _("No."), lambda e: str(e["seq"])),
        Column(lambda: _("Waktu"), lambda e: short_datetime(datetime.fromisoformat(e["at"]))),
        Column(lambda: _("Pengguna"), lambda e: str(e["user"])),
        Column(lambda: _("Tindakan"), lambda e: action_label(str(e["action"]))),
        Column(lambda: _("Rincian"), lambda e: details_text(str(e.get("after") or ""))),
    ]


def _table(model: RowsModel[Any], stretch: int) -> QTableView:
    """A read-only table whose ``stretch`` column takes the room the others leave."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


class DossierPanel(QWidget):
    document_requested = Signal(str, str)  # kind, number
    changed = Signal(object)  # DossierView

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.view: DossierView | None = None
        self.title = QLabel(_("Belum ada berkas yang dibuka. Tekan F3 untuk mencari."))
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.timeline: RowsModel[TimelineRow] = RowsModel(timeline_columns())
        self.audit: RowsModel[dict[str, Any]] = RowsModel(audit_columns())
        self.checklist = QListWidget()
        self.tabs = QTabWidget()
        self.tabs.addTab(_table(self.timeline, 1), _("&Lini masa"))
        self.tabs.addTab(self.checklist, _("Daftar &periksa"))
        self.tabs.addTab(_table(self.audit, 4), _("Jejak &audit"))
        self.message = MessageLine()
        self.step_panel, self.step_tab = self._step_tab(session)
        self.receipt_button = QPushButton(_("Cetak &tanda terima"))
        self.slip_button = QPushButton(_("Cetak slip &pengembalian"))
        self.permit_button = QPushButton(_("Cetak &izin"))
        self.rejection_button = QPushButton(_("Cetak surat pen&olakan"))
        self.rejection_button.clicked.connect(self._rejection_letter)
        self.complete_button = QPushButton(_("&Selesaikan langkah"))
        self.resume_button = QPushButton(_("&Lanjutkan berkas (pemohon kembali)"))
        self.receipt_button.clicked.connect(lambda: self._document(Kind.RECEIPT))
        self.slip_button.clicked.connect(lambda: self._document(Kind.RETURN_SLIP))
        self.permit_button.clicked.connect(lambda: self._document(Kind.PERMIT))
        self.complete_button.clicked.connect(self.complete)
        self.resume_button.clicked.connect(self.resume)
        self.document_buttons = {
            DossierDocument.RECEIPT: self.receipt_button,
            DossierDocument.RETURN_SLIP: self.slip_button,
            DossierDocument.PERMIT: self.permit_button,
            DossierDocument.REJECTION_LETTER: self.rejection_button,
        }
        documents = QHBoxLayout()
        for button in self.document_buttons.values():
            documents.addWidget(button)
        documents.addStretch(1)
        for button in (self.complete_button, self.resume_button):
            documents.addWidget(button)
        grid = QGridLayout(self)
        grid.addWidget(self.title, 0, 0)
        grid.addWidget(self.facts, 1, 0)
        grid.addLayout(documents, 2, 0)
        grid.addWidget(self.message, 3, 0)
        grid.addWidget(self.tabs, 4, 0)
        grid.setRowStretch(4, 1)
        self.show_view(None)

    def _step_tab(self, session: Session) -> tuple[StepPanel, int]:
        panel = StepPanel(session, signed_message=self.message)
        panel.acted.connect(self._acted)
        scroll = QScrollArea()
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        index = self.tabs.addTab(scroll, _("Tindakan la&ngkah"))
        self.tabs.setTabVisible(index, False)
        return panel, index

    def show_view(self, view: DossierView | None) -> None:
        self.view = view
        buttons = (
            self.receipt_button,
            self.slip_button,
            self.permit_button,
            self.rejection_button,
            self.complete_button,
            self.resume_button,
        )
        if view is None:
            for button in buttons:
                button.hide()
            self.tabs.setTabVisible(self.step_tab, False)
            return
        record, sop = view.record, view.sop
        step = sop.step(record.state.step_no)
        self.title.setText(f"{record.number} — {record.state.status.label}")
        due = view.deadlines.step_due
        facts = [
            _("SOP {number} v{version}: {name}").format(
                number=sop.number, version=sop.version, name=sop.name
            ),
            _("Pemohon: {name} ({id})").format(
                name=record.applicant.name, id=record.applicant.nik or record.applicant.nib or "-"
            ),
            _("Usaha: {name}").format(name=record.business.name if record.business else "-"),
            _("Diterima: {when} di stasiun {station}").format(
                when=long_datetime(record.received_at), station=record.station_code
            ),
            _("Langkah sekarang: {no}. {activity}").format(no=step.no, activity=step.activity),
            _("Batas waktu berkas: {when}").format(when=long_datetime(view.deadlines.dossier_due)),
        ]
        if due is not None:
            facts.append(_("Batas waktu langkah: {when}").format(when=long_datetime(due)))
        if record.permit is not None:
            facts.append(_("Nomor izin: {number}").format(number=record.permit.number))
        self.facts.setText("\n".join(facts))
        self.timeline.set_rows(timeline_rows(self.session, view))
        self.checklist.clear()
        for item in record.checklist:
            mark = "✔" if item.received else "✘"
            flag = _("wajib") if item.mandatory else _("opsional")
            entry = QListWidgetItem(f"{mark} {item.name} ({flag})")
            entry.setData(Qt.ItemDataRole.UserRole, item.key)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked if item.received else Qt.CheckState.Unchecked)
            self.checklist.addItem(entry)
        status = record.state.status
        role_step = self.session.user.role.acts_as(step.acting_role)
        offered = offered_documents(view)
        for document, button in self.document_buttons.items():
            button.setVisible(document in offered)
        self.complete_button.setVisible(
            status is Status.IN_PROGRESS
            and step.kind is not StepKind.SIGNING
            and role_step
            and self.session.may(Permission.COMPLETE_STEP)
        )
        self.resume_button.setVisible(
            status is Status.RETURNED and self.session.may(Permission.RESUME)
        )
        self._show_step(view)
        self.message.clear_message()
        self._load_audit(record.number)

    def _show_step(self, view: DossierView) -> None:
        """The back office's step screen, in place of the counter's buttons, when it is theirs."""
        offered = self.step_panel.offers(view)
        self.tabs.setTabVisible(self.step_tab, offered)
        if offered:
            self.complete_button.hide()
            self.step_panel.show_view(view)
            self.tabs.setCurrentIndex(self.step_tab)

    def _rejection_letter(self) -> None:
        if self.view is not None:
            self.step_panel.rejection_letter(self.view.record.number)

    def _load_audit(self, number: str) -> None:
        loket, user = self.session.loket, self.session.user
        self.session.tasks.read(
            lambda: loket.dossiers.audit_trail(user, number),
            self.audit.set_rows,
            lambda error: self.message.show_error(message_for(error)),
        )

    def _document(self, kind: Kind) -> None:
        if self.view is not None:
            self.document_requested.emit(kind.value, self.view.record.number)

    def _act(self, work: Any) -> None:
        self.session.tasks.write(
            work, self._acted, lambda error: self.message.show_error(message_for(error))
        )

    def _acted(self, view: DossierView) -> None:
        self.show_view(view)
        self.message.show_ok(_("Tersimpan."))
        self.changed.emit(view)

    def complete(self) -> None:
        if self.view is None or not self.complete_button.isVisible():
            return
        loket, user, record = self.session.loket, self.session.user, self.view.record
        self._act(
            lambda: complete_step(loket, user, record.number, seen_version=record.state.version)
        )

    def resume(self) -> None:
        if self.view is None or not self.session.may(Permission.RESUME):
            return
        received = {}
        for row in range(self.checklist.count()):
            item = self.checklist.item(row)
            received[str(item.data(Qt.ItemDataRole.UserRole))] = (
                item.checkState() == Qt.CheckState.Checked
            )
        loket, user, record = self.session.loket, self.session.user, self.view.record
        self._act(
            lambda: resume(loket, user, record.number, received, seen_version=record.state.version)
        )
