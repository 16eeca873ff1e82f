"""Small building blocks: a field with its reason beside it, and a step header with its
timer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from loket.domain.calendar import WorkingCalendar
from loket.domain.i18n import _
from loket.domain.sop import Actor, Step
from loket.domain.validation import Problem, Severity
from loket.services.desk import Timeliness, timeliness
from ui.forms import MessageLine
from ui.models import time_text

TIMELINESS_COLORS = {
    Timeliness.ON_TIME: "#1b6e20",
    Timeliness.NEAR: "#b26a00",
    Timeliness.LATE: "#b3261e",
}


def actor_label(actor: Actor) -> str:
    labels = {
        Actor.PEMOHON: _("Pemohon"),
        Actor.FRONT_OFFICE: _("Front Office"),
        Actor.BACK_OFFICE: _("Back Office"),
        Actor.TIM_TEKNIS: _("Tim Teknis"),
        Actor.KASI_PERIZINAN: _("Kasi Perizinan"),
        Actor.KABID_PERIZINAN: _("Kabid Perizinan"),
        Actor.SEKRETARIAT: _("Sekretariat"),
        Actor.KEPALA_DINAS: _("Kepala Dinas"),
    }
    return labels[actor]


class Checked(QWidget):
    """Any input (an editor, or a row of them) with the reason it is refused right under it."""

    def __init__(self, key: str, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.message = MessageLine()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(body)
        layout.addWidget(self.message)
        self.setFocusProxy(body.focusProxy() or body)

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """The first error about this key, else its first warning, else nothing."""
        mine = [p for p in problems if p.field == self.key]
        errors = [p for p in mine if p.severity is Severity.ERROR]
        if errors:
            self.message.show_error(errors[0].message)
        elif mine:
            self.message.show_warning(mine[0].message)
        else:
            self.message.clear_message()


class Field(Checked):
    """An editor with the reason it is refused (or doubted) right under it."""

    edited = Signal()

    def __init__(
        self, key: str, editor: QLineEdit | QComboBox, parent: QWidget | None = None
    ) -> None:
        super().__init__(key, editor, parent)
        self.editor = editor
        if isinstance(editor, QLineEdit):
            editor.textEdited.connect(self.edited)
        else:
            editor.currentTextChanged.connect(self.edited)
        self.setFocusProxy(editor)

    def text(self) -> str:
        if isinstance(self.editor, QLineEdit):
            return self.editor.text()
        return self.editor.currentText()

    def set_text(self, value: str) -> None:
        if isinstance(self.editor, QLineEdit):
            self.editor.setText(value)
        else:
            self.editor.setCurrentText(value)


def line_field(key: str, placeholder: str = "", max_length: int = 300) -> Field:
    editor = QLineEdit()
    editor.setPlaceholderText(placeholder)
    editor.setMaxLength(max_length)
    return Field(key, editor)


def combo_field(key: str, items: Sequence[str], max_length: int = 100) -> Field:
    """A list to pick from that still takes any typed value (addresses outside Landak)."""
    editor = QComboBox()
    editor.setEditable(True)
    editor.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    editor.addItems(list(items))
    editor.setCurrentIndex(-1)
    line = editor.lineEdit()
    if line is not None:
        line.setMaxLength(max_length)
    return Field(key, editor)


def elapsed_text(seconds: float) -> str:
    whole = max(int(seconds), 0)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class StepHeader(QFrame):
    """The SOP step a page belongs to: activity, who acts, its *mutu baku* and a clock."""

    def __init__(
        self,
        calendar: WorkingCalendar,
        clock: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._calendar, self._clock = calendar, clock
        self._step: Step | None = None
        self._started: datetime | None = None
        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.actor = QLabel()
        self.mutu = QLabel()
        self.mutu.setWordWrap(True)
        self.timer_label = QLabel()
        grid = QGridLayout(self)
        grid.addWidget(self.title, 0, 0, 1, 2)
        grid.addWidget(self.actor, 1, 0)
        grid.addWidget(self.timer_label, 1, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.mutu, 2, 0, 1, 2)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.refresh_timer)

    def show_step(self, step: Step | None, started: datetime | None, heading: str = "") -> None:
        self._step, self._started = step, started
        if step is None:
            self.title.setText(heading)
            self.actor.clear()
            self.mutu.clear()
            self.timer_label.clear()
            self._tick.stop()
            return
        self.title.setText(
            _("Langkah {no}: {activity}").format(no=step.no, activity=step.activity)
            + (f" — {heading}" if heading else "")
        )
        actor = actor_label(step.actor)
        if step.acting_role is not step.actor:
            actor = _("{actor} (dicatat oleh {recorder})").format(
                actor=actor, recorder=actor_label(step.acting_role)
            )
        self.actor.setText(_("Pelaksana: {actor}").format(actor=actor))
        self.mutu.setText(
            _("Mutu baku — kelengkapan: {requirement}; waktu: {time}; output: {output}").format(
                requirement=step.requirement or "-",
                time=time_text(step.time),
                output=step.output or "-",
            )
        )
        self.refresh_timer()
        self._tick.start()

    def refresh_timer(self) -> None:
        if self._step is None or self._started is None:
            return
        now = self._clock()
        fraction = self._calendar.fraction_used(self._started, now, self._step.time)
        color = TIMELINESS_COLORS[timeliness(fraction)]
        self.timer_label.setStyleSheet(f"color: {color}; font-weight: bold;")
        self.timer_label.setText(
            _("Waktu: {elapsed} dari standar {standard}").format(
                elapsed=elapsed_text((now - self._started).total_seconds()),
                standard=time_text(self._step.time),
            )
        )

    def stop(self) -> None:
        self._tick.stop()
