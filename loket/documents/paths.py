"""Where the documents' shipped files live: fonts, the placeholder logo, the texts.

``resources/`` sits at the repository root, beside ``data/sop``, and is found the
same way the catalog finds its SOP files (``loket.catalog.catalog.PACKAGED_SOP_DIR``).
"""

from __future__ import annotations

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parents[2] / "resources"
FONTS_DIR = RESOURCES_DIR / "fonts"
TEMPLATES_DIR = RESOURCES_DIR / "templates"
PLACEHOLDER_LOGO = RESOURCES_DIR / "logo" / "logo-placeholder.png"
TEXTS_FILE = "documents.toml"
