"""The documents' words, read from ``resources/templates/documents.toml``.

Texts are data so that the office can change a sentence without a new Loket:
the packaged file gives every key, and an optional file of the same name in the
office's data folder overrides single keys.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loket.documents.paths import TEMPLATES_DIR, TEXTS_FILE
from loket.domain.i18n import _


class TemplateError(ValueError):
    """A texts file that cannot be read; the message names the file."""


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TemplateError(
            _("Berkas teks dokumen {path} tidak dapat dibaca: {error}").format(path=path, error=exc)
        ) from exc


@dataclass(frozen=True)
class Texts:
    """One document's texts: ``texts["title"]``, formatted with ``texts.fill``."""

    section: str
    values: Mapping[str, Any]

    def __getitem__(self, key: str) -> str:
        return str(self.values[key])

    def fill(self, key: str, **fields: object) -> str:
        return self[key].format(**fields)

    def table(self, key: str) -> Mapping[str, Any]:
        value = self.values.get(key, {})
        return value if isinstance(value, Mapping) else {}


@dataclass(frozen=True)
class TextBook:
    """Every document's texts, packaged defaults with the office's overrides on top."""

    sections: Mapping[str, Mapping[str, Any]]

    def __getitem__(self, section: str) -> Texts:
        return Texts(section, self.sections[section])


def load_texts(override_dir: Path | None = None) -> TextBook:
    data = _read(TEMPLATES_DIR / TEXTS_FILE)
    if override_dir is not None and (override_dir / TEXTS_FILE).is_file():
        data = _merge(data, _read(override_dir / TEXTS_FILE))
    return TextBook({k: v for k, v in data.items() if isinstance(v, dict)})
