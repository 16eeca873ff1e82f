"""The satisfaction survey (*Survei Kepuasan Masyarakat*), answered on the counter PC.

Nine elements, each 1-4; the applicant answers at handover and the survey service
records it once. A missing answer is refused by the service with its own message.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from loket.domain.i18n import _
from loket.services.survey import MAX_SCORE, MIN_SCORE, element_names
from ui.forms import MessageLine
from ui.session import Session, message_for

UNANSWERED = 0


def score_labels() -> tuple[str, ...]:
    return (_("Tidak baik"), _("Kurang baik"), _("Baik"), _("Sangat baik"))


class SurveyDialog(QDialog):
    """Nine questions, four answers each, and a suggestion; saved for one dossier."""

    def __init__(self, session: Session, number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.number = session, number
        self.setWindowTitle(_("Survei Kepuasan Masyarakat — {number}").format(number=number))
        intro = QLabel(
            _("Mohon nilai pelayanan kami untuk setiap unsur (1 = tidak baik, 4 = sangat baik).")
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        labels = score_labels()
        for column, text in enumerate(labels, start=1):
            grid.addWidget(QLabel(f"{column}\n{text}"), 0, column)
        self.groups: list[QButtonGroup] = []
        for row, name in enumerate(element_names(), start=1):
            grid.addWidget(QLabel(f"U{row}. {name}"), row, 0)
            group = QButtonGroup(self)
            for score in range(MIN_SCORE, MAX_SCORE + 1):
                button = QRadioButton()
                button.setAccessibleName(f"U{row} {labels[score - 1]}")
                group.addButton(button, score)
                grid.addWidget(button, row, score)
            self.groups.append(group)
        self.suggestion = QPlainTextEdit()
        self.suggestion.setPlaceholderText(_("Saran dan masukan (boleh kosong)"))
        self.suggestion.setMaximumHeight(80)
        self.message = MessageLine()
        self.save_button = QPushButton(_("&Simpan survei"))
        self.save_button.setDefault(True)
        skip = QPushButton(_("&Lewati"))
        self.save_button.clicked.connect(self.save)
        skip.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(skip)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.suggestion)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def scores(self) -> list[int]:
        return [max(group.checkedId(), UNANSWERED) for group in self.groups]

    def set_scores(self, scores: Sequence[int]) -> None:
        for group, score in zip(self.groups, scores, strict=False):
            button = group.button(score)
            if button is not None:
                button.setChecked(True)

    def save(self) -> None:
        survey, user = self.session.loket.back_office.survey, self.session.user
        number, scores = self.number, self.scores()
        suggestion = self.suggestion.toPlainText()
        self.session.tasks.write(
            lambda: survey.answer(user, number, scores, suggestion),
            lambda _none: self.accept(),
            lambda error: self.message.show_error(message_for(error)),
        )
