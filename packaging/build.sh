#!/usr/bin/env bash
# Build imgdesk's one-folder Linux bundle into dist/imgdesk and print its size.
#
#     packaging/build.sh            build
#     packaging/build.sh --smoke    build, then run the bundle's --self-test offscreen
#
# PYTHON picks the interpreter (default: the project's .venv); it needs imgdesk installed with
# the `packaging` extra (PyInstaller). Outputs go to dist/ and build/ (never committed), or to
# the folders IMGDESK_DIST and IMGDESK_BUILD name (the bundle smoke test uses temporary ones).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
APP_ID="io.imgdesk.Imgdesk"
DIST="${IMGDESK_DIST:-dist}"
WORK="${IMGDESK_BUILD:-build}/pyinstaller"
BUNDLE="$DIST/imgdesk"

smoke=0
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=1 ;;
    *) echo "usage: $0 [--smoke]" >&2; exit 2 ;;
  esac
done

"$PYTHON" -m PyInstaller --version >/dev/null 2>&1 || {
  echo "PyInstaller is missing: $PYTHON -m pip install -e '.[packaging]'" >&2
  exit 2
}

start=$(date +%s)
# The bundle has no lrelease at run time: compile the translations into the package first.
lrelease="$(dirname "$PYTHON")/pyside6-lrelease"
for ts in src/imgdesk/i18n/*.ts; do
  "$lrelease" -silent "$ts" -qm "${ts%.ts}.qm"
done
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" packaging/imgdesk.spec

# Desktop integration beside the app, laid out like /usr/share so it can be copied as it is
# into ~/.local/share (see packaging/README.md).
share="$BUNDLE/share"
rm -rf "$share"
install -Dm644 "packaging/$APP_ID.desktop" "$share/applications/$APP_ID.desktop"
install -Dm644 "packaging/$APP_ID.metainfo.xml" "$share/metainfo/$APP_ID.metainfo.xml"
mkdir -p "$share/icons"
cp -r resources/icons/hicolor "$share/icons/"
echo "built $BUNDLE in $(( $(date +%s) - start )) s"
echo "size: $(du -sh "$BUNDLE" | cut -f1)  ($(find "$BUNDLE" -type f | wc -l) files)"

if [ "$smoke" = 1 ]; then
  echo "smoke test: $BUNDLE/imgdesk --self-test"
  QT_QPA_PLATFORM=offscreen "$BUNDLE/imgdesk" --self-test
fi
