"""The command line's parser, speaking the office's language.

argparse writes its own texts (the ``usage:`` line, the group titles, the help
option, its error messages) through the standard library's gettext, which
Loket's catalog never reaches, so without this module a clerk who types a
command wrong reads English. Patching argparse's module or installing a global
gettext domain would change every parser in the process; instead:

- where argparse takes a text as an argument (the usage prefix, the group
  titles, the help option's help), :class:`Parser` and :class:`Formatter`
  give it Loket's own message;
- the error messages argparse has already formatted reach :meth:`Parser.error`
  and are matched against argparse's own templates (copied verbatim from
  Python 3.11's ``argparse.py``), then rewritten in the current language.

A message no template matches (a future Python's new wording) is shown as
argparse wrote it: never lost, only untranslated.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NoReturn

from loket.domain.i18n import _

EXIT_USAGE = 2

Rewrite = Callable[[Mapping[str, str]], str]


def _type_name(name: str) -> str:
    """argparse names a failed ``type=`` by the function's name; say what it expects instead."""
    names = {"int": _("bilangan bulat"), "float": _("bilangan")}
    return names.get(name, name)


#: argparse's templates (Python 3.11) and what Loket says instead. ``%s``/``%r``
#: placeholders become the group ``value``, ``%(name)s`` the group ``name``.
_TEMPLATES: tuple[tuple[str, Rewrite], ...] = (
    (
        "the following arguments are required: %s",
        lambda g: _("argumen berikut wajib diisi: {arguments}").format(arguments=g["value"]),
    ),
    (
        "unrecognized arguments: %s",
        lambda g: _("argumen tidak dikenal: {arguments}").format(arguments=g["value"]),
    ),
    (
        "invalid choice: %(value)r (choose from %(choices)s)",
        lambda g: _("pilihan tidak sah: {value} (pilih salah satu: {choices})").format(
            value=g["value"], choices=g["choices"]
        ),
    ),
    (
        "invalid %(type)s value: %(value)r",
        lambda g: _("nilai {value} bukan {type}").format(
            value=g["value"], type=_type_name(g["type"])
        ),
    ),
    ("expected one argument", lambda g: _("perlu satu nilai")),
    ("expected at most one argument", lambda g: _("paling banyak satu nilai")),
    ("expected at least one argument", lambda g: _("perlu paling sedikit satu nilai")),
    ("expected %s argument", lambda g: _("perlu {n} nilai").format(n=g["value"])),
    ("expected %s arguments", lambda g: _("perlu {n} nilai").format(n=g["value"])),
    (
        "one of the arguments %s is required",
        lambda g: _("salah satu argumen ini wajib diisi: {arguments}").format(arguments=g["value"]),
    ),
    (
        "not allowed with argument %s",
        lambda g: _("tidak boleh bersama argumen {argument}").format(argument=g["value"]),
    ),
    (
        "ignored explicit argument %r",
        lambda g: _("nilai {value} tidak dipakai oleh opsi ini").format(value=g["value"]),
    ),
    (
        "ambiguous option: %(option)s could match %(matches)s",
        lambda g: _("opsi {option} tidak jelas: bisa berarti {matches}").format(
            option=g["option"], matches=g["matches"]
        ),
    ),
    (
        "unexpected option string: %s",
        lambda g: _("opsi tidak terduga: {option}").format(option=g["value"]),
    ),
    (
        "unknown parser %(parser_name)r (choices: %(choices)s)",
        lambda g: _("perintah tidak dikenal: {name} (pilihan: {choices})").format(
            name=g["parser_name"], choices=g["choices"]
        ),
    ),
    (
        "can't open '%(filename)s': %(error)s",
        lambda g: _("tidak dapat membuka '{filename}': {error}").format(
            filename=g["filename"], error=g["error"]
        ),
    ),
)

#: Wraps the other messages: argparse's ``argument %(argument_name)s: %(message)s``.
_ARGUMENT = "argument %(argument_name)s: %(message)s"

_PLACEHOLDER = re.compile(r"%(?:\((?P<name>\w+)\))?[sr]")


def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression that matches what ``template % values`` produced."""
    parts: list[str] = []
    end = 0
    for found in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[end : found.start()]))
        parts.append(f"(?P<{found.group('name') or 'value'}>.+?)")
        end = found.end()
    parts.append(re.escape(template[end:]))
    return re.compile("".join(parts), re.DOTALL)


_COMPILED = tuple((_pattern(template), rewrite) for template, rewrite in _TEMPLATES)
_ARGUMENT_PATTERN = _pattern(_ARGUMENT)


def translate_error(message: str) -> str:
    """argparse's English error ``message`` in the current language (unchanged if unknown)."""
    wrapped = _ARGUMENT_PATTERN.fullmatch(message)
    if wrapped is not None:
        return _("argumen {argument}: {message}").format(
            argument=wrapped["argument_name"], message=translate_error(wrapped["message"])
        )
    for pattern, rewrite in _COMPILED:
        found = pattern.fullmatch(message)
        if found is not None:
            return rewrite(found.groupdict())
    return message


class Formatter(argparse.HelpFormatter):
    """Help text whose usage line starts with Loket's word for "usage"."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[Any],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, _("penggunaan: ") if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose own texts and errors are in the current language.

    Errors exit with code 2 after the usage line, as argparse's do.
    """

    def __init__(self, **kwargs: Any) -> None:
        add_help = bool(kwargs.pop("add_help", True))
        kwargs.setdefault("formatter_class", Formatter)
        # No abbreviated options: ``--lan en`` would pass argparse but not the early
        # scan that picks the language before the parser (and its texts) are built.
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(add_help=False, **kwargs)
        # argparse names its two default groups in __init__, with no parameter for it.
        self._positionals.title = _("argumen posisi")
        self._optionals.title = _("opsi")
        self.add_help = add_help
        if add_help:
            self.add_argument(
                "-h",
                "--help",
                action="help",
                default=argparse.SUPPRESS,
                help=_("tampilkan bantuan ini lalu keluar"),
            )

    def add_subparsers(self, **kwargs: Any) -> Any:
        """Commands shown as ``PERINTAH`` in usage and errors, not as the ``dest`` name."""
        kwargs.setdefault("metavar", _("PERINTAH"))
        return super().add_subparsers(**kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(
            EXIT_USAGE,
            _("{prog}: kesalahan: {message}\n").format(
                prog=self.prog, message=translate_error(message)
            ),
        )
