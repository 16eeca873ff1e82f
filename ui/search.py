"""The one search box (F3): a scanned barcode, a typed number, a NIK/NIB or a name.

Typing searches as you type, debounced and off the UI thread; a result that arrives
after a newer keystroke is dropped. Enter (what a USB scanner sends after the
number) opens the dossier at once when the text is a dossier number, or the only
or selected result otherwise.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from loket.domain.dossier import DossierSummary
from loket.domain.i18n import _
from loket.services.dossiers import DossierView
from loket.services.errors import NotFoundError
from ui.forms import MessageLine
from ui.models import RowsModel, dossier_columns
from ui.session import Session, message_for

DEBOUNCE_MS = 150
LIMIT = 50


class _SearchLine(QLineEdit):
    """Down moves into the results, so the keyboard never needs the mouse."""

    down = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Down:
            self.down.emit()
            return
        super().keyPressEvent(event)


class SearchPanel(QWidget):
    opened = Signal(object)  # DossierView

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.line = _SearchLine()
        self.line.setPlaceholderText(
            _("Cari (F3): pindai barcode, nomor berkas, NIK/NIB atau nama")
        )
        self.line.setMaxLength(300)
        self.line.setClearButtonEnabled(True)
        self.model: RowsModel[DossierSummary] = RowsModel(dossier_columns())
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.message = MessageLine()
        layout = QVBoxLayout(self)
        layout.addWidget(self.line)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        self._sequence = 0
        self.line.textEdited.connect(lambda _text: self._timer.start())
        self.line.returnPressed.connect(self.open_typed)
        self.line.down.connect(self._into_results)
        self.table.activated.connect(self._open_row)
        self.setFocusProxy(self.line)

    def focus_search(self) -> None:
        self.line.setFocus()
        self.line.selectAll()

    def search_now(self) -> None:
        """Run the search for the current text; only the newest answer is shown."""
        self._timer.stop()
        self._sequence += 1
        sequence, text = self._sequence, self.line.text().strip()
        loket, user = self.session.loket, self.session.user
        self.session.tasks.read(
            lambda: loket.dossiers.search(user, query=text, limit=LIMIT),
            lambda rows: self._show(sequence, rows),
            lambda error: self._failed(sequence, error),
        )

    def _show(self, sequence: int, rows: list[DossierSummary]) -> None:
        if sequence != self._sequence:
            return  # a newer keystroke has its own search under way
        self.model.set_rows(rows)
        if rows:
            self.message.clear_message()
            self.table.selectRow(0)
        elif self.line.text().strip():
            self.message.show_warning(_("Tidak ada berkas yang cocok."))

    def _failed(self, sequence: int, error: BaseException) -> None:
        if sequence == self._sequence:
            self.message.show_error(message_for(error))

    def open_typed(self) -> None:
        """Enter: the typed or scanned number opens its dossier; else the selected result."""
        self._timer.stop()
        self._sequence += 1
        text = self.line.text().strip()
        if not text:
            return
        loket, user = self.session.loket, self.session.user
        self.session.tasks.read(
            lambda: loket.dossiers.show(user, text), self._opened, self._not_a_number
        )

    def _opened(self, view: DossierView) -> None:
        self.message.clear_message()
        self.opened.emit(view)

    def _not_a_number(self, error: BaseException) -> None:
        if not isinstance(error, NotFoundError):
            self.message.show_error(message_for(error))
            return
        text = self.line.text().strip()
        loket, user = self.session.loket, self.session.user
        self._sequence += 1
        sequence = self._sequence
        self.session.tasks.read(
            lambda: loket.dossiers.search(user, query=text, limit=LIMIT),
            lambda rows: self._open_only(sequence, rows),
            lambda failure: self._failed(sequence, failure),
        )

    def _open_only(self, sequence: int, rows: list[DossierSummary]) -> None:
        self._show(sequence, rows)
        if len(rows) == 1:
            self.open_number(rows[0].number)
        elif rows:
            self.table.setFocus()

    def _into_results(self) -> None:
        if self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def _open_row(self, index: QModelIndex) -> None:
        self.open_number(self.model.row(index.row()).number)

    def open_number(self, number: str) -> None:
        loket, user = self.session.loket, self.session.user
        self.session.tasks.read(
            lambda: loket.dossiers.show(user, number),
            self._opened,
            lambda error: self.message.show_error(message_for(error)),
        )
