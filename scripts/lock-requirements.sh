#!/usr/bin/env bash
# Regenerate requirements/action.txt, the version- and hash-pinned runtime dependencies that the
# action's setup step (scripts/setup-venv.sh) installs with `pip install --require-hashes`.
#
# Usage (from the repository root, with the dev venv that has pip-tools):
#     scripts/lock-requirements.sh            # re-lock from pyproject.toml
#     scripts/lock-requirements.sh --upgrade  # also move every pin to the newest allowed version
#     scripts/lock-requirements.sh --verify   # after locking, check the pins install on 3.10-3.13
#
# Source of truth: [project.dependencies] in pyproject.toml.  requirements/action-constraints.txt
# caps packages whose newest release dropped a Python the action still supports (3.10): the lock
# is resolved on the interpreter running pip-compile, but the action runs on any runner Python
# from 3.10 to 3.13, so each pin must have a release file for all of them (--verify checks).
set -euo pipefail

root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
verify=false
extra=()
for arg in "$@"; do
  case "$arg" in
  --verify) verify=true ;;
  --upgrade) extra+=(--upgrade) ;;
  *)
    echo "usage: $0 [--upgrade] [--verify]" >&2
    exit 2
    ;;
  esac
done

cd "$root"
CUSTOM_COMPILE_COMMAND="scripts/lock-requirements.sh" "$python" -m piptools compile --quiet --generate-hashes --strip-extras --allow-unsafe \
  --no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
  --constraint requirements/action-constraints.txt \
  ${extra[@]+"${extra[@]}"} \
  --output-file requirements/action.txt pyproject.toml

if [[ "$verify" == true ]]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  for version in 3.10 3.11 3.12 3.13; do
    for platform in manylinux2014_x86_64 macosx_11_0_arm64 win_amd64; do
      "$python" -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes \
        --only-binary=:all: --python-version "$version" --platform "$platform" \
        --dest "$tmp/$version-$platform" -r requirements/action.txt
    done
    echo "ok: Python $version on Linux, macOS and Windows"
  done
fi
