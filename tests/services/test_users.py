"""Users: adding them, signing in (argon2id), and checking the audit chain."""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.errors import AuthenticationFailed, InvalidInput
from loket.services.users import SYSTEM, User, UserService
from loket.storage.database import DB_FILE_NAME
from tests.services.support import CHEAP_HASHER, PASSWORD, FakeClock, LoketFactory, counts

WRONG = "Nama pengguna atau kata sandi salah."


def _add(loket: Loket, **changes: object) -> User:
    fields: dict[str, object] = {
        "username": "siti",
        "full_name": "Siti Aminah",
        "role": Role.FRONT_OFFICE,
        "password": PASSWORD,
    }
    fields.update(changes)
    return loket.users.add_user(SYSTEM, **fields)  # type: ignore[arg-type]


def _hash(loket: Loket, username: str) -> str:
    with loket.storage.reading() as store:
        record = store.user_by_name(username)
    assert record is not None
    return record.password_hash


def test_the_right_password_signs_in(loket: Loket) -> None:
    user = _add(
        loket, username="  Siti.Aminah ", full_name=" Siti   Aminah ", nip="19850312 201001 2 001"
    )
    assert (user.username, user.full_name, user.nip) == (
        "siti.aminah",
        "Siti Aminah",
        "198503122010012001",
    )
    assert loket.users.authenticate("siti.aminah", PASSWORD) == user
    assert loket.users.authenticate(" SITI.AMINAH ", PASSWORD) == user
    assert loket.users.by_username(" Siti.Aminah") == user
    assert loket.users.by_username("tidak-ada") is None
    assert _hash(loket, "siti.aminah").startswith("$argon2id$")


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("siti", "salah-sandi"),
        ("siti", ""),
        ("tidak-ada", PASSWORD),
        ("tidak-ada", ""),
        ("", PASSWORD),
        ("s" * 10**6, PASSWORD),
        ("siti", "p" * 10**6),
    ],
    ids=[
        "wrong-password",
        "empty-password",
        "unknown",
        "unknown-empty",
        "no-name",
        "huge-name",
        "huge-password",
    ],
)
def test_every_failed_sign_in_says_the_same(loket: Loket, username: str, password: str) -> None:
    _add(loket)
    started = time.perf_counter()
    with pytest.raises(AuthenticationFailed) as failed:
        loket.users.authenticate(username, password)
    assert str(failed.value) == WRONG
    assert time.perf_counter() - started < 1.0


def test_the_default_hasher_is_argon2id(loket: Loket, clock: FakeClock) -> None:
    service = UserService(loket.storage, clock)
    user = service.add_user(
        SYSTEM,
        username="kadis",
        full_name="Kepala Dinas",
        role=Role.KEPALA_DINAS,
        password=PASSWORD,
    )
    stored = _hash(loket, "kadis")
    assert stored.startswith("$argon2id$")
    assert service.authenticate("kadis", PASSWORD) == user


def test_an_outdated_hash_is_renewed_at_sign_in(loket: Loket, clock: FakeClock) -> None:
    user = _add(loket)
    cheap = _hash(loket, "siti")
    stronger = UserService(
        loket.storage, clock, hasher=PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    )
    assert stronger.authenticate("siti", PASSWORD) == user
    renewed = _hash(loket, "siti")
    assert renewed != cheap and "t=2" in renewed
    assert stronger.authenticate("siti", PASSWORD) == user
    assert _hash(loket, "siti") == renewed  # up to date: left alone
    assert loket.users.authenticate("siti", PASSWORD) == user


def test_a_damaged_hash_fails_like_a_wrong_password(
    make_loket: LoketFactory, tmp_path: Path, clock: FakeClock
) -> None:
    folder = tmp_path / "data"
    loket = make_loket(folder, clock)
    _add(loket)
    loket.close()
    with sqlite3.connect(folder / DB_FILE_NAME) as raw:
        raw.execute("UPDATE users SET password_hash = 'bukan-hash' WHERE username = 'siti'")
    raw.close()
    loket = make_loket(folder, clock)
    with pytest.raises(AuthenticationFailed, match=re.escape(WRONG)):
        loket.users.authenticate("siti", PASSWORD)


BAD_USERS = {
    "username-one-char": ({"username": "s"}, "Nama pengguna harus 2–32 karakter"),
    "username-space": ({"username": "siti aminah"}, "Nama pengguna harus 2–32 karakter"),
    "username-newline": ({"username": "siti\nx"}, "Nama pengguna harus 2–32 karakter"),
    "username-33": ({"username": "s" * 33}, "Nama pengguna harus 2–32 karakter"),
    "username-huge": ({"username": "s" * 10**7}, "Nama pengguna harus 2–32 karakter"),
    "username-reserved": ({"username": "System"}, "dicadangkan"),
    "full-name-missing": ({"full_name": "  "}, "Nama lengkap wajib diisi"),
    "full-name-201": ({"full_name": "N" * 201}, "paling banyak 200 karakter"),
    "full-name-huge": ({"full_name": "N " * 10**6}, "paling banyak 200 karakter"),
    "password-short": ({"password": "1234567"}, "Kata sandi harus 8–256 karakter."),
    "password-long": ({"password": "p" * 257}, "Kata sandi harus 8–256 karakter."),
    "nip-short": ({"nip": "1985031220100120"}, "NIP harus 18 digit angka"),
    "nip-letters": ({"nip": "19850312201001200A"}, "NIP harus 18 digit angka"),
    "nip-huge": ({"nip": "1" * 10**6}, "NIP harus 18 digit angka"),
}


@pytest.mark.parametrize(("changes", "message"), BAD_USERS.values(), ids=BAD_USERS.keys())
def test_a_bad_user_is_refused_and_nothing_is_written(
    loket: Loket, changes: dict[str, object], message: str
) -> None:
    before = counts(loket)
    started = time.perf_counter()
    with pytest.raises(InvalidInput, match=re.escape(message)):
        _add(loket, **changes)
    assert time.perf_counter() - started < 1.0
    assert counts(loket) == before


def test_a_username_is_taken_once(loket: Loket) -> None:
    _add(loket)
    before = counts(loket)
    with pytest.raises(InvalidInput, match=re.escape("Nama pengguna siti sudah dipakai.")):
        _add(loket, username="SITI", full_name="Siti Lain")
    assert counts(loket) == before


def test_users_are_listed_by_name_and_each_addition_is_audited(
    make_loket: LoketFactory, tmp_path: Path, clock: FakeClock
) -> None:
    loket = make_loket(tmp_path / "bare", clock)
    admin = _add(loket, username="admin", full_name="Admin", role=Role.ADMIN)
    clerk = _add(loket, username="budi")
    assert loket.users.users(admin) == [admin, clerk]
    report = loket.audit.verify(admin)
    assert report.ok and report.checked == 2
    with loket.storage.reading() as store:
        trail = store.audit_trail(clerk.id)
    assert [(e.action, e.username) for e in trail] == [("user_add", "system")]
    assert "budi" in trail[0].after and PASSWORD not in trail[0].after


def test_a_tampered_audit_chain_is_reported(
    make_loket: LoketFactory, tmp_path: Path, clock: FakeClock
) -> None:
    folder = tmp_path / "data"
    loket = make_loket(folder, clock)
    admin = _add(loket, username="admin", full_name="Admin", role=Role.ADMIN)
    _add(loket, username="budi")
    loket.close()
    with sqlite3.connect(folder / DB_FILE_NAME) as raw:
        raw.execute("UPDATE audit_log SET after = replace(after, 'budi', 'badu') WHERE seq = 2")
    raw.close()
    report = make_loket(folder, clock).audit.verify(admin)
    assert not report.ok
    assert report.problem is not None and report.problem.seq == 2
    assert "telah diubah" in report.problem.message


def test_cheap_hasher_is_still_argon2id() -> None:
    assert CHEAP_HASHER.hash("x").startswith("$argon2id$")


@pytest.mark.parametrize(
    ("full_name", "message"),
    [
        ("   ", "Nama lengkap wajib diisi."),
        ("A" * 201, "Nama lengkap terlalu panjang (paling banyak 200 karakter)."),
        ("Budi\x01 Santoso", "Nama lengkap memuat karakter tersembunyi; ketik ulang namanya."),
        ("Budi \u202eosotnaS", "Nama lengkap memuat karakter tersembunyi; ketik ulang namanya."),
    ],
)
def test_a_full_name_is_refused_with_its_own_reason(
    loket: Loket, full_name: str, message: str
) -> None:
    before = counts(loket)
    with pytest.raises(InvalidInput) as refused:
        _add(loket, full_name=full_name)
    assert str(refused.value) == message
    assert counts(loket) == before
