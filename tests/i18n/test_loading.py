"""The English catalog loads whether or not ``make`` compiled it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from loket.domain.i18n import _locale_dir, catalog

MSGID = "Kata pencarian terlalu panjang."
SHIPPED_PO = Path(_locale_dir()) / "en" / "LC_MESSAGES" / "loket.po"


def folder(root: Path) -> Path:
    path = root / "en" / "LC_MESSAGES"
    path.mkdir(parents=True)
    return path


def compiled(path: Path, translation: str) -> None:
    messages = Catalog(locale="en")
    messages.add(MSGID, translation)
    with path.open("wb") as out:
        write_mo(out, messages)


def age(path: Path, seconds: int) -> None:
    stamp = path.stat().st_mtime - seconds
    os.utime(path, (stamp, stamp))


def test_the_po_alone_is_compiled_in_memory(tmp_path: Path) -> None:
    shutil.copy(SHIPPED_PO, folder(tmp_path) / "loket.po")
    english = catalog(tmp_path, "en").gettext(MSGID)
    assert english != MSGID and english.strip()


def test_a_current_mo_is_used(tmp_path: Path) -> None:
    messages = folder(tmp_path)
    shutil.copy(SHIPPED_PO, messages / "loket.po")
    age(messages / "loket.po", 60)
    compiled(messages / "loket.mo", "from the mo")
    assert catalog(tmp_path, "en").gettext(MSGID) == "from the mo"


def test_an_mo_older_than_its_po_is_not_used(tmp_path: Path) -> None:
    messages = folder(tmp_path)
    compiled(messages / "loket.mo", "stale")
    age(messages / "loket.mo", 60)
    shutil.copy(SHIPPED_PO, messages / "loket.po")
    assert catalog(tmp_path, "en").gettext(MSGID) not in ("stale", MSGID)


def test_an_mo_written_just_before_its_po_is_current(tmp_path: Path) -> None:
    """An installer writes ``loket.mo`` then ``loket.po``, a moment apart."""
    messages = folder(tmp_path)
    compiled(messages / "loket.mo", "installed")
    age(messages / "loket.mo", 1)
    shutil.copy(SHIPPED_PO, messages / "loket.po")
    assert catalog(tmp_path, "en").gettext(MSGID) == "installed"


def test_an_mo_without_its_po_is_used(tmp_path: Path) -> None:
    compiled(folder(tmp_path) / "loket.mo", "only the mo")
    assert catalog(tmp_path, "en").gettext(MSGID) == "only the mo"


def test_no_catalog_falls_back_to_indonesian(tmp_path: Path) -> None:
    folder(tmp_path)
    assert catalog(tmp_path, "en").gettext(MSGID) == MSGID
