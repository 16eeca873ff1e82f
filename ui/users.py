"""The admin's screen: the office's users and their roles, and adding one."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from loket.domain.i18n import _
from loket.domain.roles import Role
from loket.services.users import User
from ui.forms import MessageLine, form
from ui.models import RowsModel, user_columns
from ui.session import Session, message_for


class UsersPanel(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model: RowsModel[User] = RowsModel(user_columns())
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.username = QLineEdit()
        self.username.setMaxLength(32)
        self.full_name = QLineEdit()
        self.full_name.setMaxLength(200)
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role.label, role.value)
        self.nip = QLineEdit()
        self.nip.setMaxLength(36)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(256)
        add = QPushButton(_("&Tambah pengguna"))
        add.clicked.connect(self.add)
        box = QGroupBox(_("Pengguna baru"))
        box_layout = QVBoxLayout(box)
        box_layout.addLayout(
            form(
                [
                    (_("Nama pengguna"), self.username),
                    (_("Nama lengkap"), self.full_name),
                    (_("Peran"), self.role),
                    (_("NIP"), self.nip),
                    (_("Kata sandi"), self.password),
                ]
            )
        )
        box_layout.addWidget(add)
        self.message = MessageLine()
        layout = QVBoxLayout(self)
        layout.addWidget(table, 1)
        layout.addWidget(box)
        layout.addWidget(self.message)

    def refresh(self) -> None:
        loket, user = self.session.loket, self.session.user
        self.session.tasks.read(
            lambda: loket.users.users(user),
            self.model.set_rows,
            lambda error: self.message.show_error(message_for(error)),
        )

    def add(self) -> None:
        loket, actor = self.session.loket, self.session.user
        username, full_name = self.username.text(), self.full_name.text()
        role, nip, password = (
            Role(str(self.role.currentData())),
            self.nip.text(),
            self.password.text(),
        )
        self.session.tasks.write(
            lambda: loket.users.add_user(
                actor, username=username, full_name=full_name, role=role, password=password, nip=nip
            ),
            self._added,
            lambda error: self.message.show_error(message_for(error)),
        )

    def _added(self, user: User) -> None:
        self.message.show_ok(
            _("Pengguna {username} ({role}) ditambahkan.").format(
                username=user.username, role=user.role.label
            )
        )
        for line in (self.username, self.full_name, self.nip, self.password):
            line.clear()
        self.refresh()
