#!/usr/bin/env bash
# Create, or reuse, the action's private virtual environment and print its Python.
#
# Why a private venv: the caller's Python stays untouched (no setup-python, no PEP 668
# "externally managed" errors), and the dependencies are exactly the version- and hash-pinned
# ones in requirements/action.txt (regenerate with scripts/lock-requirements.sh).
#
# The venv lives in "$RUNNER_TOOL_CACHE/daily-papers" when that is writable (it survives between
# jobs on self-hosted runners), else in "<action dir>/.action-venv". Its directory name is a hash
# of the lock file and the interpreter, so a new lock or another Python gets a new venv, and a
# venv is only used once the ".complete" file written after a successful install exists.
#
# Output: "python=<path>" in $GITHUB_OUTPUT (and on stdout when run outside Actions).
set -euo pipefail

action_dir="${GITHUB_ACTION_PATH:-$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)}"
lock="$action_dir/requirements/action.txt"

fail() {
  echo "::error title=daily-papers setup::$1"
  exit 1
}

# --- 1. a Python >= 3.10 ---------------------------------------------------------------------
python=""
for candidate in python3 python; do
  if command -v "$candidate" >/dev/null 2>&1 &&
    "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 10))' >/dev/null 2>&1; then
    python="$(command -v "$candidate")"
    break
  fi
done
if [[ -z "$python" ]]; then
  found="$( (python3 --version || python --version) 2>&1 | head -n 1 || true)"
  fail "daily-papers needs Python 3.10 or newer as python3 on PATH (found: ${found:-none}). Add actions/setup-python with python-version: '3.12' before this step, or install python3 on the runner."
fi
[[ -f "$lock" ]] || fail "The lock file $lock is missing; the action checkout is incomplete."

# --- 2. where the venv lives -------------------------------------------------------------------
key="$("$python" - "$lock" <<'PY'
import hashlib, sys
digest = hashlib.sha256(open(sys.argv[1], "rb").read())
digest.update(sys.version.encode())
digest.update(sys.executable.encode())
print(f"py{sys.version_info[0]}{sys.version_info[1]}-{digest.hexdigest()[:16]}")
PY
)"
root=""
for candidate in "${RUNNER_TOOL_CACHE:+$RUNNER_TOOL_CACHE/daily-papers}" "$action_dir/.action-venv"; do
  if [[ -n "$candidate" ]] && mkdir -p "$candidate" 2>/dev/null && [[ -w "$candidate" ]]; then
    root="$candidate"
    break
  fi
done
[[ -n "$root" ]] || fail "No writable directory for the daily-papers environment (tried \$RUNNER_TOOL_CACHE and $action_dir)."
venv="$root/venv-$key"

venv_python() {
  if [[ -x "$1/bin/python" ]]; then echo "$1/bin/python"; else echo "$1/Scripts/python.exe"; fi
}

emit() {
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
    echo "python=$1" >>"$GITHUB_OUTPUT"
  else
    echo "python=$1"
  fi
}

if [[ -f "$venv/.complete" ]]; then
  echo "Reusing the daily-papers environment at $venv"
  emit "$(venv_python "$venv")"
  exit 0
fi

# --- 3. build it beside the final place, then rename it there in one step ---------------------
# Concurrent jobs sharing a tool cache may all get here. Each builds in its own fresh temporary
# directory and publishes it with one rename(2), which fails when the target already exists:
# the winner's venv appears complete or not at all, and a loser discards its copy and uses the
# winner's. (No flock: it is missing on macOS runners.)
started=$SECONDS
tmp="$(mktemp -d "$root/tmp-$key-XXXXXXXX")" || fail "Could not create a temporary directory in $root."
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
"$python" -m venv --without-pip "$tmp" || fail "Creating a virtual environment with $python failed; install the venv module (Debian/Ubuntu: apt-get install python3-venv)."
new_python="$(venv_python "$tmp")"
# --only-binary: wheels only, so no package's build script runs during setup; --require-hashes
# and --no-deps: exactly the pinned files of the lock, nothing resolved at install time.
pip_args=(install --quiet --disable-pip-version-check --no-input --no-warn-script-location
  --require-hashes --no-deps --only-binary :all: -r "$lock")
# Fast path: drive the venv with the host's pip (>= 22.3 knows --python) instead of bootstrapping
# a pip into it with ensurepip, which costs seconds.
if "$python" -m pip --version 2>/dev/null |
  "$python" -c 'import sys; v = sys.stdin.read().split()[1].split("."); sys.exit((int(v[0]), int(v[1])) < (22, 3))' 2>/dev/null; then
  "$python" -m pip --python "$new_python" "${pip_args[@]}" || fail "Installing the locked dependencies failed (see the pip output above)."
else
  "$new_python" -m ensurepip --default-pip >/dev/null || fail "Bootstrapping pip into the virtual environment failed; install python3-venv/python3-pip."
  "$new_python" -m pip "${pip_args[@]}" || fail "Installing the locked dependencies failed (see the pip output above)."
fi
touch "$tmp/.complete"

# Atomic publish: os.rename refuses an existing non-empty target on POSIX and any existing target
# on Windows (mv would move the directory *into* it instead).
publish() {
  "$python" -c 'import os, sys; os.rename(sys.argv[1], sys.argv[2])' "$tmp" "$venv" 2>/dev/null
}
if publish; then
  echo "Created the daily-papers environment at $venv in $((SECONDS - started)) s"
elif [[ -f "$venv/.complete" ]]; then
  echo "Another job created the daily-papers environment at $venv meanwhile; using it"
else
  # A leftover without .complete (an older script, a full disk): move it aside in one rename,
  # so no job can see it half-deleted, then publish ours.
  stale="$(mktemp -d "$root/stale-$key-XXXXXXXX")"
  "$python" -c 'import os, sys; os.rename(sys.argv[1], sys.argv[2])' "$venv" "$stale/venv" 2>/dev/null || true
  rm -rf "$stale"
  if publish; then
    echo "Created the daily-papers environment at $venv in $((SECONDS - started)) s"
  elif [[ -f "$venv/.complete" ]]; then
    echo "Another job created the daily-papers environment at $venv meanwhile; using it"
  else
    fail "Could not move the new environment to $venv."
  fi
fi
emit "$(venv_python "$venv")"
