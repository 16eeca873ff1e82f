"""The guided intake: the SOP's counter steps as pages, ending in a registered dossier.

Pages are generated from the SOP: one per step the applicant does (recorded by the
clerk, optional ones may be left undone), then the intake step's own fields and its
forms (applicant, business, requirement checklist), then a summary. Every page
carries its step's header with the time spent against the step's standard. What is
typed is kept as a draft on every change, and offered back after a crash.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from loket.domain.formatting import short_datetime
from loket.domain.i18n import _
from loket.domain.sop import Sop
from loket.domain.validation import Problem, Severity
from loket.services.counter import counter_steps, references, walked_steps
from loket.services.desk import Returning, blocking, find_returning, intake_problems
from loket.services.dossiers import DossierView, Intake
from loket.services.drafts import Draft
from loket.services.errors import InvalidInput
from ui.forms import MessageLine
from ui.intake_pages import (
    ApplicantPage,
    BusinessPage,
    ChecklistPage,
    Page,
    SopPage,
    StepPage,
    SummaryPage,
)
from ui.session import Session, message_for
from ui.widgets import StepHeader

DRAFT_DELAY_MS = 600
TIMES_PAGE = "waktu"


class IntakeWizard(QWidget):
    registered = Signal(object)  # DossierView

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        loket = session.loket
        self.header = StepHeader(loket.calendar, loket.clock)
        self.stack = QStackedWidget()
        self.message = MessageLine()
        self.position = QLabel()
        self.back_button = QPushButton(_("&Kembali (Alt+←)"))
        self.next_button = QPushButton(_("&Lanjut (Ctrl+Enter)"))
        self.draft_bar = QWidget()
        self.draft_label = QLabel()
        self.resume_button = QPushButton(_("Lanjutkan &draf"))
        self.drop_button = QPushButton(_("&Buang draf"))
        bar = QHBoxLayout(self.draft_bar)
        bar.addWidget(self.draft_label, 1)
        bar.addWidget(self.resume_button)
        bar.addWidget(self.drop_button)
        self.draft_bar.setStyleSheet("background: #fff4d6;")
        self.draft_bar.hide()
        nav = QHBoxLayout()
        nav.addWidget(self.position, 1)
        nav.addWidget(self.back_button)
        nav.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.draft_bar)
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.message)
        layout.addLayout(nav)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.resume_button.clicked.connect(self.resume_draft)
        self.drop_button.clicked.connect(self.drop_draft)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(
                QKeySequence(keys),
                self,
                self.next,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
        QShortcut(
            QKeySequence("Alt+Left"),
            self,
            self.back,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self._busy = False
        self.sop_page = SopPage(loket.catalog.latest())
        self.pages: list[Page] = []
        self.sop: Sop | None = None
        self.started_at: datetime | None = None
        self.step_started: dict[int, datetime] = {}
        self.step_finished: dict[int, datetime] = {}
        self.reset()

    # --- building ----------------------------------------------------------------------

    def reset(self) -> None:
        """A fresh intake at the SOP page (the previous draft is not touched)."""
        while self.stack.count():
            widget = self.stack.widget(0)
            if widget is None:
                break
            self.stack.removeWidget(widget)
            if widget is not self.sop_page:
                widget.deleteLater()
        self.sop = None
        self.pages = [self.sop_page]
        self.stack.addWidget(self.sop_page)
        self.started_at = None
        self.step_started, self.step_finished = {}, {}
        self.sop_page.search.clear()
        self.message.clear_message()
        self._go(0)
        self.offer_draft()

    def _build(self, sop: Sop) -> None:
        if (
            self.sop is not None
            and self.sop.number == sop.number
            and self.sop.version == sop.version
        ):
            return
        for page in self.pages[1:]:
            self.stack.removeWidget(page)
            page.deleteLater()
        self.sop = sop
        places = self.session.places
        steps = counter_steps(sop)
        intake = steps.intake
        pages: list[Page] = [StepPage(step) for step in steps.before]
        if intake is not None and intake.fields:
            pages.append(StepPage(intake))
        self.applicant_page = ApplicantPage(intake, places)
        self.business_page = BusinessPage(intake, places)
        self.checklist_page = ChecklistPage(intake)
        self.summary_page = SummaryPage(intake)
        pages += [self.applicant_page, self.business_page, self.checklist_page, self.summary_page]
        self.applicant_page.check = self._problems
        self.business_page.check = self._problems
        self.applicant_page.lookup_requested.connect(self.find_applicant)
        self.summary_page.register_button.clicked.connect(self.register)
        for page in pages:
            page.edited.connect(self._draft_timer.start)
            self.stack.addWidget(page)
        self.pages = [self.sop_page, *pages]
        self.step_started, self.step_finished = {}, {}

    # --- moving ------------------------------------------------------------------------

    def current(self) -> Page:
        return self.pages[self.stack.currentIndex()]

    def _go(self, index: int) -> None:
        page = self.pages[index]
        now = self.session.loket.clock()
        if page.step is not None and page.step.no not in self.step_started:
            self.step_started[page.step.no] = now
        if page is getattr(self, "business_page", None):
            found = self.applicant_page.found_business
            if found is not None and not any(
                f.text().strip() for f in self.business_page.fields[:3]
            ):
                self.business_page.fill(found)
        if page is getattr(self, "checklist_page", None):
            assert self.sop is not None
            self.checklist_page.set_requirements(
                self.sop.requirements_for(self.applicant_page.kind_value())
            )
        if page is getattr(self, "summary_page", None):
            self.summary_page.text.setHtml(self._summary_html())
        self.stack.setCurrentIndex(index)
        started = self.step_started.get(page.step.no) if page.step else None
        self.header.show_step(page.step, started, page.heading)
        if self.sop is None:
            self.position.setText(_("Pilih jenis izin, lalu Ctrl+Enter"))
        else:
            self.position.setText(
                _("Halaman {page} dari {pages}").format(page=index + 1, pages=len(self.pages))
            )
        self.back_button.setEnabled(index > 0)
        self.next_button.setEnabled(
            page is not getattr(self, "summary_page", None) or self.sop is None
        )
        page.entered()

    def next(self) -> None:
        page = self.current()
        index = self.stack.currentIndex()
        if page is getattr(self, "summary_page", None):
            self.register()
            return
        errors = blocking(page.problems())
        if errors:
            self._refuse(page, errors)
            return
        self.message.clear_message()
        if page is self.sop_page:
            sop = self.sop_page.sop()
            assert sop is not None
            self._build(sop)
            if self.started_at is None:
                self.started_at = self.session.loket.clock()
        following = self.pages[index + 1]
        if page.step is not None and following.step is not page.step:
            self.step_finished[page.step.no] = self.session.loket.clock()
        self._go(index + 1)
        self.save_draft()

    def back(self) -> None:
        index = self.stack.currentIndex()
        if index > 0:
            self.message.clear_message()
            self._go(index - 1)

    def _refuse(self, page: Page, errors: list[Problem]) -> None:
        reveal = getattr(page, "reveal", None)
        if callable(reveal):
            reveal()
        else:
            page.show_problems()
        self.message.show_error(
            _("Langkah ini belum dapat dilanjutkan: {reason}").format(reason=errors[0].message)
        )
        for field in getattr(page, "fields", []):
            if field.key == errors[0].field:
                field.setFocus()
                break

    # --- the core's checks and the intake ------------------------------------------------

    def _intake(self) -> Intake:
        assert self.sop is not None
        applicant = self.applicant_page.applicant()
        # What the clerk recorded; which steps that makes done is the core's rule.
        recorded = {
            page.step.no: page.recorded(self.step_finished.get(page.step.no))
            for page in self.pages
            if isinstance(page, StepPage) and page.step is not None
        }
        walked = walked_steps(
            self.sop,
            recorded,
            files_complete=not self.checklist_page.missing(),
            now=self.session.loket.clock(),
        )
        typed = references(recorded)
        return Intake(
            sop_number=self.sop.number,
            applicant=applicant,
            business=self.business_page.business(),
            received=self.checklist_page.received(),
            sicantik_no=typed.get("sicantik_no", ""),
            oss_nib=typed.get("oss_nib", ""),
            started_at=self.started_at,
            walked=walked,
            applicant_id=self.applicant_page.applicant_id,
        )

    def _problems(self) -> list[Problem]:
        if self.sop is None:
            return []
        intake = Intake(
            self.sop.number,
            self.applicant_page.applicant(),
            self.business_page.business(),
            frozenset(),
        )
        return intake_problems(intake)

    def _summary_html(self) -> str:
        intake = self._intake()
        assert self.sop is not None
        missing = self.checklist_page.missing()
        applicant = intake.applicant
        lines = [
            f"<h3>{escape(self.sop.name)}</h3>",
            "<p>{}: <b>{}</b> ({})</p>".format(
                _("Pemohon"), escape(applicant.name), escape(applicant.nik or applicant.nib)
            ),
        ]
        if intake.business is not None:
            lines.append("<p>{}: {}</p>".format(_("Usaha"), escape(intake.business.name)))
        if missing:
            items = "".join(f"<li>{escape(r.name)}</li>" for r in missing)
            lines.append(
                "<p style='color:#8a5a00'><b>{}</b></p><ul>{}</ul>".format(
                    _("Berkas belum lengkap: akan dikembalikan kepada pemohon. Belum ada:"), items
                )
            )
        else:
            lines.append("<p style='color:#1b6e20'><b>{}</b></p>".format(_("Berkas lengkap.")))
        warnings = [p for p in intake_problems(intake) if p.severity is Severity.WARNING]
        lines += [f"<p style='color:#8a5a00'>{escape(w.message)}</p>" for w in warnings]
        return "".join(lines)

    def register(self) -> None:
        if self._busy or self.sop is None:
            return
        intake = self._intake()
        errors = blocking(intake_problems(intake))
        if errors:
            self._show_refusal(errors)
            return
        self._busy = True
        self.summary_page.register_button.setEnabled(False)
        self.summary_page.result.show_ok(_("Menyimpan…"))
        loket, user = self.session.loket, self.session.user
        self.save_draft()
        self.session.tasks.write(
            lambda: loket.dossiers.register(user, intake), self._registered, self._failed
        )

    def _registered(self, view: DossierView) -> None:
        self._busy = False
        self.summary_page.register_button.setEnabled(True)
        self._draft_timer.stop()
        self.session.drafts.discard(self.session.user.id)
        self.registered.emit(view)
        self.reset()

    def _failed(self, error: BaseException) -> None:
        """Nothing typed is lost: the draft stays, and the clerk can try again."""
        self._busy = False
        self.summary_page.register_button.setEnabled(True)
        if isinstance(error, InvalidInput) and error.problems:
            self._show_refusal(blocking(list(error.problems)))
            return
        self.summary_page.result.show_error(
            _(
                "Berkas belum tersimpan: {reason} Data yang diketik tetap tersimpan sebagai draf."
            ).format(reason=message_for(error))
        )

    def _show_refusal(self, errors: list[Problem]) -> None:
        """Go to the page holding the first refused field, with its reason beside it."""
        for index, page in enumerate(self.pages):
            keys = {f.key for f in getattr(page, "fields", [])}
            if errors[0].field in keys:
                self._go(index)
                self._refuse(page, errors)
                return
        self.summary_page.result.show_error(errors[0].message)

    # --- returning applicants ------------------------------------------------------------

    def find_applicant(self, query: str) -> None:
        text = query.strip()
        if not text:
            return
        loket, user = self.session.loket, self.session.user
        self.session.tasks.read(
            lambda: find_returning(loket, user, text), self._found, self._lookup_failed
        )

    def _found(self, found: list[Returning]) -> None:
        self.applicant_page.show_matches(found)

    def _lookup_failed(self, error: BaseException) -> None:
        self.applicant_page.lookup_message.show_error(message_for(error))

    # --- drafts --------------------------------------------------------------------------

    def draft(self) -> Draft | None:
        if self.sop is None:
            return None
        values: dict[str, str] = {}
        for page in self.pages[1:]:
            values.update({f"{page.key}.{k}": v for k, v in page.values().items()})
        if self.started_at is not None:
            values[f"{TIMES_PAGE}.mulai"] = self.started_at.isoformat()
        for no, moment in self.step_finished.items():
            values[f"{TIMES_PAGE}.selesai.{no}"] = moment.isoformat()
        return Draft(
            self.sop.number, values, self.checklist_page.received(), self.stack.currentIndex()
        )

    def save_draft(self) -> None:
        draft = self.draft()
        if draft is None:
            return
        drafts, user_id = self.session.drafts, self.session.user.id
        self.session.tasks.write(
            lambda: drafts.save(user_id, draft), lambda _saved: None, self._draft_failed
        )

    def _draft_failed(self, error: BaseException) -> None:
        self.message.show_warning(
            _("Draf tidak dapat disimpan: {reason}").format(reason=message_for(error))
        )

    def offer_draft(self) -> None:
        draft = self.session.drafts.load(self.session.user.id)
        if draft is None:
            self.draft_bar.hide()
            return
        name = draft.values.get("pemohon.nama", "") or _("(tanpa nama)")
        when = short_datetime(draft.saved_at) if draft.saved_at else ""
        self.draft_label.setText(
            _("Ada pendaftaran yang belum selesai: SOP {sop}, {name}, disimpan {when}.").format(
                sop=draft.sop_number, name=name, when=when
            )
        )
        self.draft_bar.show()

    def resume_draft(self) -> None:
        draft = self.session.drafts.load(self.session.user.id)
        self.draft_bar.hide()
        if draft is None:
            return
        self.sop_page.select(draft.sop_number)
        sop = self.sop_page.sop()
        if sop is None or sop.number != draft.sop_number:
            self.message.show_error(
                _("SOP {sop} dari draf tidak ada lagi di katalog.").format(sop=draft.sop_number)
            )
            return
        self._build(sop)
        for page in self.pages[1:]:
            prefix = f"{page.key}."
            page.restore(
                {k[len(prefix) :]: v for k, v in draft.values.items() if k.startswith(prefix)}
            )
        self.checklist_page.set_requirements(sop.requirements_for(self.applicant_page.kind_value()))
        self.checklist_page.restore(dict.fromkeys(draft.checks, "1"))
        self.started_at = _moment(draft.values.get(f"{TIMES_PAGE}.mulai", ""))
        for key, value in draft.values.items():
            number = key.removeprefix(f"{TIMES_PAGE}.selesai.")
            if number != key and number.isdigit():
                moment = _moment(value)
                if moment is not None:
                    self.step_finished[int(number)] = moment
        self._go(min(max(draft.page, 0), len(self.pages) - 1))

    def drop_draft(self) -> None:
        self.session.drafts.discard(self.session.user.id)
        self.draft_bar.hide()
        self.sop_page.search.setFocus()


def _moment(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
