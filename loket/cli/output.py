"""Writing what a command made (a PDF, an export, a key) to the file the user named.

Written beside the target and renamed over it, so a failed write leaves no broken
file; and only ever over a regular file the user may change: a device, a folder, a
link or a read-only file is refused, never replaced.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from loket.domain.i18n import _
from loket.services.errors import InvalidInput


def _reason(error: OSError, path: Path) -> str:
    """The common failures in the user's language; anything else as the system says it."""
    if error.errno == errno.ENOENT:
        return _("folder {folder} tidak ada").format(folder=path.parent)
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _("tidak ada izin menulis di sana")
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("disk penuh")
    if error.errno == errno.EISDIR:
        return _("itu sebuah folder")
    return error.strerror or str(error)


def _refusal(path: Path) -> str | None:
    try:
        found = path.lstat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return _reason(exc, path)
    if stat.S_ISDIR(found.st_mode):
        return _("itu sebuah folder")
    if not stat.S_ISREG(found.st_mode):
        return _("itu bukan berkas biasa (perangkat, tautan atau pipa)")
    if not found.st_mode & stat.S_IWUSR:
        return _("berkas itu hanya-baca")
    return None


def write_output(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all, keeping an existing file's mode."""
    refused = _refusal(path)
    if refused is not None:
        raise InvalidInput(
            _("Tidak dapat menulis {path}: {reason}.").format(path=path, reason=refused)
        )
    partial = path.with_name(path.name + ".part")
    try:
        mode = path.stat().st_mode if path.exists() else None
        with open(partial, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(partial, stat.S_IMODE(mode))
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InvalidInput(
            _("Tidak dapat menulis {path}: {reason}.").format(path=path, reason=_reason(exc, path))
        ) from exc
