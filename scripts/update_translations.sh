#!/bin/sh
# Collect every translatable sentence in src/imgdesk into src/imgdesk/i18n/imgdesk_de.ts.
# New sentences arrive marked unfinished: translate them (pyside6-linguist, or by hand) before
# committing; tests/test_i18n.py fails while any entry is unfinished or missing.
# The .qm is not committed: the install builds it (setup.py), a source checkout compiles it on
# first start (imgdesk/ui/translations.py).
set -eu
cd "$(dirname "$0")/.."
bin="$(dirname "$(command -v python)")"
lupdate="${PYSIDE6_LUPDATE:-$bin/pyside6-lupdate}"
[ -x "$lupdate" ] || lupdate=.venv/bin/pyside6-lupdate
find src/imgdesk -name '*.py' | sort > /tmp/imgdesk-lupdate-files.$$
"$lupdate" -no-obsolete -locations none -source-language en -target-language de \
    @/tmp/imgdesk-lupdate-files.$$ -ts src/imgdesk/i18n/imgdesk_de.ts
rm -f /tmp/imgdesk-lupdate-files.$$
