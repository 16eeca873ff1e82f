"""Each back-office role's queue: the dossiers waiting on its step, most urgent first.

The table is a lazy model over the worklist service's keyset pages: the first page
is read when the screen opens, the next one when the view scrolls near the end
(``fetchMore``), so a queue of 100,000 dossiers costs one page of rows, not
100,000 widgets. Claiming, releasing and (for an admin) handing a dossier to
another user go through the claims service; its refusals are shown as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from loket.domain.calendar import ClockState
from loket.domain.i18n import _
from loket.domain.roles import Permission, Role
from loket.services.dossiers import DossierView
from loket.services.users import User
from loket.services.worklists import (
    QueueCount,
    WorklistCursor,
    WorklistPage,
    WorkRow,
    countdown,
)
from ui.forms import MessageLine
from ui.session import Session, message_for

PAGE = 50
Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole

#: The roles that have a queue of their own (the counter works from the search).
QUEUE_ROLES = (
    Role.BACK_OFFICE,
    Role.TIM_TEKNIS,
    Role.KASI_PERIZINAN,
    Role.KABID_PERIZINAN,
    Role.SEKRETARIAT,
    Role.KEPALA_DINAS,
)

STATE_COLORS = {
    ClockState.ON_TIME: ("#1b6e20", "#e3f4e4"),
    ClockState.WARNING: ("#8a5200", "#fdf0d5"),
    ClockState.OVERDUE: ("#b3261e", "#fbe1df"),
}


def state_label(state: ClockState) -> str:
    labels = {
        ClockState.ON_TIME: _("Hijau (sesuai waktu)"),
        ClockState.WARNING: _("Kuning (mendekati batas)"),
        ClockState.OVERDUE: _("Merah (terlambat)"),
    }
    return labels[state]


@dataclass(frozen=True, slots=True)
class WorkColumn:
    title: Callable[[], str]
    text: Callable[[WorkRow, datetime], str]
    colored: bool = False


def work_columns() -> list[WorkColumn]:
    return [
        WorkColumn(lambda: _("SOP"), lambda r, _n: str(r.sop_number)),
        WorkColumn(lambda: _("Nomor berkas"), lambda r, _n: r.number),
        WorkColumn(lambda: _("Pemohon"), lambda r, _n: r.applicant),
        WorkColumn(lambda: _("Langkah"), lambda r, _n: f"{r.step_no}. {r.activity}"),
        WorkColumn(lambda: _("Hari di langkah"), lambda r, _n: str(r.days_in_step)),
        WorkColumn(lambda: _("Batas waktu"), countdown, colored=True),
        WorkColumn(lambda: _("Diklaim oleh"), lambda r, _n: r.claimed_name or "—"),
    ]


@dataclass(frozen=True, slots=True)
class QueueQuery:
    role: Role
    sop_number: int | None = None
    state: ClockState | None = None


class WorklistModel(QAbstractTableModel):
    """The rows of one queue read so far; more are read page by page as the view asks."""

    def __init__(self, session: Session, page_size: int = PAGE) -> None:
        super().__init__()
        self.session = session
        self.page_size = page_size
        self.query = QueueQuery(session.user.role)
        self.failed: Callable[[BaseException], None] = lambda _error: None
        self._columns = work_columns()
        self._rows: list[WorkRow] = []
        self._cursor: WorklistCursor | None = None
        self._loading = False
        self._generation = 0
        self._now = session.loket.clock()

    def load(self, query: QueueQuery) -> None:
        """Start over with ``query``: the first page replaces whatever was shown."""
        self.query = query
        self._generation += 1
        self.beginResetModel()
        self._rows, self._cursor, self._loading = [], None, False
        self._now = self.session.loket.clock()
        self.endResetModel()
        self._read(None)

    def row(self, index: int) -> WorkRow:
        return self._rows[index]

    def rows(self) -> list[WorkRow]:
        return list(self._rows)

    def _read(self, cursor: WorklistCursor | None) -> None:
        loket, user, query = self.session.loket, self.session.user, self.query
        generation, size = self._generation, self.page_size
        self._loading = True

        def work() -> WorklistPage:
            return loket.back_office.worklists.page(
                user,
                role=query.role,
                sop_number=query.sop_number,
                state=query.state,
                limit=size,
                cursor=cursor,
            )

        self.session.tasks.read(
            work,
            lambda page: self._arrived(generation, page),
            lambda error: self._failed(generation, error),
        )

    def _arrived(self, generation: int, page: WorklistPage) -> None:
        if generation != self._generation:
            return  # the answer to a query the user has since changed
        self._loading = False
        self._cursor = page.cursor
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self._loading = False
            self.failed(error)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self._cursor is not None and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if self.canFetchMore(parent):
            self._read(self._cursor)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        column = self._columns[index.column()]
        row = self._rows[index.row()]
        if role == DISPLAY:
            return column.text(row, self._now)
        if column.colored and role == Qt.ItemDataRole.ForegroundRole:
            return QColor(STATE_COLORS[row.state][0])
        if column.colored and role == Qt.ItemDataRole.BackgroundRole:
            return QColor(STATE_COLORS[row.state][1])
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:  # noqa: N802
        if role == DISPLAY and orientation is Qt.Orientation.Horizontal:
            return self._columns[section].title()
        return None


def counts_text(counts: dict[Role, QueueCount], roles: Sequence[Role]) -> str:
    """One line per queue: how many wait, how many amber, how many red."""
    parts = []
    for role in roles:
        count = counts.get(role, QueueCount(role, 0, 0, 0))
        parts.append(
            _("{role}: {total} berkas ({warning} kuning, {overdue} merah)").format(
                role=role.label, total=count.total, warning=count.warning, overdue=count.overdue
            )
        )
    return " · ".join(parts)


class WorklistPanel(QWidget):
    """The screen a back-office user opens to: their queue, filters, claim and open."""

    opened = Signal(object)  # DossierView

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.is_admin = session.may(Permission.MANAGE_USERS)
        self.message = MessageLine()
        self.model = WorklistModel(session)
        self.model.failed = lambda error: self.message.show_error(message_for(error))
        self.heading = QLabel()
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self._filters()
        self._table()
        self._buttons()

    def _filters(self) -> None:
        session = self.session
        self.role = QComboBox()
        for role in QUEUE_ROLES:
            self.role.addItem(role.label, role.value)
        own = session.user.role
        self.role.setCurrentIndex(QUEUE_ROLES.index(own) if own in QUEUE_ROLES else 0)
        self.role.setVisible(self.is_admin or own not in QUEUE_ROLES)
        self.sop = QComboBox()
        self.sop.addItem(_("Semua SOP"), 0)
        for sop in session.loket.catalog.latest():
            self.sop.addItem(_("SOP {number} — {name}").format(number=sop.number, name=sop.name))
            self.sop.setItemData(self.sop.count() - 1, sop.number)
        self.state = QComboBox()
        self.state.addItem(_("Semua status waktu"), "")
        for state in ClockState:
            self.state.addItem(state_label(state), state.value)
        for combo in (self.role, self.sop, self.state):
            combo.currentIndexChanged.connect(self.refresh)
        self.counts = QLabel()
        self.counts.setWordWrap(True)

    def _table(self) -> None:
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((50, 190, 200, 260, 100, 150)):
            self.table.setColumnWidth(column, width)
        self.table.activated.connect(lambda _index: self.open_selected())

    def _buttons(self) -> None:
        session = self.session
        self.claim_button = QPushButton(_("&Klaim (Ctrl+K)"))
        self.release_button = QPushButton(_("&Lepas"))
        self.reassign_button = QPushButton(_("&Alihkan ke…"))
        self.open_button = QPushButton(_("&Buka berkas (Enter)"))
        self.refresh_button = QPushButton(_("&Muat ulang (F5)"))
        self.claim_button.clicked.connect(self.claim_selected)
        self.release_button.clicked.connect(self.release_selected)
        self.reassign_button.clicked.connect(self.ask_reassign)
        self.open_button.clicked.connect(self.open_selected)
        self.refresh_button.clicked.connect(self.refresh)
        self.claim_button.setVisible(session.may(Permission.COMPLETE_STEP))
        self.reassign_button.setVisible(self.is_admin)
        for keys, slot in (("Ctrl+K", self.claim_selected), ("F5", self.refresh)):
            shortcut = QShortcut(QKeySequence(keys), self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        filters = QHBoxLayout()
        filters.addWidget(self.role)
        filters.addWidget(self.sop)
        filters.addWidget(self.state)
        filters.addStretch(1)
        filters.addWidget(self.refresh_button)
        buttons = QHBoxLayout()
        for button in (self.claim_button, self.release_button, self.reassign_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(filters)
        layout.addWidget(self.counts)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def query(self) -> QueueQuery:
        role = Role(str(self.role.currentData()))
        sop = int(self.sop.currentData() or 0)
        state = str(self.state.currentData() or "")
        return QueueQuery(role, sop or None, ClockState(state) if state else None)

    def refresh(self) -> None:
        """Read the queue again from its first page, and the counts of every queue."""
        query = self.query()
        self.heading.setText(_("Antrean {role}").format(role=query.role.label))
        self.message.clear_message()
        self.model.load(query)
        loket, user = self.session.loket, self.session.user
        self.session.tasks.read(
            lambda: loket.back_office.worklists.counts(user, sop_number=query.sop_number),
            self._counted,
            lambda error: self.message.show_error(message_for(error)),
        )
        if self.model.rowCount() > 0:
            self.table.selectRow(0)

    def _counted(self, counts: dict[Role, QueueCount]) -> None:
        own = self.query().role
        roles = [own] + [r for r in QUEUE_ROLES if r is not own and r in counts]
        self.counts.setText(counts_text(counts, roles))

    def selected(self) -> WorkRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row(rows[0].row())

    def select_number(self, number: str) -> bool:
        for index, row in enumerate(self.model.rows()):
            if row.number == number:
                self.table.selectRow(index)
                return True
        return False

    def _with_selected(self) -> WorkRow | None:
        row = self.selected()
        if row is None:
            self.message.show_error(_("Pilih berkas di antrean terlebih dahulu."))
        return row

    def claim_selected(self) -> None:
        row = self._with_selected()
        if row is None:
            return
        loket, user = self.session.loket, self.session.user
        self._write(
            lambda: loket.back_office.claims.claim(user, row.number),
            _("Berkas {number} diklaim.").format(number=row.number),
            row.number,
        )

    def release_selected(self) -> None:
        row = self._with_selected()
        if row is None:
            return
        loket, user = self.session.loket, self.session.user
        self._write(
            lambda: loket.back_office.claims.release(user, row.number),
            _("Berkas {number} dilepas ke antrean.").format(number=row.number),
            row.number,
        )

    def ask_reassign(self) -> None:
        self.reassign_selected(None)

    def reassign_selected(self, to: User | None = None) -> None:
        """Admin: hand the selected dossier to a user of its step's role (asked if not given)."""
        row = self._with_selected()
        if row is None or not self.is_admin:
            return
        loket, user = self.session.loket, self.session.user
        if to is None:
            to = self._ask_user(row.role)
            if to is None:
                return
        receiver = to
        self._write(
            lambda: loket.back_office.claims.reassign(user, row.number, receiver),
            _("Berkas {number} dialihkan ke {name}.").format(
                number=row.number, name=receiver.full_name
            ),
            row.number,
        )

    def _ask_user(self, role: Role) -> User | None:
        try:
            users = [u for u in self.session.loket.users.users(self.session.user) if u.role is role]
        except Exception as error:  # shown, never lost: the queue stays as it was
            self.message.show_error(message_for(error))
            return None
        names = [f"{u.full_name} ({u.username})" for u in users]
        if not names:
            self.message.show_error(
                _("Tidak ada pengguna aktif dengan peran {role}.").format(role=role.label)
            )
            return None
        chosen, accepted = QInputDialog.getItem(
            self, _("Alihkan berkas"), _("Alihkan ke:"), names, 0, False
        )
        return users[names.index(chosen)] if accepted and chosen in names else None

    def _write(self, work: Callable[[], object], done: str, number: str) -> None:
        def finished(_result: object) -> None:
            self.refresh()
            self.select_number(number)
            self.message.show_ok(done)

        self.session.tasks.write(
            work, finished, lambda error: self.message.show_error(message_for(error))
        )

    def open_selected(self) -> None:
        row = self._with_selected()
        if row is None:
            return
        loket, user = self.session.loket, self.session.user
        self.session.tasks.read(
            lambda: loket.dossiers.show(user, row.number),
            self._opened,
            lambda error: self.message.show_error(message_for(error)),
        )

    def _opened(self, view: DossierView) -> None:
        self.opened.emit(view)
