"""The dashboard of the Kabid and the Kepala Dinas: the office's work now and this month.

One call to the dashboard service (off the UI thread) gives every figure; the
overdue list is read in the same task from each late queue's first page. The
charts are :mod:`ui.charts`' small QPainter charts.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from loket.domain.calendar import ClockState
from loket.domain.formatting import duration
from loket.domain.i18n import _
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.dashboard import Dashboard
from loket.services.users import User
from loket.services.worklists import WorkRow
from ui.charts import BarChart, LineChart, Series
from ui.forms import MessageLine
from ui.models import Column, RowsModel
from ui.session import Session, message_for

DASHBOARD_ROLES = frozenset({Role.KABID_PERIZINAN, Role.KEPALA_DINAS})
DAYS = 30
OVERDUE_PER_ROLE = 50
MINUTES_PER_HOUR = 60
BLUE, GREEN, RED, GREY = "#1f5fa8", "#2e7d32", "#c62828", "#9e9e9e"


@dataclass(frozen=True, slots=True)
class DashboardData:
    dashboard: Dashboard
    overdue: tuple[WorkRow, ...]


def load_dashboard(loket: Loket, user: User, days: int = DAYS) -> DashboardData:
    """The dashboard, and the first overdue dossiers of every late queue (off the UI thread)."""
    board = loket.back_office.dashboard.dashboard(user, days)
    overdue: list[WorkRow] = []
    for role, count in board.queues.items():
        if count.overdue:
            page = loket.back_office.worklists.page(
                user, role=role, state=ClockState.OVERDUE, limit=OVERDUE_PER_ROLE
            )
            overdue.extend(page.rows)
    overdue.sort(key=lambda r: r.due_at)
    return DashboardData(board, tuple(overdue))


def overdue_columns(session: Session) -> list[Column[WorkRow]]:
    now = session.loket.clock

    def late(row: WorkRow) -> str:
        return duration((now() - row.due_at).total_seconds())

    return [
        Column(lambda: _("Nomor berkas"), lambda r: r.number),
        Column(lambda: _("SOP"), lambda r: str(r.sop_number)),
        Column(lambda: _("Langkah"), lambda r: f"{r.step_no}. {r.activity}"),
        Column(lambda: _("Peran"), lambda r: r.role.label),
        Column(lambda: _("Pemohon"), lambda r: r.applicant),
        Column(lambda: _("Terlambat"), late),
    ]


class DashboardPanel(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.data: DashboardData | None = None
        self.heading = QLabel(_("Dasbor"))
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.refresh_button = QPushButton(_("&Muat ulang (F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        shortcut = QShortcut(QKeySequence("F5"), self, self.refresh)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.by_step = BarChart(_("Berkas diproses per langkah (SOP·langkah)"))
        self.per_day = LineChart(_("Pendaftaran dan izin terbit per hari"))
        self.late = BarChart(_("Berkas menunggu dan terlambat per peran"))
        self.times = BarChart(_("Rata-rata waktu per langkah dan standarnya (jam)"))
        self.within = BarChart(_("Langkah selesai dalam standar (%)"))
        self.overdue: RowsModel[WorkRow] = RowsModel(overdue_columns(session))
        table = QTableView()
        table.setModel(self.overdue)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.message = MessageLine()
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        charts = QGridLayout()
        charts.addWidget(self.by_step, 0, 0)
        charts.addWidget(self.per_day, 0, 1)
        charts.addWidget(self.late, 1, 0)
        charts.addWidget(self.times, 1, 1)
        charts.addWidget(self.within, 2, 0)
        charts.addWidget(table, 2, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addLayout(charts, 1)

    def refresh(self) -> None:
        loket, user = self.session.loket, self.session.user
        self.message.show_ok(_("Memuat dasbor…"))
        self.session.tasks.read(
            lambda: load_dashboard(loket, user),
            self.show_data,
            lambda error: self.message.show_error(message_for(error)),
        )

    def show_data(self, data: DashboardData) -> None:
        self.data = data
        board = data.dashboard
        self.message.clear_message()
        in_progress = sum(load.open for load in board.by_step)
        self.summary.setText(
            _(
                "{first} s.d. {last}: {intake} pendaftaran, {issued} izin terbit. "
                "Sedang diproses: {open} berkas; terlambat: {late}. "
                "Langkah selesai dalam standar: {share:.0%}."
            ).format(
                first=board.first_day.strftime("%d-%m-%Y"),
                last=board.last_day.strftime("%d-%m-%Y"),
                intake=sum(n for _d, n in board.intake_per_day),
                issued=sum(n for _d, n in board.issued_per_day),
                open=in_progress,
                late=sum(board.overdue_per_role.values()),
                share=board.share_within,
            )
        )
        self.by_step.set_data(
            [f"{load.sop_number}·{load.step_no}" for load in board.by_step],
            [Series(_("Berkas"), BLUE, tuple(float(load.open) for load in board.by_step))],
        )
        self.per_day.set_data(
            [day.strftime("%d/%m") for day, _n in board.intake_per_day],
            [
                Series(_("Pendaftaran"), BLUE, tuple(float(n) for _d, n in board.intake_per_day)),
                Series(_("Izin terbit"), GREEN, tuple(float(n) for _d, n in board.issued_per_day)),
            ],
        )
        roles = sorted(board.queues, key=list(Role).index)
        self.late.set_data(
            [role.label for role in roles],
            [
                Series(_("Menunggu"), GREY, tuple(float(board.queues[r].total) for r in roles)),
                Series(_("Terlambat"), RED, tuple(float(board.queues[r].overdue) for r in roles)),
            ],
        )
        steps = board.steps
        labels = [f"{s.sop_number}·{s.step_no}" for s in steps]
        self.times.set_data(
            labels,
            [
                Series(
                    _("Rata-rata"),
                    BLUE,
                    tuple(s.average_minutes / MINUTES_PER_HOUR for s in steps),
                ),
                Series(
                    _("Standar"), GREY, tuple(s.standard_minutes / MINUTES_PER_HOUR for s in steps)
                ),
            ],
        )
        self.within.set_data(
            labels,
            [Series(_("Dalam standar"), GREEN, tuple(100 * s.share_within for s in steps))],
        )
        self.overdue.set_rows(data.overdue)
