"""The office's signing key: an Ed25519 key kept in files, never in the database.

The private key lives in ``<data folder>/keys/office-ed25519.pem`` (folder 0700,
file 0600), so a copied or synced database does not carry it. Its public key is
exported for other offices' verifiers; verification here trusts the office's
own public key and every public key placed in ``<data folder>/keys/trusted/``.

Another office checks a permit with nothing but that exported file:
:func:`load_public_key` reads it and :func:`verify_permit` checks a PDF or a QR
code's text against it, with no data folder and no database.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from loket.documents.signing import Verification, key_id, payload_from_pdf, verify_payload
from loket.domain.i18n import _
from loket.services.errors import ServiceError

LOG = logging.getLogger("loket.keys")
KEYS_DIR = "keys"
PRIVATE_FILE = "office-ed25519.pem"
PUBLIC_FILE = "office-ed25519.pub.pem"
TRUSTED_DIR = "trusted"
#: A permit PDF is a few hundred kilobytes; anything far larger is not one.
MAX_VERIFY_INPUT = 50 * 1024 * 1024
#: An exported public key is a few hundred bytes.
MAX_PUBLIC_KEY_BYTES = 64 * 1024


class SigningKeyMissing(ServiceError):
    """No signing key yet: a permit cannot be made until ``loket keys init``."""


class SigningKeyUnreadable(ServiceError):
    pass


class PublicKeyUnreadable(ServiceError):
    """A public key file given to verify with (``loket verify --key``) cannot be used."""


@dataclass(frozen=True, slots=True)
class KeyInfo:
    key_id: str
    private_path: Path
    public_path: Path
    created: bool


class KeyStore:
    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / KEYS_DIR

    @property
    def private_path(self) -> Path:
        return self.folder / PRIVATE_FILE

    @property
    def public_path(self) -> Path:
        return self.folder / PUBLIC_FILE

    @property
    def trusted_dir(self) -> Path:
        return self.folder / TRUSTED_DIR

    def init(self) -> KeyInfo:
        """Create the key once; an existing key is kept (a new key would orphan permits)."""
        if self.private_path.exists():
            key = self.private_key()
            self._write_public(key.public_key())
            return KeyInfo(key_id(key.public_key()), self.private_path, self.public_path, False)
        self.folder.mkdir(parents=True, exist_ok=True)
        os.chmod(self.folder, 0o700)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        descriptor = os.open(self.private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
        os.chmod(self.private_path, 0o600)
        self._write_public(key.public_key())
        return KeyInfo(key_id(key.public_key()), self.private_path, self.public_path, True)

    def _write_public(self, key: Ed25519PublicKey) -> None:
        self.public_path.write_bytes(public_pem(key))

    def private_key(self) -> Ed25519PrivateKey:
        try:
            data = self.private_path.read_bytes()
        except FileNotFoundError:
            raise SigningKeyMissing(
                _(
                    "Kunci tanda tangan kantor belum dibuat; jalankan 'loket keys init' "
                    "di PC yang menerbitkan izin."
                )
            ) from None
        except OSError as exc:
            raise SigningKeyUnreadable(
                _("Kunci tanda tangan {path} tidak dapat dibaca: {error}").format(
                    path=self.private_path, error=exc.strerror
                )
            ) from exc
        try:
            key = serialization.load_pem_private_key(data, password=None)
        except ValueError as exc:
            raise SigningKeyUnreadable(
                _("Berkas kunci {path} rusak atau bukan kunci Ed25519.").format(
                    path=self.private_path
                )
            ) from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise SigningKeyUnreadable(
                _("Berkas kunci {path} rusak atau bukan kunci Ed25519.").format(
                    path=self.private_path
                )
            )
        return key

    def public_key_pem(self) -> bytes:
        return public_pem(self.private_key().public_key())

    def trusted_keys(self) -> list[Ed25519PublicKey]:
        """The office's own public key (if any) and every readable key in ``trusted/``."""
        keys: list[Ed25519PublicKey] = []
        own: Ed25519PublicKey | None = None
        if self.private_path.exists():
            # A damaged private key must not stop this PC from checking permits.
            with contextlib.suppress(SigningKeyUnreadable):
                own = self.private_key().public_key()
        if own is not None:
            keys.append(own)
        elif self.public_path.exists():
            keys += _load_public(self.public_path)
        if self.trusted_dir.is_dir():
            for path in sorted(self.trusted_dir.iterdir()):
                if path.is_file():
                    keys += _load_public(path)
        return keys


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _parse_public(data: bytes) -> Ed25519PublicKey | None:
    """The Ed25519 public key a PEM file holds, or None for anything else."""
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        return None
    return key if isinstance(key, Ed25519PublicKey) else None


def _load_public(path: Path) -> list[Ed25519PublicKey]:
    """A trusted public key file; an unreadable one is skipped with a warning.

    The warning reaches the person at the command line (Python prints it to
    stderr when no logging is set up), so it is in their language.
    """
    try:
        key = _parse_public(path.read_bytes())
    except OSError:
        key = None
    if key is None:
        LOG.warning(
            _("Kunci publik {path} dilewati: tidak dapat dibaca atau bukan kunci Ed25519.").format(
                path=path
            )
        )
        return []
    return [key]


def load_public_key(path: Path) -> Ed25519PublicKey:
    """The public key in ``path`` (as ``loket keys export`` writes it), or a clear refusal."""
    try:
        if path.stat().st_size > MAX_PUBLIC_KEY_BYTES:
            raise PublicKeyUnreadable(
                _("{path} terlalu besar untuk sebuah berkas kunci publik.").format(path=path)
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise PublicKeyUnreadable(
            _("Berkas kunci publik {path} tidak ditemukan.").format(path=path)
        ) from None
    except OSError as exc:
        raise PublicKeyUnreadable(
            _("Berkas kunci publik {path} tidak dapat dibaca: {error}").format(
                path=path, error=exc.strerror or exc
            )
        ) from exc
    key = _parse_public(data)
    if key is None:
        raise PublicKeyUnreadable(
            _(
                "{path} bukan kunci publik Ed25519; pakai berkas hasil 'loket keys export' "
                "dari kantor penerbit izin."
            ).format(path=path)
        )
    return key


def verify_permit(payload_or_pdf: bytes | str, trusted: Iterable[Ed25519PublicKey]) -> Verification:
    """Check a permit offline, a PDF (its metadata) or the QR code's text, against ``trusted``.

    Never raises on bad input: every problem is a refusal with its reason.
    """
    if len(payload_or_pdf) > MAX_VERIFY_INPUT:
        return Verification(False, _("Masukan terlalu besar untuk sebuah izin."), {})
    if isinstance(payload_or_pdf, str):
        return verify_payload(payload_or_pdf, trusted)
    if payload_or_pdf.startswith(b"%PDF"):
        payload = payload_from_pdf(payload_or_pdf)
        if payload is None:
            return Verification(
                False, _("PDF ini tidak memuat data izin Loket yang ditandatangani."), {}
            )
        return verify_payload(payload, trusted)
    try:
        return verify_payload(payload_or_pdf.decode("utf-8"), trusted)
    except UnicodeDecodeError:
        return Verification(False, _("Data bukan data izin Loket (bukan teks)."), {})
