"""Preview and print of a PDF the back office makes (signed permit, draft, BAP, letter).

:class:`~ui.preview.PreviewDialog` shows the counter's three documents by kind; the
back office's documents come from other calls of the documents service, so this
dialog takes the call itself and keeps the preview's printing (station printer,
Ctrl+P, Ctrl+Shift+P) as it is.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from loket.domain.i18n import _
from ui.documents import Kind
from ui.preview import PreviewDialog
from ui.printing import render_page
from ui.session import Session

MakePdf = Callable[[], bytes]


class PdfPreviewDialog(PreviewDialog):
    """The first page of the PDF ``make`` returns (run off the UI thread), ready to print."""

    def __init__(
        self,
        session: Session,
        title: str,
        number: str,
        make: MakePdf,
        parent: QWidget | None = None,
    ) -> None:
        self._make: MakePdf | None = None
        super().__init__(session, Kind.PERMIT, number, parent)
        self._make = make
        self.title = title
        self.setWindowTitle(_("{document} — {number}").format(document=title, number=number))
        self.format.hide()
        self.load()

    def load(self) -> None:
        make = self._make
        if make is None:  # the base constructor asks before the call is known
            return

        def work() -> tuple[bytes, QImage]:
            pdf = make()
            return pdf, render_page(pdf)

        self.print_button.setEnabled(False)
        self.session.tasks.read(work, self._loaded, self._load_failed)
