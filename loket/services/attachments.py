"""Scans attached to a dossier: PDF or images, stored once under their SHA-256.

A file lives at ``<data folder>/attachments/ab/abcdef...`` named by its hash, so
the same scan attached twice (to one dossier or to several) is stored once; the
row records the hash, and reading a file back checks it. Files are written to a
temporary name and renamed, so a crash never leaves half a scan under a hash.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from loket.domain.i18n import _
from loket.domain.roles import Permission
from loket.services.dossiers import DossierService
from loket.services.errors import InvalidInput, NotFoundError
from loket.services.users import User, ensure_recorded, require, to_record
from loket.storage.ids import new_id
from loket.storage.store import AttachmentRow, Storage

MAX_BYTES = 25 * 1024 * 1024
MAX_FILENAME = 255
MAX_KIND = 32
FOLDER = "attachments"

#: Leading bytes of the accepted formats, and their media types.
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


@dataclass(frozen=True, slots=True)
class Attachment:
    id: str
    sha256: str
    kind: str  # what the scan is: a requirement key, "foto_lapangan", ...
    filename: str
    media_type: str
    size: int
    added_at: datetime


def media_type(content: bytes) -> str | None:
    """The media type of a PDF or an image, by its first bytes; None for anything else."""
    return next((kind for magic, kind in _MAGIC if content.startswith(magic)), None)


def _attachment(row: AttachmentRow) -> Attachment:
    return Attachment(
        row.id, row.sha256, row.kind, row.filename, row.media_type, row.size, row.added_at
    )


class AttachmentService:
    def __init__(
        self,
        storage: Storage,
        dossiers: DossierService,
        data_dir: Path,
        clock: Callable[[], datetime],
    ) -> None:
        self._storage = storage
        self._dossiers = dossiers
        self._root = data_dir / FOLDER
        self._clock = clock

    def path_of(self, sha256: str) -> Path:
        return self._root / sha256[:2] / sha256

    def attach(
        self, actor: User, number: str, content: bytes, filename: str, kind: str = "scan"
    ) -> Attachment:
        """Attach ``content`` to dossier ``number``; the same file again returns the first."""
        require(actor, Permission.VIEW_DOSSIERS)
        if len(content) > MAX_BYTES:
            raise InvalidInput(
                _("Berkas pindaian terlalu besar (paling besar {limit} MB).").format(
                    limit=MAX_BYTES // (1024 * 1024)
                )
            )
        found_type = media_type(content)
        if found_type is None:
            raise InvalidInput(_("Lampiran harus berupa PDF atau gambar (PNG, JPEG, TIFF)."))
        name = Path(filename.replace("\\", "/")).name.strip()[:MAX_FILENAME] or "pindaian"
        kind = kind.strip()
        if not kind or len(kind) > MAX_KIND:
            raise InvalidInput(_("Jenis lampiran wajib diisi (paling banyak 32 karakter)."))
        view = self._dossiers.show(actor, number)
        digest = hashlib.sha256(content).hexdigest()
        self._store_file(digest, content)
        now = self._clock()
        with self._storage.writing() as store:
            for known in store.attachments(view.record.id):
                if known.sha256 == digest:
                    return _attachment(known)
            ensure_recorded(store, actor, now)
            row = {
                "id": new_id(),
                "dossier_id": view.record.id,
                "sha256": digest,
                "kind": kind,
                "filename": name,
                "media_type": found_type,
                "size": len(content),
                "added_by": actor.id,
                "added_at": now,
            }
            store.add_attachment(row)
            store.audit(
                at=now,
                user=to_record(actor),
                action="attach",
                entity="dossier",
                entity_id=view.record.number,
                before=None,
                after={"sha256": digest, "kind": kind, "filename": name, "size": len(content)},
            )
            added = [a for a in store.attachments(view.record.id) if a.sha256 == digest]
        return _attachment(added[0])

    def list(self, actor: User, number: str) -> list[Attachment]:
        view = self._dossiers.show(actor, number)
        with self._storage.reading() as store:
            return [_attachment(r) for r in store.attachments(view.record.id)]

    def content(self, actor: User, number: str, sha256: str) -> bytes:
        """A dossier's attached file, checked against its recorded hash."""
        if sha256 not in {a.sha256 for a in self.list(actor, number)}:
            raise NotFoundError(_("Lampiran tidak ditemukan pada berkas ini."))
        try:
            data = self.path_of(sha256).read_bytes()
        except FileNotFoundError:
            raise NotFoundError(
                _("Berkas lampiran {hash} hilang dari folder data.").format(hash=sha256[:12])
            ) from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise NotFoundError(
                _("Berkas lampiran {hash} rusak (hash tidak cocok).").format(hash=sha256[:12])
            )
        return data

    def _store_file(self, digest: str, content: bytes) -> None:
        target = self.path_of(digest)
        if target.exists() and target.stat().st_size == len(content):
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
