#!/usr/bin/env bash
# Builds everything, runs every test (manual ones excluded) and ends with one line: "N passed, N failed".
# Installs what the tests need when it is missing: redis-server (real Redis on loopback), Debian's chromium,
# bubblewrap (the sandbox of CLI tools and MCP servers) and util-linux's setpriv (the sandbox tests run the runner
# as a non-root user), and Claude Code and opencode from npm (into .tools/).
set -uo pipefail
cd "$(dirname "$0")"

log() { printf '[test.sh] %s\n' "$*" >&2; }

need_packages=()
command -v redis-server >/dev/null 2>&1 || need_packages+=(redis-server)
command -v redis-benchmark >/dev/null 2>&1 || need_packages+=(redis-tools)
[ -x /usr/bin/chromium ] || need_packages+=(chromium)
command -v git >/dev/null 2>&1 || need_packages+=(git)
command -v npm >/dev/null 2>&1 || need_packages+=(nodejs npm)
command -v bwrap >/dev/null 2>&1 || need_packages+=(bubblewrap)
command -v setpriv >/dev/null 2>&1 || need_packages+=(util-linux)
if [ ${#need_packages[@]} -gt 0 ]; then
  log "installing: ${need_packages[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
  $SUDO apt-get update -qq >&2 || log "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >&2 \
    || log "apt-get install failed: ${need_packages[*]}"
fi

# The real CLIs the executor tests drive against fake model APIs on loopback, at the versions the runner image
# pins: npm_tool FOLDER PACKAGE VERSION PROGRAM installs PACKAGE@VERSION into .tools/FOLDER unless it is there.
npm_tool() {
  local dir="$PWD/.tools/$1" package="$2" version="$3" program="$4"
  if "$dir/node_modules/.bin/$program" --version 2>/dev/null | grep -q "^$version\b"; then
    return
  fi
  log "installing $package $version into .tools/$1"
  mkdir -p "$dir"
  npm install --silent --no-audit --no-fund --prefix "$dir" "$package@$version" >&2 || log "npm install of $package failed"
}
CLAUDE_CODE_VERSION=2.1.332
OPENCODE_VERSION=1.18.33
npm_tool claude-code @anthropic-ai/claude-code "$CLAUDE_CODE_VERSION" claude
npm_tool opencode opencode-ai "$OPENCODE_VERSION" opencode

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results="$PWD/TestResults"
rm -rf "$results"
mkdir -p "$results"

log "building"
if ! dotnet build Botburrow.Agents.slnx -c Release -nologo -v q -clp:ErrorsOnly >&2; then
  log "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

log "testing"
dotnet test Botburrow.Agents.slnx -c Release --no-build -nologo \
  --filter "Execution!=Manual" \
  --logger "trx" --results-directory "$results" >&2
test_exit=$?

passed=0
failed=0
shopt -s nullglob
for trx in "$results"/*.trx "$results"/*/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

if [ "$test_exit" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The runner failed without recording a failed test (a crashed test host, a build problem): count it.
  failed=1
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
