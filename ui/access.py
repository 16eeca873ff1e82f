"""First run (the office's identity, this PC's station code, the first admin) and sign-in.

This module imports nothing of the core at load time: the login window is the first
thing a clerk sees, shown while the database opens in the background.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
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
from ui.widgets import Checked

if TYPE_CHECKING:
    from loket.domain.validation import Problem
    from loket.services.desk import Admin
    from loket.services.office import Office
    from loket.services.users import User
    from ui.tasks import Tasks


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


def _example(value: str) -> str:
    return _("contoh: {example}").format(example=value)


def _busy_cursor(widget: QWidget, busy: bool) -> None:
    """The wait cursor over ``widget`` while work runs; Qt is imported only when it does."""
    from PySide6.QtCore import Qt

    if busy:
        widget.setCursor(Qt.CursorShape.BusyCursor)
    else:
        widget.unsetCursor()


class FirstRunDialog(QDialog):
    """Asked once per database: who the office is, this PC's station, the first admin.

    Every field starts empty: an office types its own identity, with Landak's shown
    only as an example. The answers are written off the UI thread (creating the
    database and hashing the password take a while); the dialog stays busy meanwhile.
    """

    def __init__(
        self,
        finish: Callable[[str, Office, Admin], None],
        tasks: Tasks,
        *,
        station: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._finish, self._tasks = finish, tasks
        self._busy = False
        self.setWindowTitle(_("Loket — penyiapan pertama"))
        self.checked: dict[str, Checked] = {}
        office_box = self._office_box(station)
        admin_box = self._admin_box()
        self.message = MessageLine()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        save = buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert save is not None
        self.save_button = save
        self.save_button.setText(_("&Simpan dan mulai"))
        buttons.accepted.connect(self.submit)
        self.setMinimumWidth(760)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Selamat datang. Isi identitas kantor Anda dan akun admin pertama untuk mulai. "
                "Isian bertanda * wajib diisi."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(office_box)
        layout.addWidget(admin_box)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.government.setFocus()

    def _office_box(self, station: str) -> QGroupBox:
        """The office's identity: empty fields, the core's default (Landak's) as examples."""
        from loket.services.office import Office

        example = Office()
        self.government = _line("", _example(example.government))
        self.name = _line("", _example(example.name))
        self.short_name = _line("", _example(example.short_name))
        self.address = _line("", _example(example.address))
        self.city = _line("", _example(example.city))
        self.phone = _line("", _example(example.phone))
        self.email = _line("", _example(example.email))
        self.logo = _line("", _("berkas gambar logo (PNG/JPG), boleh kosong"))
        self.logo_button = QPushButton(_("Pilih &logo…"))
        self.logo_button.clicked.connect(self._pick_logo)
        logo = QWidget()
        logo_row = QHBoxLayout(logo)
        logo_row.setContentsMargins(0, 0, 0, 0)
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(self.logo_button)
        logo.setFocusProxy(self.logo)
        self.head_title = _line("", _example(example.head_title))
        self.head_name = _line("", _("nama kepala kantor, boleh diisi nanti"))
        self.head_nip = _line("", _("18 digit, boleh diisi nanti"))
        self.station = _line(station, _example("FO1"))
        self.station.setMaxLength(8)
        self._station_fixed = bool(station)
        self.station.setReadOnly(self._station_fixed)
        office_box = QGroupBox(_("Identitas kantor"))
        office_box.setLayout(
            self._form(
                [
                    ("government", _("Pemerintah daerah *"), self.government),
                    ("name", _("Nama kantor *"), self.name),
                    ("short_name", _("Singkatan"), self.short_name),
                    ("address", _("Alamat *"), self.address),
                    ("city", _("Kota (tempat surat) *"), self.city),
                    ("phone", _("Telepon"), self.phone),
                    ("email", _("E-mail"), self.email),
                    ("logo_path", _("Logo"), logo),
                    ("head_title", _("Jabatan kepala *"), self.head_title),
                    ("head_name", _("Nama kepala"), self.head_name),
                    ("head_nip", _("NIP kepala"), self.head_nip),
                    ("station", _("Kode stasiun PC ini *"), self.station),
                ]
            )
        )
        return office_box

    def _admin_box(self) -> QGroupBox:
        self.username = _line("", _example("admin"))
        self.full_name = _line("", _("nama lengkap admin"))
        self.password = _line("", _("paling sedikit 8 karakter"), secret=True)
        self.password_again = _line("", _("ketik ulang kata sandi"), secret=True)
        admin_box = QGroupBox(_("Akun admin pertama"))
        admin_box.setLayout(
            self._form(
                [
                    ("username", _("Nama pengguna *"), self.username),
                    ("full_name", _("Nama lengkap *"), self.full_name),
                    ("password", _("Kata sandi *"), self.password),
                    ("password_again", _("Ulangi kata sandi *"), self.password_again),
                ]
            )
        )
        return admin_box

    def _form(self, rows: Sequence[tuple[str, str, QWidget]]) -> QFormLayout:
        fields: list[tuple[str, QWidget]] = []
        for key, label, widget in rows:
            self.checked[key] = Checked(key, widget)
            fields.append((label, self.checked[key]))
        return form(fields)

    def _pick_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Pilih logo"), "", _("Gambar (*.png *.jpg *.jpeg)")
        )
        if path:
            self.logo.setText(path)

    def office(self) -> Office:
        """Every field of the identity as typed: nothing of the core's example is kept."""
        from loket.services.office import Office

        return Office(
            government=self.government.text(),
            name=self.name.text(),
            short_name=self.short_name.text(),
            address=self.address.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            city=self.city.text(),
            logo_path=self.logo.text(),
            head_title=self.head_title.text(),
            head_name=self.head_name.text(),
            head_rank="",
            head_nip=self.head_nip.text(),
        )

    def admin(self) -> Admin:
        from loket.services.desk import Admin

        return Admin(self.username.text(), self.full_name.text(), self.password.text())

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Each refusal beside its field; the first refused field takes the focus."""
        refused = {problem.field for problem in problems}
        for checked in self.checked.values():
            checked.show_problems(problems)
        first = next((c for k, c in self.checked.items() if k in refused), None)
        if first is not None:
            first.setFocus()

    @property
    def busy(self) -> bool:
        return self._busy

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy)
        self.save_button.setText(_("Menyimpan…") if busy else _("&Simpan dan mulai"))
        self.logo_button.setEnabled(not busy)
        for line in self.findChildren(QLineEdit):
            line.setReadOnly(busy or (line is self.station and self._station_fixed))
        _busy_cursor(self, busy)

    def submit(self) -> None:
        if self._busy:
            return
        from loket.services.desk import first_run_problems

        station, office, admin = self.station.text(), self.office(), self.admin()
        problems = first_run_problems(station, office, admin, self.password_again.text())
        self.show_problems(problems)
        if problems:
            self.message.show_error(_("Periksa isian yang ditandai merah."))
            return
        self.message.clear_message()
        self._set_busy(True)
        finish = self._finish
        self._tasks.write(lambda: finish(station, office, admin), self._finished, self._refused)

    def _finished(self, _result: object) -> None:
        self._set_busy(False)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        """Shown to the person; nothing typed is cleared."""
        self._set_busy(False)
        self.message.show_error(_message(error))

    def reject(self) -> None:
        """Not while the answers are being written: that write cannot be called back."""
        if not self._busy:
            super().reject()


class LoginDialog(QDialog):
    """Sign-in: one message whatever was wrong, the password cleared, the name kept.

    Shown before the database is open; :meth:`ready` enables signing in once it is.
    The password check (argon2, slow on purpose) runs off the UI thread.
    """

    def __init__(
        self,
        tasks: Tasks,
        authenticate: Callable[[str, str], User] | None = None,
        office_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._authenticate = authenticate
        self._busy = False
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
        self.cancel = QPushButton(_("&Batal"))
        self.ok.clicked.connect(self.submit)
        self.cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok)
        buttons.addWidget(self.cancel)
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
        self.heading.setText(_("Loket tidak dapat dibuka."))
        self.message.show_error(message)
        self.adjustSize()  # a long reason (an SOP file's problem) is read whole

    @property
    def busy(self) -> bool:
        return self._busy

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.ok.setEnabled(not busy)
        self.cancel.setEnabled(not busy)
        self.ok.setText(_("Memeriksa…") if busy else _("&Masuk"))
        self.username.setReadOnly(busy)
        self.password.setReadOnly(busy)
        _busy_cursor(self, busy)

    def submit(self) -> None:
        authenticate = self._authenticate
        if authenticate is None or self._busy:
            return
        username, password = self.username.text(), self.password.text()
        self.message.clear_message()
        self._set_busy(True)
        # A write, not a read: a password hashed with older settings is rehashed.
        self._tasks.write(lambda: authenticate(username, password), self._signed_in, self._refused)

    def _signed_in(self, user: User) -> None:
        self._set_busy(False)
        self.user = user
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self._set_busy(False)
        self.message.show_error(_message(error))
        self.password.clear()
        self.password.setFocus()

    def reject(self) -> None:
        """Not during the password check: its answer would arrive to a closed window."""
        if not self._busy:
            super().reject()
