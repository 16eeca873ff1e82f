"""The one message catalog of Loket, shared by the core, the PDFs and the UI.

Message ids are Indonesian, the office's own language and the default. The
English catalog (``loket/locale/en``) translates them; a missing translation
falls back to Indonesian, never to a blank. It lives in the domain so that the
domain's own messages (validation, refusals) can be translated without the
domain importing anything else of the project.
"""

from __future__ import annotations

import gettext
import io
import os
from importlib import resources
from pathlib import Path

DOMAIN = "loket"
LANGUAGES = ("id", "en")

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "id"


def _locale_dir() -> str:
    return str(resources.files("loket") / "locale")


def set_language(language: str) -> None:
    """Switch every later message to ``language`` ("id" or "en")."""
    global _translations, _language
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; use one of {LANGUAGES}")
    _language = language
    if language == "id":
        _translations = gettext.NullTranslations()
    else:
        _translations = catalog(Path(_locale_dir()), language)


#: Files written this close together came from one install or one compile.
SAME_INSTALL_SECONDS = 2.0


def catalog(locale_dir: Path, language: str) -> gettext.NullTranslations:
    """The compiled catalog when it is current, else the ``.po`` compiled in memory.

    ``make`` compiles the ``.mo``; a plain ``pip install`` of a source tree, or a
    ``.po`` edited since the last compile, would otherwise switch language to
    nothing at all. Compiling in memory costs about 0.1 s, so it is done only
    then: an installer that writes the ``.po`` a moment after the ``.mo`` still
    finds the ``.mo`` current (:data:`SAME_INSTALL_SECONDS`).
    """
    folder = locale_dir / language / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    po_time = po.stat().st_mtime if po.exists() else None
    if mo.exists() and (po_time is None or mo.stat().st_mtime + SAME_INSTALL_SECONDS >= po_time):
        with mo.open("rb") as compiled:
            return gettext.GNUTranslations(compiled)
    if po_time is None:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as source:
        messages = read_po(source, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, messages)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def language() -> str:
    return _language


def _(message: str) -> str:
    """Translate ``message`` (an Indonesian message id) into the current language."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


set_language(
    os.environ.get("LOKET_LANG", "id") if os.environ.get("LOKET_LANG") in LANGUAGES else "id"
)
