#!/usr/bin/env bash
# Static checks for the action, the workflows and the shell scripts; any finding fails.
#
#   zizmor --offline        security audit (template injection, pinning, permissions, ...)
#   jactionlint --no-online workflow and composite-action lint, shellcheck on run: scripts
#   check-jsonschema        GitHub's schemas for action.yml, workflows, dependabot.yml
#   ShellCheck              scripts/*.sh
#
# Offline only: never asks GitHub anything, so it runs the same here, in CI and without a token.
# Tools come from the dev venv (.venv) when present, else from PATH.
set -euo pipefail

root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ -d .venv/bin ]]; then
  PATH="$root/.venv/bin:$PATH" # jactionlint finds shellcheck on PATH
fi
export PATH

status=0
check() {
  echo "--- $*"
  if ! "$@"; then
    status=1
  fi
}

workflows=(.github/workflows/*.yml)
examples=(.github/examples/*.yml)

# GH_TOKEN/GITHUB_TOKEN would make zizmor try online audits; --offline keeps it local.
check zizmor --offline --no-progress --color never --config .github/zizmor.yml . "${examples[@]}"
check jactionlint --no-online --no-color
# The users' example follows the action's v1 tag on purpose (see .github/zizmor.yml).
check jactionlint --no-online --no-color --profile correctness "${examples[@]}"
check check-jsonschema --builtin-schema vendor.github-actions action.yml
check check-jsonschema --builtin-schema vendor.github-workflows "${workflows[@]}" "${examples[@]}"
check check-jsonschema --builtin-schema custom.github-workflows-require-timeout "${workflows[@]}" "${examples[@]}"
check check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml
check shellcheck scripts/*.sh

if [[ "$status" -ne 0 ]]; then
  echo "static checks: FAILED" >&2
else
  echo "static checks: ok"
fi
exit "$status"
