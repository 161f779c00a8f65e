#!/usr/bin/env bash
# Installs the system packages biasaudit needs, once. Idempotent: does nothing when they are present.
#   scripts/setup.sh            build and run prerequisites (oneDNN, libxml2, SQLite)
#   scripts/setup.sh --browser  also headless Chromium and poppler-utils (pdfinfo, pdftotext), for the HTML
#                               report's browser test (layout at 390 and 1280 px, printed pages)
set -euo pipefail

packages=(libdnnl-dev libxml2-dev libsqlite3-dev)
if [[ "${1:-}" == "--browser" ]]; then
    packages+=(chromium poppler-utils)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
else
    echo "setup: missing system packages: ${missing[*]}" >&2
    echo "setup: install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
