"""Signed permit payloads: a permit's key fields, signed with the office's Ed25519 key.

The payload is compact, versioned JSON in plain ASCII (so every QR reader reads
it the same way)::

    {"f":{...fields...},"k":"<key id>","s":"<signature, base64url>","v":1}

The signature covers the canonical JSON of ``{"f":..., "k":..., "v":...}``
(sorted keys, no spaces, ASCII). A verifier needs only the office's public key,
so a permit is checked without a network: an altered field or a foreign key fails.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from loket.domain.i18n import _

VERSION = 1
#: The marker before the payload in the PDF's keywords (base64url, no escaping needed).
PDF_MARKER = "loket-permit:"
_PDF_PAYLOAD = re.compile(rb"loket-permit:([A-Za-z0-9_-]+={0,2})")
MAX_PAYLOAD = 8192

#: The permit's fields in the payload, by short key (what the QR code must hold).
FIELDS = {
    "n": "number",
    "h": "holder",
    "b": "business",
    "l": "location",
    "s": "sop",
    "i": "issued",
    "u": "valid_until",
    "d": "dossier",
    # Who signed, as the office's identity named the head on the day of signing: a
    # reprint years later shows the Kepala Dinas who signed, not today's.
    "g": "signer",
    "r": "signer_rank",
    "p": "signer_nip",
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode(
        "ascii"
    )


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """A short name of a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(public_bytes(key)).hexdigest()[:16]


def sign_fields(fields: Mapping[str, str], key: Ed25519PrivateKey) -> str:
    """The payload text for ``fields`` (short keys of :data:`FIELDS`), signed with ``key``."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown payload fields: {sorted(unknown)}")
    body = {"f": dict(fields), "k": key_id(key.public_key()), "v": VERSION}
    signature = key.sign(canonical(body))
    return canonical({**body, "s": _b64(signature)}).decode("ascii")


@dataclass(frozen=True, slots=True)
class Verification:
    """The answer to "is this permit authentic?", with the reason and the fields read."""

    authentic: bool
    reason: str
    fields: Mapping[str, str]
    key_id: str = ""

    def named_fields(self) -> dict[str, str]:
        """The fields under their long names (number, holder, ...)."""
        ordered = [k for k in FIELDS if k in self.fields] + sorted(set(self.fields) - set(FIELDS))
        return {FIELDS.get(k, k): self.fields[k] for k in ordered}


def _refused(reason: str, fields: Mapping[str, str] | None = None, kid: str = "") -> Verification:
    return Verification(False, reason, dict(fields or {}), kid)


def payload_from_pdf(pdf: bytes) -> str | None:
    """The payload a permit PDF carries in its document information (keywords)."""
    found = _PDF_PAYLOAD.findall(pdf)
    if not found:
        return None
    try:
        return _unb64(found[-1].decode("ascii")).decode("ascii")
    except (ValueError, UnicodeDecodeError):
        return None


def pdf_keywords(payload: str) -> str:
    return PDF_MARKER + _b64(payload.encode("ascii"))


def _parse(payload: str) -> tuple[dict[str, object], str] | Verification:
    if len(payload) > MAX_PAYLOAD:
        return _refused(_("Data kode QR terlalu panjang untuk sebuah izin."))
    try:
        data = json.loads(payload)
    except ValueError:
        return _refused(_("Data bukan data izin Loket (bukan JSON)."))
    if not isinstance(data, dict) or set(data) != {"f", "k", "s", "v"}:
        return _refused(_("Data bukan data izin Loket (susunan tidak dikenal)."))
    if data["v"] != VERSION:
        return _refused(
            _("Versi data izin {version} tidak dikenal oleh Loket ini.").format(version=data["v"])
        )
    fields = data["f"]
    if not isinstance(fields, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in fields.items()
    ):
        return _refused(_("Data bukan data izin Loket (isian tidak sah)."))
    if not isinstance(data["k"], str) or not isinstance(data["s"], str):
        return _refused(_("Data bukan data izin Loket (tanda tangan tidak sah)."))
    return data, data["s"]


def signed_fields(payload: str) -> dict[str, str]:
    """The fields of a payload Loket made itself (no check: see :func:`verify_payload`)."""
    fields = json.loads(payload)["f"]
    return {str(key): str(value) for key, value in fields.items()}


def verify_payload(payload: str, trusted: Iterable[Ed25519PublicKey]) -> Verification:
    """Check a payload against the trusted public keys; never raises on bad input."""
    parsed = _parse(payload.strip())
    if isinstance(parsed, Verification):
        return parsed
    data, signature_text = parsed
    fields: dict[str, str] = dict(data["f"])  # type: ignore[call-overload]
    kid = str(data["k"])
    keys = {key_id(k): k for k in trusted}
    key = keys.get(kid)
    if key is None:
        return _refused(
            _("Izin ditandatangani dengan kunci {key} yang tidak dipercaya di sini.").format(
                key=kid
            ),
            fields,
            kid,
        )
    try:
        signature = _unb64(signature_text)
        key.verify(signature, canonical({"f": fields, "k": kid, "v": VERSION}))
    except (InvalidSignature, ValueError):
        return _refused(
            _("Tanda tangan tidak cocok: isi izin telah diubah atau bukan dari kantor ini."),
            fields,
            kid,
        )
    return Verification(True, _("Izin asli: tanda tangan kantor cocok."), fields, kid)
