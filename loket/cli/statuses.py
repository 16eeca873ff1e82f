"""Dossier statuses in the office's words on the command line (``--state diproses``).

The desktop shows a status by its label (:attr:`Status.label`: "Diproses",
"Berkas dikembalikan", "Ditolak", "Dibatalkan", "Izin terbit", "Izin
diserahkan"); the command line takes the word of each label that tells it
apart, the whole label, or the English code that scripts written earlier use.
The words are fixed rather than translated: a script's ``--state terbit`` must
not change meaning with ``--lang``.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from types import MappingProxyType

from loket.domain.dossier import Status
from loket.domain.i18n import _

#: The office's word for each status, in the order a dossier reaches them.
STATUS_WORDS: Mapping[str, Status] = MappingProxyType(
    {
        "diproses": Status.IN_PROGRESS,
        "dikembalikan": Status.RETURNED,
        "ditolak": Status.REJECTED,
        "dibatalkan": Status.CANCELLED,
        "terbit": Status.ISSUED,
        "diserahkan": Status.HANDED_OVER,
    }
)


#: The desktop's whole Indonesian labels, accepted whatever ``--lang`` says (the
#: labels of the current language are accepted too).
INDONESIAN_LABELS: Mapping[str, Status] = MappingProxyType(
    {
        "berkas dikembalikan": Status.RETURNED,
        "izin terbit": Status.ISSUED,
        "izin diserahkan": Status.HANDED_OVER,
    }
)


def _normal(text: str) -> str:
    """``Izin  Terbit`` and ``izin-terbit`` read as ``izin terbit``."""
    return " ".join(text.replace("-", " ").replace("_", " ").lower().split())


def find_status(text: str) -> Status | None:
    """The status ``text`` names (a word, a label or a code), or None."""
    wanted = _normal(text)
    if wanted in INDONESIAN_LABELS:
        return INDONESIAN_LABELS[wanted]
    for word, status in STATUS_WORDS.items():
        if wanted in (word, _normal(status.value), _normal(status.label)):
            return status
    return None


def status_words() -> str:
    """``diproses, dikembalikan, ...``: what ``--help`` and refusals list."""
    return ", ".join(STATUS_WORDS)


def status_help() -> str:
    return _("status berkas: {words} (kode Inggris seperti in_progress juga diterima)").format(
        words=status_words()
    )


def parse_status(text: str) -> Status:
    """argparse ``type=`` for a status; refuses in the office's words."""
    status = find_status(text)
    if status is None:
        raise argparse.ArgumentTypeError(
            _("status tidak dikenal: {state} (pilihan: {choices})").format(
                state=text[:40], choices=status_words()
            )
        )
    return status
