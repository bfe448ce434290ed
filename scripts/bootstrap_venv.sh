#!/usr/bin/env bash
# Create .venv with a Python that Rasa 3.6 supports (3.10, 3.9 or 3.8) and install the pinned lock.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  local candidate
  for candidate in python3.10 python3.9 python3.8; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys' >/dev/null 2>&1; then
      command -v "$candidate"; return 0
    fi
  done
  # pyenv installs that are not the active version are still usable directly.
  local root="${PYENV_ROOT:-$HOME/.pyenv}"
  for candidate in "$root"/versions/3.10*/bin/python3.10 "$root"/versions/3.9*/bin/python3.9 "$root"/versions/3.8*/bin/python3.8; do
    if [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  return 1
}

if [ -x .venv/bin/python ] && .venv/bin/python -c 'import sys; sys.exit(0 if (3, 8) <= sys.version_info[:2] <= (3, 10) else 1)'; then
  echo "Using the existing .venv ($(.venv/bin/python --version))"
else
  if ! PYTHON=$(find_python); then
    cat >&2 <<'MSG'
No Python 3.8, 3.9 or 3.10 was found. Rasa Open Source 3.6 does not install on newer Pythons.
Install Python 3.10 (for example `pyenv install 3.10.13`, or your system's python3.10 package
with its venv module), then run this command again.
MSG
    exit 1
  fi
  echo "Creating .venv with $PYTHON ($("$PYTHON" --version))"
  rm -rf .venv
  "$PYTHON" -m venv .venv
fi

.venv/bin/python -m pip install --quiet --upgrade "pip==24.0"
echo "Installing pinned packages from requirements.lock (a first install takes about 4 minutes) ..."
.venv/bin/python -m pip install --quiet -r requirements.lock
# The project itself, editable, so `bot` and `actions` import from anywhere without PYTHONPATH.
.venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
.venv/bin/python -m pip check
