"""The pages of the guided intake, each generated from the SOP or from the form it holds.

A page knows its values (plain strings, for the draft), how to put them back, and the
problems that block it, computed by the core's own checks (``loket.services.desk``),
never by rules written here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from loket.catalog.places import Regency
from loket.domain.dossier import Address, Applicant, Business
from loket.domain.i18n import _
from loket.domain.sop import ApplicantKind, FieldType, Requirement, Sop, Step
from loket.domain.validation import Problem
from loket.services.counter import RecordedStep, missing_files, step_done
from loket.services.desk import Returning, step_problems
from ui.forms import MessageLine, form
from ui.models import SopListModel, time_text
from ui.widgets import Field, combo_field, line_field

APPLICANT_FIELDS = (
    "nama",
    "nik",
    "nib",
    "npwp",
    "telepon",
    "email",
    "alamat.jalan",
    "alamat.desa",
    "alamat.kecamatan",
    "alamat.kabupaten",
    "alamat.provinsi",
    "wakil",
)
BUSINESS_FIELDS = (
    "usaha",
    "kbli",
    "kbli_edisi",
    "alamat_usaha.jalan",
    "alamat_usaha.desa",
    "alamat_usaha.kecamatan",
    "alamat_usaha.kabupaten",
    "alamat_usaha.provinsi",
)
DONE_KEY = "_dilakukan"


class Page(QWidget):
    """One page of the wizard; ``step`` is the SOP step it belongs to (None: before any)."""

    edited = Signal()

    def __init__(self, key: str, heading: str, step: Step | None) -> None:
        super().__init__()
        self.key, self.heading, self.step = key, heading, step

    def values(self) -> dict[str, str]:
        return {}

    def restore(self, values: dict[str, str]) -> None:
        return None

    def problems(self) -> list[Problem]:
        return []

    def show_problems(self) -> None:
        return None

    def entered(self) -> None:
        """Called each time the page becomes current: focus its first field."""
        self.focusNextPrevChild(True)


class _SearchKeys(QLineEdit):
    """The SOP search box: Up and Down move through the list below while typing."""

    moved = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.moved.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            return
        super().keyPressEvent(event)


class SopPage(Page):
    """The permit type, picked from the searchable SOP catalog with what each one asks."""

    chosen = Signal(object)

    def __init__(self, sops: Sequence[Sop]) -> None:
        super().__init__("sop", _("Pilih jenis izin"), None)
        self._model = SopListModel(sops)
        self._proxy = QSortFilterProxyModel(self)
        self._proxy.setSourceModel(self._model)
        self._proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search = _SearchKeys()
        self.search.setPlaceholderText(_("Cari jenis izin: nomor SOP atau nama…"))
        self.list = QListView()
        self.list.setModel(self._proxy)
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        row = QHBoxLayout()
        row.addWidget(self.list, 2)
        row.addWidget(self.details, 3)
        layout.addLayout(row)
        self.search.textChanged.connect(self._filter)
        self.search.moved.connect(self._move)
        selection = self.list.selectionModel()
        selection.currentChanged.connect(self._show)
        self.setFocusProxy(self.search)
        self._filter("")

    def _filter(self, text: str) -> None:
        self._proxy.setFilterFixedString(text.strip())
        if self._proxy.rowCount():
            self.list.setCurrentIndex(self._proxy.index(0, 0))
        else:
            self.details.setPlainText(_("Tidak ada SOP yang cocok."))

    def _move(self, delta: int) -> None:
        row = self.list.currentIndex().row() + delta
        if 0 <= row < self._proxy.rowCount():
            self.list.setCurrentIndex(self._proxy.index(row, 0))

    def _show(self, current: QModelIndex, _previous: QModelIndex) -> None:
        sop = self.sop()
        if sop is None:
            return
        self.details.setHtml(sop_details_html(sop))
        self.chosen.emit(sop)

    def sop(self) -> Sop | None:
        index = self.list.currentIndex()
        if not index.isValid():
            return None
        found = index.data(SopListModel.SOP_ROLE)
        return found if isinstance(found, Sop) else None

    def select(self, number: int) -> None:
        for row in range(self._proxy.rowCount()):
            sop = self._proxy.index(row, 0).data(SopListModel.SOP_ROLE)
            if isinstance(sop, Sop) and sop.number == number:
                self.list.setCurrentIndex(self._proxy.index(row, 0))

    def problems(self) -> list[Problem]:
        if self.sop() is None:
            return [Problem("sop", "sop.required", _("Pilih jenis izin terlebih dahulu."))]
        return []

    def entered(self) -> None:
        self.search.setFocus()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sop_details_html(sop: Sop) -> str:
    items = "".join(
        "<li>{name}{flag}</li>".format(
            name=_escape(r.name), flag="" if r.mandatory else " <i>({})</i>".format(_("opsional"))
        )
        for r in sop.requirements
    )
    return (
        f"<h3>{_escape(sop.name)}</h3>"
        + "<p>{}</p>".format(
            _escape(
                _("Waktu layanan: {time} · Biaya: {cost} · {steps} langkah").format(
                    time=time_text(sop.service_time), cost=sop.cost, steps=len(sop.steps)
                )
            )
        )
        + "<p><b>{}</b></p><ul>{}</ul>".format(_escape(_("Persyaratan:")), items)
    )


class StepPage(Page):
    """A step walked at the counter: its own fields; an optional step may be left undone."""

    def __init__(self, step: Step) -> None:
        super().__init__(f"langkah{step.no}", "", step)
        layout = QVBoxLayout(self)
        self.done: QCheckBox | None = None
        if step.optional:
            self.done = QCheckBox(_("Langkah ini sudah dilakukan pemohon (opsional)"))
            self.done.toggled.connect(self.edited)
            layout.addWidget(self.done)
        self.fields: list[Field] = []
        rows: list[tuple[str, QWidget]] = []
        for spec in step.fields:
            hint = "2026-03-02" if spec.type is FieldType.DATE else spec.help
            field = line_field(spec.key, hint, 500)
            field.edited.connect(self._typed)
            self.fields.append(field)
            rows.append((spec.label + (" *" if spec.required else ""), field))
        layout.addLayout(form(rows))
        if not step.fields and not step.optional:
            note = QLabel(
                _("Tidak ada isian pada langkah ini: tekan Ctrl+Enter bila sudah selesai.")
            )
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addStretch(1)

    def _typed(self) -> None:
        if self.done is not None and any(f.text().strip() for f in self.fields):
            self.done.setChecked(True)
        self.show_problems()
        self.edited.emit()

    def ticked(self) -> bool:
        return self.done is not None and self.done.isChecked()

    def is_done(self) -> bool:
        assert self.step is not None
        return step_done(self.step, ticked=self.ticked())

    def recorded(self, finished_at: datetime | None) -> RecordedStep:
        """What the clerk recorded here, for the core to decide what the step counts as."""
        assert self.step is not None
        return RecordedStep(self.step.no, self.ticked(), self.data(), finished_at)

    def data(self) -> tuple[tuple[str, str], ...]:
        return tuple((f.key, f.text().strip()) for f in self.fields if f.text().strip())

    def values(self) -> dict[str, str]:
        values = {f.key: f.text() for f in self.fields}
        values[DONE_KEY] = "1" if self.is_done() else ""
        return values

    def restore(self, values: dict[str, str]) -> None:
        for field in self.fields:
            field.set_text(values.get(field.key, ""))
        if self.done is not None:
            self.done.setChecked(bool(values.get(DONE_KEY)))

    def problems(self) -> list[Problem]:
        assert self.step is not None
        if not self.is_done():
            return []
        return step_problems(self.step, {f.key: f.text() for f in self.fields})

    def show_problems(self) -> None:
        problems = self.problems()
        for field in self.fields:
            field.show_problems(problems)

    def entered(self) -> None:
        first = self.fields[0] if self.fields else self.done
        if first is not None:
            first.setFocus()
        else:
            self.setFocus()


class AddressFields:
    """Street, desa, kecamatan (Landak's lists, any other value accepted), kabupaten, province."""

    def __init__(self, prefix: str, places: Regency) -> None:
        self._places = places
        self.street = line_field(f"{prefix}.jalan", _("Jalan, nomor, RT/RW"))
        self.kecamatan = combo_field(f"{prefix}.kecamatan", places.kecamatan_names())
        self.desa = combo_field(f"{prefix}.desa", ())
        self.kabupaten = line_field(f"{prefix}.kabupaten", "", 100)
        self.province = line_field(f"{prefix}.provinsi", "", 100)
        self.kabupaten.set_text(places.name)
        self.province.set_text(places.province)
        self.kecamatan.edited.connect(self._fill_desa)

    def fields(self) -> list[Field]:
        return [self.street, self.kecamatan, self.desa, self.kabupaten, self.province]

    def rows(self) -> list[tuple[str, QWidget]]:
        return [
            (_("Alamat"), self.street),
            (_("Kecamatan"), self.kecamatan),
            (_("Desa/kelurahan"), self.desa),
            (_("Kabupaten/kota"), self.kabupaten),
            (_("Provinsi"), self.province),
        ]

    def _fill_desa(self) -> None:
        combo = self.desa.editor
        assert isinstance(combo, QComboBox)
        typed = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        combo.addItems(list(self._places.desa_of(self.kecamatan.text())))
        combo.setCurrentText(typed)
        combo.blockSignals(False)

    def address(self) -> Address:
        return Address(
            street=self.street.text(),
            desa=self.desa.text(),
            kecamatan=self.kecamatan.text(),
            kabupaten=self.kabupaten.text(),
            province=self.province.text(),
        )

    def fill(self, address: Address) -> None:
        self.street.set_text(address.street)
        self.kecamatan.set_text(address.kecamatan)
        self._fill_desa()
        self.desa.set_text(address.desa)
        self.kabupaten.set_text(address.kabupaten)
        self.province.set_text(address.province)


class _FormPage(Page):
    """A page of fields whose problems come from one core check, filtered to its fields."""

    def __init__(self, key: str, heading: str, step: Step | None) -> None:
        super().__init__(key, heading, step)
        self.fields: list[Field] = []
        self.check: Callable[[], list[Problem]] = list
        self._shown = False

    def _track(self, fields: Sequence[Field]) -> None:
        for field in fields:
            self.fields.append(field)
            field.edited.connect(self._typed)

    def _typed(self) -> None:
        self._shown = True
        self.show_problems()
        self.edited.emit()

    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    def problems(self) -> list[Problem]:
        mine = set(self.keys())
        return [p for p in self.check() if p.field in mine]

    def show_problems(self) -> None:
        problems = self.problems()
        for field in self.fields:
            # Before the clerk types, only a refused "next" shows what is missing.
            field.show_problems(problems if self._shown else [])

    def reveal(self) -> None:
        self._shown = True
        self.show_problems()

    def values(self) -> dict[str, str]:
        return {f.key: f.text() for f in self.fields}

    def restore(self, values: dict[str, str]) -> None:
        for field in self.fields:
            if field.key in values:
                field.set_text(values[field.key])


class ApplicantPage(_FormPage):
    """The applicant (person or company); a returning one is found by NIK, NIB or name."""

    lookup_requested = Signal(str)

    def __init__(self, step: Step | None, places: Regency) -> None:
        super().__init__("pemohon", _("Data pemohon"), step)
        self.applicant_id: str | None = None
        self.found_business: Business | None = None
        self.lookup = QLineEdit()
        self.lookup.setPlaceholderText(_("Pemohon lama? Ketik NIK, NIB atau nama, lalu Enter"))
        self.lookup.setMaxLength(300)
        self.lookup.returnPressed.connect(lambda: self.lookup_requested.emit(self.lookup.text()))
        self.matches = QListWidget()
        self.matches.setMaximumHeight(110)
        self.matches.hide()
        self.matches.itemActivated.connect(lambda _item: self._pick(self.matches.currentRow()))
        self.lookup_message = MessageLine()
        self.kind = QComboBox()
        self.kind.addItem(_("Perorangan"), ApplicantKind.INDIVIDUAL.value)
        self.kind.addItem(_("Badan usaha"), ApplicantKind.COMPANY.value)
        self.kind.currentIndexChanged.connect(self._typed)
        self.name = line_field("nama", _("Nama sesuai KTP / nama badan usaha"))
        self.nik = line_field("nik", _("16 digit"), 32)
        self.nib = line_field("nib", _("13 digit, bila ada"), 32)
        self.npwp = line_field("npwp", _("15 atau 16 digit, bila ada"), 32)
        self.phone = line_field("telepon", _("misalnya 0812 3456 7890"), 32)
        self.email = line_field("email", _("nama@contoh.id"), 254)
        self.address = AddressFields("alamat", places)
        self.representative = line_field("wakil", _("untuk badan usaha"))
        self._track([self.name, self.nik, self.nib, self.npwp, self.phone, self.email])
        self._track(self.address.fields())
        self._track([self.representative])
        layout = QVBoxLayout(self)
        layout.addWidget(self.lookup)
        layout.addWidget(self.lookup_message)
        layout.addWidget(self.matches)
        kind = QWidget()
        kind_layout = QHBoxLayout(kind)
        kind_layout.setContentsMargins(0, 0, 0, 0)
        kind_layout.addWidget(self.kind)
        kind_layout.addStretch(1)
        kind.setFocusProxy(self.kind)
        layout.addLayout(
            form(
                [
                    (_("Jenis pemohon"), kind),
                    (_("Nama *"), self.name),
                    (_("NIK"), self.nik),
                    (_("NIB"), self.nib),
                    (_("NPWP"), self.npwp),
                    (_("Telepon"), self.phone),
                    (_("E-mail"), self.email),
                    *self.address.rows(),
                    (_("Penanggung jawab"), self.representative),
                ]
            )
        )
        layout.addStretch(1)
        self._returning: list[Returning] = []

    def kind_value(self) -> ApplicantKind:
        return ApplicantKind(str(self.kind.currentData()))

    def applicant(self) -> Applicant:
        return Applicant(
            kind=self.kind_value(),
            name=self.name.text(),
            nik=self.nik.text(),
            nib=self.nib.text(),
            npwp=self.npwp.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            address=self.address.address(),
            representative=self.representative.text(),
        )

    def show_matches(self, found: list[Returning]) -> None:
        self._returning = found
        self.matches.clear()
        if not found:
            self.matches.hide()
            self.lookup_message.show_warning(
                _("Pemohon tidak ditemukan: isi data sebagai pemohon baru.")
            )
            return
        if len(found) == 1:
            self.matches.hide()
            self._pick(0)
            return
        for item in found:
            a = item.applicant
            self.matches.addItem(f"{a.name} · {a.nik or a.nib or '-'} · {a.address.one_line()}")
        self.matches.show()
        self.matches.setCurrentRow(0)
        self.matches.setFocus()
        self.lookup_message.show_ok(
            _("{n} pemohon cocok: pilih dengan panah lalu Enter.").format(n=len(found))
        )

    def _pick(self, row: int) -> None:
        if not 0 <= row < len(self._returning):
            return
        chosen = self._returning[row]
        a = chosen.applicant
        self.applicant_id = chosen.applicant_id
        self.found_business = chosen.business
        self.kind.setCurrentIndex(0 if a.kind is ApplicantKind.INDIVIDUAL else 1)
        for field, value in (
            (self.name, a.name),
            (self.nik, a.nik),
            (self.nib, a.nib),
            (self.npwp, a.npwp),
            (self.phone, a.phone),
            (self.email, a.email),
            (self.representative, a.representative),
        ):
            field.set_text(value)
        self.address.fill(a.address)
        self.matches.hide()
        self.lookup_message.show_ok(_("Data pemohon lama dimuat: {name}.").format(name=a.name))
        self._typed()
        self.name.setFocus()

    def values(self) -> dict[str, str]:
        values = super().values()
        values["_jenis"] = self.kind_value().value
        values["_id"] = self.applicant_id or ""
        return values

    def restore(self, values: dict[str, str]) -> None:
        self.kind.setCurrentIndex(1 if values.get("_jenis") == ApplicantKind.COMPANY.value else 0)
        super().restore(values)
        self.address.fill(
            Address(
                values.get("alamat.jalan", ""),
                values.get("alamat.desa", ""),
                values.get("alamat.kecamatan", ""),
                values.get("alamat.kabupaten", self.address.kabupaten.text()),
                values.get("alamat.provinsi", self.address.province.text()),
            )
        )
        self.applicant_id = values.get("_id") or None

    def entered(self) -> None:
        self.lookup.setFocus()


class BusinessPage(_FormPage):
    """The business the permit is for; left empty, the dossier has no business."""

    def __init__(self, step: Step | None, places: Regency) -> None:
        super().__init__("usaha", _("Data usaha"), step)
        self.name = line_field("usaha", _("Nama usaha, misalnya Bengkel Dadi Motor"))
        self.kbli = line_field("kbli", _("5 digit, misalnya 45405"), 16)
        self.edition = line_field("kbli_edisi", _("misalnya 2020"), 10)
        self.address = AddressFields("alamat_usaha", places)
        self._track([self.name, self.kbli, self.edition])
        self._track(self.address.fields())
        layout = QVBoxLayout(self)
        layout.addLayout(
            form(
                [
                    (_("Nama usaha"), self.name),
                    (_("KBLI"), self.kbli),
                    (_("Edisi KBLI"), self.edition),
                    *self.address.rows(),
                ]
            )
        )
        layout.addStretch(1)

    def business(self) -> Business | None:
        if not any(f.text().strip() for f in (self.name, self.kbli, self.edition)):
            return None
        return Business(
            self.name.text(), self.kbli.text(), self.edition.text(), self.address.address()
        )

    def fill(self, business: Business) -> None:
        self.name.set_text(business.name)
        self.kbli.set_text(business.kbli)
        self.edition.set_text(business.kbli_edition)
        self.address.fill(business.address)
        self.show_problems()

    def entered(self) -> None:
        self.name.setFocus()


class ChecklistPage(Page):
    """The SOP's requirements for this applicant; what is ticked was received."""

    def __init__(self, step: Step | None) -> None:
        super().__init__("persyaratan", _("Pemeriksaan kelengkapan berkas"), step)
        self._layout = QVBoxLayout(self)
        self.all_button = QPushButton(_("Semua diterima (Ctrl+A)"))
        self.all_button.clicked.connect(self.tick_all)
        QShortcut(
            QKeySequence("Ctrl+A"),
            self,
            self.tick_all,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.status = MessageLine()
        self._boxes: dict[str, QCheckBox] = {}
        self._requirements: tuple[Requirement, ...] = ()
        self._holder = QVBoxLayout()
        self._layout.addLayout(self._holder)
        self._layout.addWidget(self.all_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._layout.addWidget(self.status)
        self._layout.addStretch(1)

    def set_requirements(self, requirements: tuple[Requirement, ...]) -> None:
        if requirements == self._requirements:
            return
        ticked = self.received()
        for box in self._boxes.values():
            self._holder.removeWidget(box)
            box.deleteLater()
        self._boxes = {}
        self._requirements = requirements
        for requirement in requirements:
            mark = _("wajib") if requirement.mandatory else _("opsional")
            box = QCheckBox(f"{requirement.name} ({mark})")
            box.setToolTip(requirement.help)
            box.setChecked(requirement.key in ticked)
            box.toggled.connect(self._changed)
            self._boxes[requirement.key] = box
            self._holder.addWidget(box)
        self._changed()

    def tick_all(self) -> None:
        for box in self._boxes.values():
            box.setChecked(True)

    def received(self) -> frozenset[str]:
        return frozenset(key for key, box in self._boxes.items() if box.isChecked())

    def missing(self) -> tuple[Requirement, ...]:
        return missing_files(self._requirements, self.received())

    def _changed(self) -> None:
        missing = self.missing()
        if missing:
            self.status.show_warning(
                _(
                    "Belum lengkap ({n} wajib belum ada): berkas akan dicatat sebagai "
                    "dikembalikan dan slip pengembalian dicetak."
                ).format(n=len(missing))
            )
        else:
            self.status.show_ok(_("Berkas lengkap: berkas didaftarkan dan tanda terima dicetak."))
        self.edited.emit()

    def values(self) -> dict[str, str]:
        return dict.fromkeys(sorted(self.received()), "1")

    def restore(self, values: dict[str, str]) -> None:
        for key, box in self._boxes.items():
            box.setChecked(bool(values.get(key)))

    def entered(self) -> None:
        first = next(iter(self._boxes.values()), None)
        (first or self.all_button).setFocus()


class SummaryPage(Page):
    """What will be registered, and the one button that does it."""

    def __init__(self, step: Step | None) -> None:
        super().__init__("ringkasan", _("Ringkasan dan pendaftaran"), step)
        self.text = QTextBrowser()
        self.result = MessageLine()
        self.register_button = QPushButton(_("&Daftarkan berkas (Ctrl+Enter)"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.result)
        layout.addWidget(self.register_button, 0, Qt.AlignmentFlag.AlignRight)

    def entered(self) -> None:
        self.register_button.setFocus()
