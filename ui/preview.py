"""Preview of a dossier's document and printing it, remembering this station's printer.

The page is rendered with pypdfium2 off the UI thread (QtPdf is not available);
Ctrl+P prints to the printer this station last used (the print dialog the first
time), Ctrl+Shift+P opens the print dialog to choose another. A printer that is
missing or offline gives a clear message; the dossier is already saved.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from loket.domain.i18n import _
from ui.documents import DEFAULT_FORMAT, FORMATS, Kind, make
from ui.forms import MessageLine
from ui.printing import Printed, PrintFailed, PrintTarget, render_page, send_pdf
from ui.session import Session, message_for

PRINTER_KEY = "print/printer"
OUTPUT_FILE_KEY = "print/output_file"
FORMAT_KEY = "print/format"


def station_target(session: Session) -> PrintTarget | None:
    """The printer this station remembers; None before the first print."""
    output = session.station.text(OUTPUT_FILE_KEY)
    printer = session.station.text(PRINTER_KEY)
    if not output and not printer:
        return None
    return PrintTarget(printer, Path(output) if output else None)


def remember(session: Session, target: PrintTarget) -> None:
    session.station.put(PRINTER_KEY, target.printer_name)
    session.station.put(OUTPUT_FILE_KEY, str(target.output_file) if target.output_file else "")


class PreviewDialog(QDialog):
    """One document of one dossier: its first page, its format, print and reprint."""

    printed = Signal(str)

    def __init__(
        self, session: Session, kind: Kind, number: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session, self.kind, self.number = session, kind, number
        self.pdf: bytes | None = None
        self.setWindowTitle(_("{document} — {number}").format(document=kind.label, number=number))
        self.page = QLabel(_("Menyiapkan dokumen…"))
        self.page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidget(self.page)
        scroll.setWidgetResizable(True)
        self.format = QComboBox()
        labels = {"a5": "A5", "a4": "A4", "80mm": _("Rol 80 mm"), "58mm": _("Rol 58 mm")}
        for name in FORMATS:
            self.format.addItem(labels[name], name)
        remembered = session.station.text(FORMAT_KEY, DEFAULT_FORMAT)
        self.format.setCurrentIndex(
            max(FORMATS.index(remembered) if remembered in FORMATS else 0, 0)
        )
        self.format.setEnabled(kind is Kind.RECEIPT)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.message = MessageLine()
        self.print_button = QPushButton(_("&Cetak (Ctrl+P)"))
        self.choose_button = QPushButton(_("&Pilih printer… (Ctrl+Shift+P)"))
        close = QPushButton(_("&Tutup (Esc)"))
        self.print_button.clicked.connect(self.print_now)
        self.choose_button.clicked.connect(self.choose_printer)
        close.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+P"), self, self.print_now)
        QShortcut(QKeySequence("Ctrl+Shift+P"), self, self.choose_printer)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(_("Format:")))
        buttons.addWidget(self.format)
        buttons.addStretch(1)
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(700, 860)
        self.print_button.setEnabled(False)
        self.load()

    def _format_changed(self) -> None:
        self.session.station.put(FORMAT_KEY, str(self.format.currentData()))
        self.load()

    def load(self) -> None:
        session, kind, number = self.session, self.kind, self.number
        page = str(self.format.currentData())

        def work() -> tuple[bytes, QImage]:
            pdf = make(session.loket, session.user, kind, number, page)
            return pdf, render_page(pdf)

        self.print_button.setEnabled(False)
        session.tasks.read(work, self._loaded, self._load_failed)

    def _loaded(self, result: tuple[bytes, QImage]) -> None:
        self.pdf, image = result
        self.page.setPixmap(QPixmap.fromImage(image))
        self.print_button.setEnabled(True)
        self.print_button.setFocus()

    def _load_failed(self, error: BaseException) -> None:
        self.page.setText(_("Dokumen tidak dapat ditampilkan."))
        self.message.show_error(message_for(error))

    def print_now(self) -> None:
        target = station_target(self.session)
        if target is None:
            self.choose_printer()
            return
        self._send(target)

    def choose_printer(self) -> None:
        printer = QPrinter()
        remembered = station_target(self.session)
        if remembered is not None and remembered.printer_name:
            printer.setPrinterName(remembered.printer_name)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        output = printer.outputFileName()
        target = PrintTarget(
            printer.printerName() if not output else "", Path(output) if output else None
        )
        remember(self.session, target)
        self._send(target)

    def _send(self, target: PrintTarget) -> None:
        """QPainter may paint on a QPrinter off the GUI thread: the job renders in a task."""
        pdf = self.pdf
        if pdf is None:
            return
        title = f"{self.kind.label} {self.number}"  # the job's name in the printer's queue
        self.message.show_ok(_("Mencetak…"))
        self.session.tasks.read(
            lambda: send_pdf(pdf, target, title=title),
            lambda printed: self._sent(printed, target),
            self._print_failed,
        )

    def _sent(self, printed: Printed, target: PrintTarget) -> None:
        where = printed.printer or (str(target.output_file) if target.output_file else "")
        self.message.show_ok(
            _("Dicetak ke {printer} ({pages} halaman).").format(printer=where, pages=printed.pages)
        )
        self.printed.emit(where)

    def _print_failed(self, error: BaseException) -> None:
        if isinstance(error, PrintFailed):
            self.message.show_error(str(error))
        else:
            self.message.show_error(message_for(error))
