"""The main window: search, guided intake, dossier view, the back office's screens, users.

Every action has a key: F2 new intake, F3 search, F4 worklist (the back office's
queue), F6 handover of permits, F7 dashboard, Ctrl+P print the open dossier's
document, Ctrl+U users, Ctrl+Q quit. What a role may not do is not offered.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QWidget

from loket.domain.dossier import Status
from loket.domain.i18n import _
from loket.domain.roles import Permission
from loket.services.desk import station_code
from loket.services.dossiers import DossierView
from ui.dashboard import DASHBOARD_ROLES, DashboardPanel
from ui.documents import Kind
from ui.dossier import DossierPanel
from ui.handover import HandoverPanel
from ui.intake import IntakeWizard
from ui.preview import PreviewDialog
from ui.search import SearchPanel
from ui.session import Session
from ui.users import UsersPanel
from ui.worklist import QUEUE_ROLES, WorklistPanel


class MainWindow(QMainWindow):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        office = session.loket.office.office()
        self.setWindowTitle(_("Loket — {office}").format(office=office.short_name or office.name))
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.search = SearchPanel(session)
        self.dossier = DossierPanel(session)
        self.intake: IntakeWizard | None = None
        self.users: UsersPanel | None = None
        self.preview: PreviewDialog | None = None
        self.worklist: WorklistPanel | None = None
        self.handover: HandoverPanel | None = None
        self.dashboard: DashboardPanel | None = None
        self.stack.addWidget(self.search)
        self.stack.addWidget(self.dossier)
        if session.may(Permission.REGISTER_DOSSIER):
            self.intake = IntakeWizard(session)
            self.intake.registered.connect(self._registered)
            self.stack.addWidget(self.intake)
        if session.may(Permission.MANAGE_USERS):
            self.users = UsersPanel(session)
            self.stack.addWidget(self.users)
        self._back_office_screens()
        self.search.opened.connect(self.open_dossier)
        self.dossier.document_requested.connect(
            lambda kind, number: self.show_document(Kind(kind), number)
        )
        self.dossier.changed.connect(lambda _view: None)
        self._actions()
        user = session.user
        status = QLabel(
            _("{name} · {role} · stasiun {station}").format(
                name=user.full_name, role=user.role.label, station=station_code(session.loket)
            )
        )
        self.statusBar().addPermanentWidget(status)
        self.resize(1100, 760)
        if session.user.role in QUEUE_ROLES:
            self.show_worklist()
        else:
            self.show_search()
        if self.intake is not None and session.drafts.load(session.user.id) is not None:
            self.new_intake()  # after a crash or a closed window: the draft is offered back

    def _back_office_screens(self) -> None:
        """The queue for the back office (and admins), handover at the counter, the dashboard."""
        session, role = self.session, self.session.user.role
        if role in QUEUE_ROLES or session.may(Permission.MANAGE_USERS):
            self.worklist = WorklistPanel(session)
            self.worklist.opened.connect(self.open_dossier)
            self.stack.addWidget(self.worklist)
        if session.may(Permission.HAND_OVER):
            self.handover = HandoverPanel(session)
            self.handover.document_requested.connect(
                lambda kind, number: self.show_document(Kind(kind), number)
            )
            self.stack.addWidget(self.handover)
        if role in DASHBOARD_ROLES:
            self.dashboard = DashboardPanel(session)
            self.stack.addWidget(self.dashboard)

    def _action(self, text: str, keys: str, slot: object, enabled: bool = True) -> QAction:
        action = QAction(text, self)
        # The menu shows the key by itself; the toolbar's button says it in its text.
        action.setIconText(f"{text.replace('&', '')} ({keys})")
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        action.setEnabled(enabled)
        self.addAction(action)
        return action

    def _actions(self) -> None:
        may = self.session.may
        self.new_action = self._action(
            _("Pendaftaran &baru"), "F2", self.new_intake, may(Permission.REGISTER_DOSSIER)
        )
        self.search_action = self._action(_("&Cari"), "F3", self.show_search)
        self.worklist_action = self._action(
            _("&Antrean"), "F4", self.show_worklist, self.worklist is not None
        )
        self.handover_action = self._action(
            _("Pe&nyerahan izin"), "F6", self.show_handover, self.handover is not None
        )
        self.dashboard_action = self._action(
            _("&Dasbor"), "F7", self.show_dashboard, self.dashboard is not None
        )
        self.print_action = self._action(_("Ce&tak"), "Ctrl+P", self.print_current)
        self.users_action = self._action(
            _("&Pengguna"), "Ctrl+U", self.show_users, may(Permission.MANAGE_USERS)
        )
        self.quit_action = self._action(_("&Keluar"), "Ctrl+Q", self.close)
        menu = self.menuBar().addMenu(_("&Loket"))
        toolbar = self.addToolBar(_("Tindakan"))
        toolbar.setObjectName("actions")
        toolbar.setMovable(False)
        for action in (
            self.new_action,
            self.search_action,
            self.worklist_action,
            self.handover_action,
            self.dashboard_action,
            self.print_action,
            self.users_action,
        ):
            if action.isEnabled():
                menu.addAction(action)
                toolbar.addAction(action)
        menu.addSeparator()
        menu.addAction(self.quit_action)

    # --- screens -----------------------------------------------------------------------

    def new_intake(self) -> None:
        if self.intake is None:
            return
        if self.stack.currentWidget() is not self.intake:
            self.intake.offer_draft()
        self.stack.setCurrentWidget(self.intake)
        self.intake.current().entered()

    def show_search(self) -> None:
        self.stack.setCurrentWidget(self.search)
        self.search.focus_search()

    def show_worklist(self) -> None:
        if self.worklist is None:
            return
        self.stack.setCurrentWidget(self.worklist)
        self.worklist.refresh()
        self.worklist.table.setFocus()

    def show_handover(self) -> None:
        if self.handover is None:
            return
        self.stack.setCurrentWidget(self.handover)
        self.handover.focus_number()

    def show_dashboard(self) -> None:
        if self.dashboard is None:
            return
        self.stack.setCurrentWidget(self.dashboard)
        self.dashboard.refresh()

    def show_users(self) -> None:
        if self.users is None:
            return
        self.users.refresh()
        self.stack.setCurrentWidget(self.users)
        self.users.username.setFocus()

    def open_dossier(self, view: DossierView) -> None:
        self.dossier.show_view(view)
        self.stack.setCurrentWidget(self.dossier)
        self.dossier.tabs.setFocus()

    def _registered(self, view: DossierView) -> None:
        """A registered dossier: shown, with its receipt (or return slip) ready to print."""
        self.open_dossier(view)
        returned = view.record.state.status is Status.RETURNED
        self.show_document(Kind.RETURN_SLIP if returned else Kind.RECEIPT, view.record.number)

    def show_document(self, kind: Kind, number: str) -> None:
        if self.preview is not None:
            self.preview.close()
            self.preview.deleteLater()
        self.preview = PreviewDialog(self.session, kind, number, self)
        self.preview.show()
        self.preview.activateWindow()

    def print_current(self) -> None:
        """Ctrl+P: the open dossier's receipt or return slip (a reprint says SALINAN)."""
        view = self.dossier.view
        if self.preview is not None and self.preview.isVisible():
            self.preview.print_now()
            return
        if view is None:
            self.statusBar().showMessage(_("Buka berkas terlebih dahulu (F3)."), 4000)
            return
        returned = view.record.state.status is Status.RETURNED
        self.show_document(Kind.RETURN_SLIP if returned else Kind.RECEIPT, view.record.number)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Closing keeps the intake in progress as a draft, and lets running work finish."""
        if self.intake is not None:
            self.intake.save_draft()
        self.session.tasks.wait()
        super().closeEvent(event)
