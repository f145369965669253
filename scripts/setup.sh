#!/usr/bin/env bash
# Installs what Negotiator needs, idempotently and quickly on a re-run:
#   Debian packages (when missing), a Python >= 3.12 virtualenv in .venv with the
#   locked dependencies, compiled translations, and a migrated database.
# Usage: scripts/setup.sh [--test]   (--test adds what the test suite needs: chromium, poppler-utils)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[1;31mERROR:\033[0m %s\n' "$*" >&2; exit 1; }

# --- Debian packages ---------------------------------------------------------
# pango and harfbuzz-subset for WeasyPrint (without subsetting a Chinese PDF takes many
# times longer: docs/performance.md), the Noto CJK fonts the letters name, gettext for the
# translation catalogs.
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libfontconfig1 fonts-noto-cjk gettext)
if (( want_test )); then
  packages+=(chromium poppler-utils)
fi
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if (( ${#missing[@]} )); then
  if ! command -v apt-get >/dev/null; then
    die "missing system packages: ${missing[*]} (this script knows only Debian/Ubuntu's apt-get)"
  fi
  if [[ $(id -u) -eq 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo)
  else
    die "missing system packages: ${missing[*]}
Run this once, then run the same command again:
  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  fi
  say "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- Python ------------------------------------------------------------------
python_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
# In order: pyenv's choice for .python-version; python3.13/3.12 on PATH; pyenv's
# installed versions even when its shims are not on PATH (a non-login shell);
# then whatever python3 is.
find_python() {
  local candidate version
  if command -v pyenv >/dev/null && [[ -f .python-version ]]; then
    candidate=$(pyenv which python 2>/dev/null || true)
    [[ -n "$candidate" ]] && python_ok "$candidate" && { echo "$candidate"; return; }
  fi
  for version in 3.13 3.12; do
    candidate=$(command -v "python$version" || true)
    [[ -n "$candidate" ]] && python_ok "$candidate" && { echo "$candidate"; return; }
    candidate=$(ls -d "${PYENV_ROOT:-$HOME/.pyenv}/versions/$version".*/bin/python 2>/dev/null | sort -V | tail -n 1)
    [[ -n "$candidate" ]] && python_ok "$candidate" && { echo "$candidate"; return; }
  done
  for candidate in python3 python; do
    candidate=$(command -v "$candidate" || true)
    [[ -n "$candidate" ]] && python_ok "$candidate" && { echo "$candidate"; return; }
  done
  return 1
}

if [[ ! -x .venv/bin/python ]] || ! python_ok .venv/bin/python; then
  python=$(find_python) || die "Negotiator needs Python 3.12 or newer (3.13 preferred; see .python-version). Install it with one of:
  sudo apt-get install -y python3.13 python3.13-venv     # Debian 13 / Ubuntu 24.10+
  sudo apt-get install -y python3.12 python3.12-venv     # Ubuntu 24.04
  pyenv install 3.13                                     # anywhere, with pyenv"
  say "Creating .venv with $python ($("$python" --version))"
  rm -rf .venv
  "$python" -m venv .venv || die "could not create a virtualenv; install the venv module: sudo apt-get install -y python3-venv"
fi

stamp_value=$( (cat requirements.lock pyproject.toml; .venv/bin/python --version) | sha256sum | cut -d' ' -f1)
if [[ ! -f .venv/.setup-stamp ]] || [[ "$(cat .venv/.setup-stamp)" != "$stamp_value" ]]; then
  say "Installing Python packages (requirements.lock)"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock
  .venv/bin/python -m pip check
  echo "$stamp_value" > .venv/.setup-stamp
fi

# --- Translations ------------------------------------------------------------
for po in locale/*/LC_MESSAGES/django.po; do
  [[ -f "$po" ]] || continue
  mo="${po%.po}.mo"
  if [[ ! -f "$mo" || "$po" -nt "$mo" ]]; then
    msgfmt --check-format -o "$mo" "$po"
  fi
done
