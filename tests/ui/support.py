"""Helpers of the desktop tests: a keyboard that counts, and reading a printed PDF's barcode."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

DECODE_DPI = 300


class Keyboard:
    """Drives widgets as a clerk would, counting every key press and click."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.presses = 0

    def type(self, widget: QWidget, text: str) -> None:
        self.qtbot.keyClicks(widget, text)
        self.presses += len(text)
        QApplication.processEvents()

    def press(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        """A key sent to whatever has the focus now, as a real keyboard would."""
        focus = QApplication.focusWidget()
        assert focus is not None, "nothing has the keyboard focus"
        self.qtbot.keyClick(focus, key, modifier)
        self.presses += 1
        QApplication.processEvents()

    def click(self, button: QAbstractButton) -> None:
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        self.presses += 1
        QApplication.processEvents()


def barcodes(pdf: Path) -> list[str]:
    """Every barcode and QR code a scanner reads on the PDF's pages, rendered at 300 dpi."""
    texts: list[str] = []
    document = pdfium.PdfDocument(pdf.read_bytes())
    try:
        for page in document:
            image = page.render(scale=DECODE_DPI / 72).to_pil()
            texts += [found.text for found in zxingcpp.read_barcodes(image)]
    finally:
        document.close()
    return texts
