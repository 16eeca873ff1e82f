"""The office's signing key: an Ed25519 key kept in files, never in the database.

The private key lives in ``<data folder>/keys/office-ed25519.pem`` (folder 0700,
file 0600), so a copied or synced database does not carry it. Its public key is
exported for other offices' verifiers; verification here trusts the office's
own public key and every public key placed in ``<data folder>/keys/trusted/``.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from loket.documents.signing import key_id
from loket.domain.i18n import _
from loket.services.errors import ServiceError

LOG = logging.getLogger("loket.keys")
KEYS_DIR = "keys"
PRIVATE_FILE = "office-ed25519.pem"
PUBLIC_FILE = "office-ed25519.pub.pem"
TRUSTED_DIR = "trusted"


class SigningKeyMissing(ServiceError):
    """No signing key yet: a permit cannot be made until ``loket keys init``."""


class SigningKeyUnreadable(ServiceError):
    pass


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
        if self.private_path.exists():
            keys.append(self.private_key().public_key())
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


def _load_public(path: Path) -> list[Ed25519PublicKey]:
    """A trusted public key file; an unreadable one is skipped with a warning."""
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError):
        LOG.warning("skipping unreadable public key %s", path)
        return []
    if not isinstance(key, Ed25519PublicKey):
        LOG.warning("skipping non-Ed25519 public key %s", path)
        return []
    return [key]
