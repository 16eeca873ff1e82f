"""Users of Loket, their roles, and signing in (argon2id password hashes)."""

from __future__ import annotations

import contextlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from loket.domain.i18n import _
from loket.domain.roles import Permission, Role, may
from loket.domain.validation import has_hidden_characters
from loket.services.errors import AuthenticationFailed, InvalidInput, PermissionDenied
from loket.storage.ids import new_id
from loket.storage.store import Conflict, Storage, Store, UserRecord

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")
MAX_USERNAME = 32
MIN_PASSWORD = 8
MAX_PASSWORD = 256
MAX_NAME = 200
NIP_DIGITS = 18


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


def ensure_recorded(store: Store, user: User, now: datetime) -> None:
    """Give :data:`SYSTEM` a users row (disabled, no password) the first time it acts.

    Step visits and permits name their user by a foreign key, so an action of the
    command line must point at a real row; the row can never be signed in with.
    """
    if store.user(user.id) is None:
        store.add_user(
            UserRecord(user.id, user.username, user.full_name, user.role.value, "", "", False),
            now,
        )


def to_record(user: User) -> UserRecord:
    return UserRecord(user.id, user.username, user.full_name, user.role.value, user.nip, "", True)


def _from_record(record: UserRecord) -> User:
    return User(record.id, record.username, record.full_name, Role(record.role), record.nip)


def _full_name(raw: str) -> str:
    # Measured before it is split, so that a pasted megabyte costs nothing.
    if not raw.strip():
        raise InvalidInput(_("Nama lengkap wajib diisi."))
    name = " ".join(raw.split()) if len(raw) <= 2 * MAX_NAME else raw
    if len(name) > MAX_NAME:
        raise InvalidInput(
            _("Nama lengkap terlalu panjang (paling banyak {limit} karakter).").format(
                limit=MAX_NAME
            )
        )
    if has_hidden_characters(name):
        raise InvalidInput(_("Nama lengkap memuat karakter tersembunyi; ketik ulang namanya."))
    return name


def _nip(raw: str) -> str:
    """The 18-digit NIP of a civil servant, spaces removed; empty for staff without one."""
    nip = "".join(raw.split()) if len(raw) <= 2 * NIP_DIGITS else raw
    if nip and not (len(nip) == NIP_DIGITS and nip.isascii() and nip.isdigit()):
        raise InvalidInput(
            _("NIP harus {digits} digit angka (boleh dikosongkan).").format(digits=NIP_DIGITS)
        )
    return nip


def write_new_user(store: Store, record: UserRecord, *, actor: User, now: datetime) -> None:
    """Store an account with its audit entry, in the caller's transaction."""
    store.add_user(record, now)
    store.audit(
        at=now,
        user=to_record(actor),
        action="user_add",
        entity="user",
        entity_id=record.id,
        before=None,
        after={"username": record.username, "full_name": record.full_name, "role": record.role},
    )


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
        self._dummy_hash: str | None = None

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
        if len(username) > MAX_USERNAME or not USERNAME.fullmatch(username):
            raise InvalidInput(
                _(
                    "Nama pengguna harus 2–32 karakter: huruf kecil, angka, titik, "
                    "garis bawah atau tanda hubung."
                )
            )
        if username == SYSTEM.username:
            raise InvalidInput(
                _("Nama pengguna {username} dicadangkan untuk Loket sendiri.").format(
                    username=username
                )
            )
        full_name = _full_name(full_name)
        if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
            raise InvalidInput(
                _("Kata sandi harus {minimum}–{maximum} karakter.").format(
                    minimum=MIN_PASSWORD, maximum=MAX_PASSWORD
                )
            )
        nip = _nip(nip)
        user = User(new_id(), username, full_name, role, nip)
        record = UserRecord(
            user.id, username, full_name, role.value, user.nip, self._hasher.hash(password), True
        )
        now = self._clock()
        with self._storage.writing() as store:
            try:
                write_new_user(store, record, actor=actor, now=now)
            except Conflict as exc:
                raise InvalidInput(str(exc)) from exc
        return user

    def authenticate(self, username: str, password: str) -> User:
        """The user, or AuthenticationFailed with one message whatever was wrong."""
        failed = AuthenticationFailed(_("Nama pengguna atau kata sandi salah."))
        name = username.strip().lower()
        if len(name) > MAX_USERNAME or len(password) > MAX_PASSWORD:
            raise failed  # no account has such a name or password
        with self._storage.reading() as store:
            record = store.user_by_name(name)
        if record is None or not record.active:
            # As slow as a real check, so that names cannot be probed by timing.
            self._spend_a_check(password)
            raise failed
        try:
            self._hasher.verify(record.password_hash, password)
        except (VerificationError, InvalidHashError):
            raise failed from None
        if self._hasher.check_needs_rehash(record.password_hash):
            with self._storage.writing() as store:
                store.set_password_hash(record.id, self._hasher.hash(password))
        return _from_record(record)

    def _spend_a_check(self, password: str) -> None:
        """Verify against a hash of a random secret: the cost of a real check, never a match."""
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash(secrets.token_hex(16))
        with contextlib.suppress(VerificationError):
            self._hasher.verify(self._dummy_hash, password)

    def users(self, actor: User) -> list[User]:
        require(actor, Permission.MANAGE_USERS)
        with self._storage.reading() as store:
            return [_from_record(r) for r in store.users() if r.id != SYSTEM.id]

    def by_username(self, username: str) -> User | None:
        with self._storage.reading() as store:
            record = store.user_by_name(username.strip().lower())
        return None if record is None else _from_record(record)
