"""The one message catalog of Loket, shared by the core, the PDFs and the UI.

Message ids are Indonesian, the office's own language and the default. The
English catalog (``loket/locale/en``) translates them; a missing translation
falls back to Indonesian, never to a blank. It lives in the domain so that the
domain's own messages (validation, refusals) can be translated without the
domain importing anything else of the project.
"""

from __future__ import annotations

import gettext
import os
from importlib import resources

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
        _translations = gettext.translation(
            DOMAIN, localedir=_locale_dir(), languages=[language], fallback=True
        )


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
