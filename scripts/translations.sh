#!/usr/bin/env bash
# Loket's message catalog: Indonesian message ids in the code, English in
# loket/locale/en/LC_MESSAGES/loket.po.
#
#   bash scripts/translations.sh extract   # code -> loket/locale/loket.pot
#   bash scripts/translations.sh update    # loket.pot -> en/LC_MESSAGES/loket.po (creates it if missing)
#   bash scripts/translations.sh compile   # every <lang>/LC_MESSAGES/loket.po -> loket.mo
#
# After adding or changing a `_("...")` / `ngettext(...)` in the code:
#   extract, update, translate the new (empty) msgstr entries, then compile.
# tests/i18n/test_catalog.py fails, listing the untranslated ids, until that is done.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

DOMAIN=loket
LOCALE_DIR=loket/locale
POT="$LOCALE_DIR/$DOMAIN.pot"
LANGS=(en)

if [[ -x .venv/bin/pybabel ]]; then
    PYBABEL=.venv/bin/pybabel
elif command -v pybabel >/dev/null 2>&1; then
    PYBABEL=pybabel
else
    echo "translations.sh: pybabel not found (run 'make install' first)" >&2
    exit 1
fi

usage() {
    echo "usage: bash scripts/translations.sh extract|update|compile" >&2
    exit 2
}

extract() {
    mkdir -p "$LOCALE_DIR"
    local version
    version=$(sed -n 's/^version *= *"\(.*\)"/\1/p' pyproject.toml | head -n 1)
    # Only the project's own keywords (the defaults would also pick up e.g.
    # gettext(...) calls on other objects); no locations and sorted output so
    # that moving code around does not change the catalog.
    "$PYBABEL" -q extract \
        --no-default-keywords -k _ -k ngettext:1,2 \
        --no-location --sort-output --no-wrap \
        --project=Loket --version="${version:-0}" \
        --header-comment="# Loket message catalog template. Message ids are Indonesian; regenerate with
# 'bash scripts/translations.sh extract' (never edit by hand).
#" \
        -o "$POT" loket ui
}

update() {
    [[ -f "$POT" ]] || extract
    local lang
    for lang in "${LANGS[@]}"; do
        "$PYBABEL" -q update \
            -i "$POT" -d "$LOCALE_DIR" -D "$DOMAIN" -l "$lang" \
            --init-missing --no-fuzzy-matching --ignore-pot-creation-date --no-wrap
    done
}

compile() {
    # Nothing to compile (no .po yet) is not an error.
    if ! compgen -G "$LOCALE_DIR/*/LC_MESSAGES/$DOMAIN.po" >/dev/null; then
        return 0
    fi
    "$PYBABEL" -q compile -d "$LOCALE_DIR" -D "$DOMAIN"
}

[[ $# -eq 1 ]] || usage
case "$1" in
    extract) extract ;;
    update) update ;;
    compile) compile ;;
    *) usage ;;
esac
