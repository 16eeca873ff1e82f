"""Table and list models: what the views show, as rows of plain values."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from loket.domain.dossier import DossierSummary
from loket.domain.formatting import short_datetime
from loket.domain.i18n import _
from loket.domain.sop import Sop, TimeStandard, TimeUnit
from loket.services.users import User

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole


def time_text(standard: TimeStandard) -> str:
    units = {TimeUnit.MINUTE: _("menit"), TimeUnit.HOUR: _("jam"), TimeUnit.DAY: _("hari kerja")}
    return f"{standard.amount} {units[standard.unit]}"


@dataclass(frozen=True, slots=True)
class Column(Generic[Row]):
    title: Callable[[], str]
    text: Callable[[Row], str]
    color: Callable[[Row], QColor | None] | None = None


class RowsModel(QAbstractTableModel, Generic[Row]):
    """A read-only table of ``rows`` described by ``columns``; replaced whole on refresh."""

    def __init__(self, columns: Sequence[Column[Row]]) -> None:
        super().__init__()
        self._columns = list(columns)
        self._rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> Row:
        return self._rows[index]

    def rows(self) -> list[Row]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        column = self._columns[index.column()]
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ForegroundRole and column.color is not None:
            return column.color(row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:  # noqa: N802
        if role == DISPLAY and orientation is Qt.Orientation.Horizontal:
            return self._columns[section].title()
        return None


def dossier_columns() -> list[Column[DossierSummary]]:
    return [
        Column(lambda: _("Nomor berkas"), lambda s: s.number),
        Column(lambda: _("Pemohon"), lambda s: s.applicant),
        Column(lambda: _("NIK"), lambda s: s.nik),
        Column(lambda: _("Usaha"), lambda s: s.business),
        Column(lambda: _("SOP"), lambda s: str(s.sop_number)),
        Column(lambda: _("Langkah"), lambda s: str(s.step_no)),
        Column(lambda: _("Status"), lambda s: s.status.label),
        Column(lambda: _("Diterima"), lambda s: short_datetime(s.received_at)),
    ]


def user_columns() -> list[Column[User]]:
    return [
        Column(lambda: _("Nama pengguna"), lambda u: u.username),
        Column(lambda: _("Nama lengkap"), lambda u: u.full_name),
        Column(lambda: _("Peran"), lambda u: u.role.label),
        Column(lambda: _("NIP"), lambda u: u.nip),
    ]


class SopListModel(QAbstractListModel):
    """The SOP catalog, one line per SOP, searchable through a proxy."""

    SOP_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, sops: Sequence[Sop]) -> None:
        super().__init__()
        self._sops = list(sops)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._sops)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        sop = self._sops[index.row()]
        if role == DISPLAY:
            return _("SOP {number} — {name}").format(number=sop.number, name=sop.name)
        if role == self.SOP_ROLE:
            return sop
        return None
