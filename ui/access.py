"""First run (the office's identity, this PC's station code, the first admin) and sign-in.

This module imports nothing of the core at load time: the login window is the first
thing a clerk sees, shown while the database opens in the background.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loket.domain.i18n import _
from ui.forms import MessageLine, form

if TYPE_CHECKING:
    from loket.services.desk import Admin
    from loket.services.office import Office
    from loket.services.users import User


def _message(error: BaseException) -> str:
    from ui.session import message_for

    return message_for(error)


def _line(text: str = "", placeholder: str = "", secret: bool = False) -> QLineEdit:
    line = QLineEdit(text)
    line.setPlaceholderText(placeholder)
    line.setMaxLength(300)
    if secret:
        line.setEchoMode(QLineEdit.EchoMode.Password)
    return line


class FirstRunDialog(QDialog):
    """Asked once per database: who the office is, this PC's station, the first admin."""

    def __init__(
        self,
        finish: Callable[[str, Office, Admin], None],
        *,
        station: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._finish = finish
        self.setWindowTitle(_("Loket — penyiapan pertama"))
        from loket.services.office import Office

        office = Office()
        self.name = _line(office.name)
        self.address = _line(office.address)
        self.phone = _line(office.phone)
        self.email = _line(office.email)
        self.logo = _line(office.logo_path, _("berkas gambar logo (PNG/JPG), boleh kosong"))
        logo_button = QPushButton(_("Pilih &logo…"))
        logo_button.clicked.connect(self._pick_logo)
        logo = QWidget()
        logo_row = QHBoxLayout(logo)
        logo_row.setContentsMargins(0, 0, 0, 0)
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(logo_button)
        logo.setFocusProxy(self.logo)
        self.head_name = _line("", _("nama kepala dinas"))
        self.head_nip = _line("", _("18 digit"))
        self.station = _line(station or "FO1", _("misalnya FO1"))
        self.station.setMaxLength(8)
        self.station.setReadOnly(bool(station))
        self.username = _line("admin")
        self.full_name = _line("", _("nama lengkap admin"))
        self.password = _line("", _("paling sedikit 8 karakter"), secret=True)
        self.password_again = _line("", "", secret=True)
        office_box = QGroupBox(_("Identitas kantor"))
        office_box.setLayout(
            form(
                [
                    (_("Nama kantor"), self.name),
                    (_("Alamat"), self.address),
                    (_("Telepon"), self.phone),
                    (_("E-mail"), self.email),
                    (_("Logo"), logo),
                    (_("Kepala kantor"), self.head_name),
                    (_("NIP kepala"), self.head_nip),
                    (_("Kode stasiun PC ini"), self.station),
                ]
            )
        )
        admin_box = QGroupBox(_("Akun admin pertama"))
        admin_box.setLayout(
            form(
                [
                    (_("Nama pengguna"), self.username),
                    (_("Nama lengkap"), self.full_name),
                    (_("Kata sandi"), self.password),
                    (_("Ulangi kata sandi"), self.password_again),
                ]
            )
        )
        self.message = MessageLine()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        save = buttons.button(QDialogButtonBox.StandardButton.Ok)
        if save is not None:
            save.setText(_("&Simpan dan mulai"))
        buttons.accepted.connect(self.submit)
        self.setMinimumWidth(680)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _("Selamat datang. Isi identitas kantor dan akun admin pertama untuk mulai.")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(office_box)
        layout.addWidget(admin_box)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.name.setFocus()

    def _pick_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Pilih logo"), "", _("Gambar (*.png *.jpg *.jpeg)")
        )
        if path:
            self.logo.setText(path)

    def office(self) -> Office:
        from loket.services.office import Office

        return Office(
            name=self.name.text(),
            address=self.address.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            logo_path=self.logo.text(),
            head_name=self.head_name.text(),
            head_nip=self.head_nip.text(),
        )

    def submit(self) -> None:
        if self.password.text() != self.password_again.text():
            self.message.show_error(_("Kedua kata sandi tidak sama."))
            self.password_again.setFocus()
            return
        from loket.services.desk import Admin

        admin = Admin(self.username.text(), self.full_name.text(), self.password.text())
        try:
            self._finish(self.station.text(), self.office(), admin)
        except Exception as exc:  # shown to the person; nothing typed is cleared
            self.message.show_error(_message(exc))
            return
        self.accept()


class LoginDialog(QDialog):
    """Sign-in: one message whatever was wrong, the password cleared, the name kept.

    Shown before the database is open; :meth:`ready` enables signing in once it is.
    """

    def __init__(
        self,
        authenticate: Callable[[str, str], User] | None = None,
        office_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._authenticate = authenticate
        self.user: User | None = None
        self.setWindowTitle(_("Loket — masuk"))
        self.heading = QLabel(office_name or _("Membuka basis data…"))
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.setMinimumWidth(460)
        self.username = _line("", _("nama pengguna"))
        self.password = _line("", _("kata sandi"), secret=True)
        self.message = MessageLine()
        # Plain buttons: a QDialogButtonBox's standard buttons load the style's icons,
        # about 30 ms before the first window a clerk sees.
        self.ok = QPushButton(_("&Masuk"))
        self.ok.setDefault(True)
        self.ok.setEnabled(authenticate is not None)
        cancel = QPushButton(_("&Batal"))
        self.ok.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(
            form([(_("Nama pengguna"), self.username), (_("Kata sandi"), self.password)])
        )
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.username.setFocus()

    def ready(self, authenticate: Callable[[str, str], User], office_name: str) -> None:
        self._authenticate = authenticate
        self.heading.setText(office_name)
        self.ok.setEnabled(True)

    def failed(self, message: str) -> None:
        self.heading.setText(_("Basis data tidak dapat dibuka."))
        self.message.show_error(message)

    def submit(self) -> None:
        if self._authenticate is None:
            return
        try:
            self.user = self._authenticate(self.username.text(), self.password.text())
        except Exception as exc:
            self.message.show_error(_message(exc))
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()
