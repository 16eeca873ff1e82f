"""PDF bytes to a printer (named, default, or a PDF file) and to an image for preview.

QtPdf is not part of PySide6-Essentials, so pages are rendered with pypdfium2 into
a QImage and painted on a QPrinter with QPainter, each page at its own size (an
80 mm roll receipt is printed on an 80 mm page, not scaled onto A4). PDFium is not
thread-safe: every call into it holds one lock, so previews may render off the UI
thread while a print job renders on it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from loket.domain.i18n import _

POINTS_PER_INCH = 72
PRINT_DPI = 300
PREVIEW_DPI = 110
_PDFIUM = threading.Lock()


class PrintFailed(Exception):
    """A printer that is missing, offline or refusing; ``str()`` is the clerk's message."""


@dataclass(frozen=True, slots=True)
class PrintTarget:
    """Where a job goes: a printer by name, the default printer (no name), or a PDF file."""

    printer_name: str = ""
    output_file: Path | None = None


@dataclass(frozen=True, slots=True)
class Printed:
    pages: int
    printer: str


@contextmanager
def _document(pdf: bytes) -> Iterator[pdfium.PdfDocument]:
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(pdf)
        except pdfium.PdfiumError as exc:
            raise PrintFailed(
                _("Dokumen PDF tidak dapat dibaca: {error}").format(error=exc)
            ) from exc
        try:
            yield document
        finally:
            document.close()


def _image(page: pdfium.PdfPage, dpi: float) -> QImage:
    bitmap = page.render(scale=dpi / POINTS_PER_INCH, rev_byteorder=True, prefer_bgrx=True)
    try:
        image = QImage(
            bytes(bitmap.buffer),
            bitmap.width,
            bitmap.height,
            bitmap.stride,
            QImage.Format.Format_RGBX8888,
        )
        return image.copy()  # detached from the buffer, which is freed below
    finally:
        bitmap.close()


def page_count(pdf: bytes) -> int:
    with _document(pdf) as document:
        return len(document)


def render_page(pdf: bytes, index: int = 0, dpi: float = PREVIEW_DPI) -> QImage:
    """One page as an image (the in-app preview); safe off the UI thread."""
    with _document(pdf) as document:
        if not 0 <= index < len(document):
            raise PrintFailed(_("Halaman {page} tidak ada pada dokumen.").format(page=index + 1))
        return _image(document[index], dpi)


def page_size(pdf: bytes, index: int = 0) -> QPageSize:
    """The page's own size, as Qt names it (A5, A4, or a custom roll size)."""
    with _document(pdf) as document:
        width, height = document[index].get_size()
    return QPageSize(
        QSizeF(width, height), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch
    )


def _printer(target: PrintTarget) -> QPrinter:
    if target.output_file is not None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target.output_file))
        return printer
    info = (
        QPrinterInfo.printerInfo(target.printer_name)
        if target.printer_name
        else QPrinterInfo.defaultPrinter()
    )
    if info.isNull():
        if target.printer_name:
            raise PrintFailed(
                _(
                    "Printer {name} tidak ditemukan. Periksa kabel dan daya printer, atau pilih "
                    "printer lain (Ctrl+Shift+P)."
                ).format(name=target.printer_name)
            )
        raise PrintFailed(_("Belum ada printer yang terpasang. Pasang printer, lalu coba lagi."))
    if info.state() == QPrinter.PrinterState.Error:
        raise PrintFailed(
            _(
                "Printer {name} sedang bermasalah (offline atau error). Periksa printer, lalu "
                "cetak ulang; berkas tetap tersimpan."
            ).format(name=info.printerName())
        )
    return QPrinter(info, QPrinter.PrinterMode.HighResolution)


def _layout(size: QPageSize) -> QPageLayout:
    return QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))


def send_pdf(pdf: bytes, target: PrintTarget, dpi: float = PRINT_DPI, title: str = "") -> Printed:
    """Print every page of ``pdf`` at its own page size; raises :class:`PrintFailed`.

    Runs on the UI thread (QPrinter is a paint device of the GUI), rendering one
    page at a time so that a long document never holds every page in memory.
    ``title`` names the job in the printer's queue (CUPS shows it, and cups-pdf names
    its file after it), so a clerk can tell which dossier's receipt is waiting.
    """
    printer = _printer(target)
    printer.setFullPage(True)
    if title:
        printer.setDocName(title)
    with _document(pdf) as document:
        sizes = [document[i].get_size() for i in range(len(document))]
    if not sizes:
        raise PrintFailed(_("Dokumen PDF tidak berisi halaman."))
    first = QPageSize(
        QSizeF(*sizes[0]), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch
    )
    printer.setPageLayout(_layout(first))
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed(
            _(
                "Printer {name} tidak dapat dipakai (offline atau tidak menjawab). Berkas tetap "
                "tersimpan; cetak ulang dari tampilan berkas."
            ).format(name=target.printer_name or printer.printerName())
        )
    try:
        for index, (width, height) in enumerate(sizes):
            if index:
                size = QPageSize(
                    QSizeF(width, height),
                    QPageSize.Unit.Point,
                    "",
                    QPageSize.SizeMatchPolicy.FuzzyMatch,
                )
                printer.setPageLayout(_layout(size))
                printer.newPage()
            image = render_page(pdf, index, dpi)
            area = printer.pageLayout().fullRectPixels(printer.resolution())
            painter.drawImage(QRectF(area), image)
    finally:
        painter.end()
    return Printed(len(sizes), target.printer_name or printer.printerName())
