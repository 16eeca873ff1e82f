"""The English catalog: parses, keeps placeholders, covers the code, and loads.

Message ids are Indonesian and live in the code; ``loket/locale/en/LC_MESSAGES/
loket.po`` translates them. When a test here fails because a message has no
translation, run::

    bash scripts/translations.sh extract
    bash scripts/translations.sh update

then fill the new empty ``msgstr`` entries of the .po file.

The compiled ``loket.mo`` is git-ignored and built by ``make install``; these
tests never rely on it: they compile the .po into a temporary folder and point
:mod:`loket.domain.i18n` there.
"""

from __future__ import annotations

import ast
import string
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import loket
from loket.domain import i18n

PACKAGE = Path(loket.__file__).resolve().parent
# The desktop shares the core's catalog: its messages are checked the same way.
SOURCES = (PACKAGE, PACKAGE.parent / "ui")
PO_FILE = PACKAGE / "locale" / "en" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
#: The call names scripts/translations.sh extracts, as babel keyword specs.
KEYWORDS = {"_": None, "ngettext": (1, 2)}
UPDATE_HINT = (
    "run `bash scripts/translations.sh extract && bash scripts/translations.sh update`, "
    f"then translate the empty msgstr entries in {PO_FILE.relative_to(PACKAGE.parent)}"
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with PO_FILE.open("rb") as f:
        return read_po(f, locale="en", domain=i18n.DOMAIN, abort_invalid=True)


def _entries(catalog: Catalog) -> Iterator[Message]:
    """Every real entry (not the header, not obsolete ones)."""
    return (m for m in catalog if m.id)


def _forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _placeholders(text: str) -> Counter[str]:
    """``{name}``, ``{name:>3}``, ``{name!r}`` fields of a str.format template."""
    fields = Counter[str]()
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            conversion_part = f"!{conversion}" if conversion else ""
            spec_part = f":{spec}" if spec else ""
            fields["{" + name + conversion_part + spec_part + "}"] += 1
    return fields


def _edges(text: str) -> tuple[str, str]:
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]


def _code_messages() -> dict[str | tuple[str, ...], list[str]]:
    """Message id -> where it is used, exactly as the extractor sees the code."""
    found: dict[str | tuple[str, ...], list[str]] = {}
    for source in SOURCES:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(source), keywords=KEYWORDS
        ):
            found.setdefault(message, []).append(f"{source.name}/{filename}:{lineno}")
    return found


# --- (a) the file itself ---------------------------------------------------------


def test_po_parses_and_is_english(catalog: Catalog) -> None:
    assert str(catalog.locale) == "en"
    assert catalog.num_plurals == 2
    assert len(list(_entries(catalog))) > 0


def test_translations_keep_every_placeholder(catalog: Catalog) -> None:
    wrong = []
    for message in _entries(catalog):
        ids = _forms(message.id)
        expected = _placeholders(ids[-1]) | _placeholders(ids[0])
        for translated in _forms(message.string):
            if translated and _placeholders(translated) != expected:
                wrong.append(
                    f"{ids[0]!r}: {sorted(expected.elements())} "
                    f"!= {sorted(_placeholders(translated).elements())}"
                )
    assert not wrong, "translations whose {placeholders} differ from the id:\n" + "\n".join(wrong)


def test_translations_keep_leading_and_trailing_whitespace(catalog: Catalog) -> None:
    wrong = [
        repr(message.id)
        for message in _entries(catalog)
        for original, translated in zip(_forms(message.id), _forms(message.string), strict=False)
        if translated and _edges(original) != _edges(translated)
    ]
    assert not wrong, "translations that lost leading/trailing spaces or newlines:\n" + "\n".join(
        wrong
    )


def test_no_fuzzy_entries(catalog: Catalog) -> None:
    # Fuzzy entries are left out of the compiled catalog: the UI would stay Indonesian.
    fuzzy = [repr(m.id) for m in _entries(catalog) if m.fuzzy]
    assert not fuzzy, "fuzzy entries (review, then remove the fuzzy flag):\n" + "\n".join(fuzzy)


# --- (b) the file covers the code --------------------------------------------------


def test_every_message_in_the_code_is_translated(catalog: Catalog) -> None:
    code = _code_messages()
    assert code, "the extractor found no messages in loket/: is KEYWORDS still right?"
    missing = []
    for msgid, where in sorted(code.items(), key=lambda item: _forms(item[0])[0]):
        entry = catalog.get(_forms(msgid)[0])
        strings = _forms(entry.string) if entry is not None else []
        if entry is None or entry.fuzzy or not strings or not all(s.strip() for s in strings):
            missing.append(f"  {_forms(msgid)[0]!r}  ({where[0]})")
    assert not missing, (
        f"{len(missing)} message(s) in the code have no English translation; {UPDATE_HINT}:\n"
        + "\n".join(missing)
    )


def _literal_ids(call: ast.Call) -> str | None:
    """The (first) message id of ``_("...")`` / ``ngettext("...", "...", n)``, else None."""
    wanted = 2 if isinstance(call.func, ast.Name) and call.func.id == "ngettext" else 1
    args = call.args[:wanted]
    if len(args) < wanted or not all(
        isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in args
    ):
        return None
    first = args[0]
    assert isinstance(first, ast.Constant)
    return str(first.value)


def test_no_message_is_hidden_from_the_extractor() -> None:
    """``_(f"...")``, ``_(name)`` or ``_()`` inside an f-string never reach the catalog."""
    hidden = []
    for path in sorted(p for source in SOURCES for p in source.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).as_posix()
        if relative == "loket/domain/i18n.py":
            continue  # the definitions themselves
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        inside_fstring = {
            id(node)
            for joined in ast.walk(tree)
            if isinstance(joined, ast.JoinedStr)
            for node in ast.walk(joined)
        }
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in KEYWORDS
            ):
                continue
            msgid = _literal_ids(node)
            in_fstring = id(node) in inside_fstring
            if in_fstring or msgid is None:
                hidden.append(f"  {relative}:{node.lineno}: {ast.unparse(node)}")
    assert not hidden, (
        "translatable calls the extractor cannot see (use a plain string literal, "
        "outside any f-string):\n" + "\n".join(hidden)
    )


# --- (c) and (d) the compiled catalog at run time ---------------------------------


@pytest.fixture
def compiled_locale(catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The .po compiled into a temporary locale folder that i18n loads from."""
    target = tmp_path / "en" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    target.parent.mkdir(parents=True)
    with target.open("wb") as f:
        write_mo(f, catalog)
    monkeypatch.setattr(i18n, "_locale_dir", lambda: str(tmp_path))
    return tmp_path


@pytest.mark.usefixtures("compiled_locale")
def test_english_is_loaded_from_the_compiled_catalog(catalog: Catalog) -> None:
    try:
        i18n.set_language("en")
        assert i18n.language() == "en"
        assert i18n._("SOP {number} tidak dikenal").format(number=7) == "Unknown SOP 7"
        assert i18n._("hari kerja") == "working days"
        for message in _entries(catalog):
            # Untranslated entries (caught by the coverage test) fall back to the id.
            if isinstance(message.id, str):
                assert i18n._(message.id) == (message.string or message.id), message.id
            else:
                singular, plural = message.id[0], message.id[1]
                assert i18n.ngettext(singular, plural, 1) == (message.string[0] or singular)
                assert i18n.ngettext(singular, plural, 2) == (message.string[1] or plural)
        # An id without a translation falls back to Indonesian, never to a blank.
        assert i18n._("pesan yang tidak ada di katalog") == "pesan yang tidak ada di katalog"
    finally:
        i18n.set_language("id")


def test_indonesian_returns_the_ids_unchanged(catalog: Catalog) -> None:
    i18n.set_language("id")
    assert i18n.language() == "id"
    for message in _entries(catalog):
        if isinstance(message.id, str):
            assert i18n._(message.id) == message.id
    assert i18n.ngettext("{n} berkas", "{n} berkas", 1) == "{n} berkas"
    assert i18n.ngettext("satu", "banyak", 2) == "banyak"
