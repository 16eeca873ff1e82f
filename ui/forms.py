"""The lightest building blocks (a message line, a form layout): no core imports, so the
login window can use them before the core has loaded."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

ERROR_STYLE = "color: #b3261e;"
WARNING_STYLE = "color: #8a5a00;"
OK_STYLE = "color: #1b6e20;"


class MessageLine(QLabel):
    """One line of feedback: red for what blocks, amber for a warning, green for done."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.hide()

    def show_error(self, text: str) -> None:
        self._show(text, ERROR_STYLE)

    def show_warning(self, text: str) -> None:
        self._show(text, WARNING_STYLE)

    def show_ok(self, text: str) -> None:
        self._show(text, OK_STYLE)

    def clear_message(self) -> None:
        self.setText("")
        self.hide()

    def _show(self, text: str, style: str) -> None:
        # Set here, not in __init__: PySide6 builds its Qt namespace (about 17 ms) on
        # first use, which the login window, shown before anything else, can skip.
        from PySide6.QtCore import Qt

        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet(style)
        self.setText(text)
        self.setVisible(bool(text))


def form(rows: Sequence[tuple[str, QWidget]]) -> QFormLayout:
    layout = QFormLayout()
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    for label, widget in rows:
        title = QLabel(label)
        title.setBuddy(widget.focusProxy() or widget)
        layout.addRow(title, widget)
    return layout
