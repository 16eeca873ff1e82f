"""Every SOP the office runs, by number and version.

SOPs come from the project's ``data/sop`` folder and from the office's own
folder (``<user data>/sop``), which may add SOPs or override shipped ones with
a newer version. A dossier keeps the number *and* version it was filed under,
so older versions stay loadable (from the database snapshot taken at filing).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loket.catalog.loader import load_sop_file, parse_sop, read_document
from loket.domain.i18n import _
from loket.domain.sop import Sop

PACKAGED_SOP_DIR = Path(__file__).resolve().parents[2] / "data" / "sop"


class CatalogError(LookupError):
    """An SOP that the catalog does not hold."""


def default_sop_dirs(user_data_dir: Path | None = None) -> list[Path]:
    dirs = [PACKAGED_SOP_DIR]
    if user_data_dir is not None:
        dirs.append(user_data_dir / "sop")
    return dirs


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    sop: Sop
    document: Mapping[str, Any]

    def document_json(self) -> str:
        """The source document as canonical JSON: what a dossier's snapshot stores."""
        return json.dumps(self.document, ensure_ascii=False, sort_keys=True, default=str)


class Catalog:
    def __init__(self, entries: Iterable[CatalogEntry]) -> None:
        self._entries: dict[tuple[int, int], CatalogEntry] = {}
        for entry in entries:
            self._entries[(entry.sop.number, entry.sop.version)] = entry

    @classmethod
    def from_dirs(cls, dirs: Iterable[Path]) -> Catalog:
        """Load every ``*.toml`` file; the first invalid file stops the load."""
        entries: list[CatalogEntry] = []
        for folder in dirs:
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.toml")):
                document = read_document(path)
                entries.append(CatalogEntry(parse_sop(document, str(path)), document))
        return cls(entries)

    @classmethod
    def from_files(cls, paths: Iterable[Path]) -> Catalog:
        entries = []
        for path in paths:
            document = read_document(path)
            entries.append(CatalogEntry(parse_sop(document, str(path)), document))
        return cls(entries)

    def add_snapshot(self, document_json: str, source: str) -> Sop:
        """Make an SOP version stored with a dossier available again."""
        document = json.loads(document_json)
        sop = parse_sop(document, source)
        self._entries.setdefault((sop.number, sop.version), CatalogEntry(sop, document))
        return self._entries[(sop.number, sop.version)].sop

    def numbers(self) -> list[int]:
        return sorted({number for number, _version in self._entries})

    def latest(self) -> list[Sop]:
        return [self.get(number) for number in self.numbers()]

    def entry(self, number: int, version: int | None = None) -> CatalogEntry:
        if version is None:
            versions = [v for n, v in self._entries if n == number]
            if not versions:
                raise CatalogError(_("SOP {number} tidak dikenal").format(number=number))
            version = max(versions)
        try:
            return self._entries[(number, version)]
        except KeyError:
            raise CatalogError(
                _("SOP {number} versi {version} tidak dikenal").format(
                    number=number, version=version
                )
            ) from None

    def get(self, number: int, version: int | None = None) -> Sop:
        return self.entry(number, version).sop

    def __len__(self) -> int:
        return len(self._entries)


__all__ = ["Catalog", "CatalogEntry", "CatalogError", "default_sop_dirs", "load_sop_file"]
