"""Helpers of the desktop tests: a keyboard that counts, the first-run answers, the
counter's first pages, and reading a printed PDF's barcode."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from loket.domain.roles import Role
from tests.ui.conftest import SessionFactory
from ui.access import FirstRunDialog
from ui.intake_pages import StepPage
from ui.mainwindow import MainWindow

DECODE_DPI = 300
FIRST_RUN_PASSWORD = "rahasia-kantor-1"
CTRL = Qt.KeyboardModifier.ControlModifier


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


def fill_first_run(dialog: FirstRunDialog) -> None:
    """An office other than Landak's, as a newly installing office would type it."""
    dialog.government.setText("PEMERINTAH KABUPATEN SANGGAU")
    dialog.name.setText("DINAS PENANAMAN MODAL DAN PTSP")
    dialog.address.setText("Jl. Jenderal Sudirman No. 1, Sanggau")
    dialog.city.setText("Sanggau")
    dialog.head_title.setText("KEPALA DINAS")
    dialog.username.setText("admin")
    dialog.full_name.setText("Admin Kantor")
    dialog.station.setText("FO2")
    dialog.head_nip.setText("19700101 199003 1 001")
    dialog.password.setText(FIRST_RUN_PASSWORD)
    dialog.password_again.setText(FIRST_RUN_PASSWORD)


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


def open_window(qtbot: QtBot, session_for: SessionFactory) -> MainWindow:
    window = MainWindow(session_for(Role.FRONT_OFFICE))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def next_page(keys: Keyboard) -> None:
    """Ctrl+Enter: the wizard's next page."""
    keys.press(Qt.Key.Key_Return, CTRL)


def walk_counter_steps(window: MainWindow, keys: Keyboard, sop: str) -> None:
    keys.press(Qt.Key.Key_F2)
    wizard = window.intake
    assert wizard is not None
    assert window.stack.currentWidget() is wizard
    keys.type(wizard.sop_page.search, sop)
    next_page(keys)
    while isinstance(wizard.current(), StepPage):
        next_page(keys)


def print_receipt(qtbot: QtBot, window: MainWindow, keys: Keyboard, printed: Path) -> str:
    preview = window.preview
    assert preview is not None
    qtbot.waitUntil(preview.print_button.isEnabled)
    preview.activateWindow()
    qtbot.waitUntil(preview.isActiveWindow)
    keys.press(Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(printed.exists)
    view = window.dossier.view
    assert view is not None
    return view.record.number
