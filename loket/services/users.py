"""Users of Loket, their roles, and signing in (argon2id password hashes)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from loket.domain.i18n import _
from loket.domain.roles import Permission, Role, may
from loket.services.errors import AuthenticationFailed, InvalidInput, PermissionDenied
from loket.storage.ids import new_id
from loket.storage.store import Storage, UserRecord

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 256
MAX_NAME = 200


@dataclass(frozen=True, slots=True)
class User:
    """The acting user, as services see it (never a database row)."""

    id: str
    username: str
    full_name: str
    role: Role
    nip: str = ""


#: Commands run on the machine itself by the office's IT person (``loket`` CLI).
SYSTEM = User(id="system", username="system", full_name="Sistem (baris perintah)", role=Role.ADMIN)


def require(user: User, permission: Permission) -> None:
    if not may(user.role, permission):
        raise PermissionDenied(
            _("Peran {role} tidak berwenang untuk tindakan ini ({permission}).").format(
                role=user.role.label, permission=permission.value
            )
        )


def to_record(user: User) -> UserRecord:
    return UserRecord(user.id, user.username, user.full_name, user.role.value, user.nip, "", True)


def _from_record(record: UserRecord) -> User:
    return User(record.id, record.username, record.full_name, Role(record.role), record.nip)


class UserService:
    def __init__(
        self,
        storage: Storage,
        clock: Callable[[], datetime],
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._storage = storage
        self._clock = clock
        self._hasher = hasher or PasswordHasher()

    def add_user(
        self,
        actor: User,
        *,
        username: str,
        full_name: str,
        role: Role,
        password: str,
        nip: str = "",
    ) -> User:
        require(actor, Permission.MANAGE_USERS)
        username = username.strip().lower()
        if not USERNAME.match(username):
            raise InvalidInput(
                _(
                    "Nama pengguna harus 2–32 karakter: huruf kecil, angka, titik, "
                    "garis bawah atau tanda hubung."
                )
            )
        full_name = " ".join(full_name.split())
        if not full_name or len(full_name) > MAX_NAME:
            raise InvalidInput(
                _("Nama lengkap wajib diisi (paling banyak {limit} karakter).").format(
                    limit=MAX_NAME
                )
            )
        if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
            raise InvalidInput(
                _("Kata sandi harus {minimum}–{maximum} karakter.").format(
                    minimum=MIN_PASSWORD, maximum=MAX_PASSWORD
                )
            )
        user = User(new_id(), username, full_name, role, nip.strip())
        record = UserRecord(
            user.id, username, full_name, role.value, user.nip, self._hasher.hash(password), True
        )
        now = self._clock()
        with self._storage.writing() as store:
            store.add_user(record, now)
            store.audit(
                at=now,
                user=to_record(actor),
                action="user_add",
                entity="user",
                entity_id=user.id,
                before=None,
                after={"username": username, "full_name": full_name, "role": role.value},
            )
        return user

    def authenticate(self, username: str, password: str) -> User:
        with self._storage.reading() as store:
            record = store.user_by_name(username.strip().lower())
        failed = AuthenticationFailed(_("Nama pengguna atau kata sandi salah."))
        if record is None or not record.active:
            raise failed
        try:
            self._hasher.verify(record.password_hash, password)
        except (VerificationError, InvalidHashError):
            raise failed from None
        if self._hasher.check_needs_rehash(record.password_hash):
            with self._storage.writing() as store:
                store.set_password_hash(record.id, self._hasher.hash(password))
        return _from_record(record)

    def users(self, actor: User) -> list[User]:
        require(actor, Permission.MANAGE_USERS)
        with self._storage.reading() as store:
            return [_from_record(r) for r in store.users()]

    def by_username(self, username: str) -> User | None:
        with self._storage.reading() as store:
            record = store.user_by_name(username)
        return None if record is None else _from_record(record)
