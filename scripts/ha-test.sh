#!/usr/bin/env bash
# make ha-test: the bridge against a real Home Assistant (issue 16, docs/home-assistant.md).
#
# 1. Home Assistant $HA_VERSION in a virtual environment with Python 3.13, kept in .build-ha/
#    and reused while the version matches (a rerun skips this step).
# 2. scripts/ha_test.py then starts, in a temporary directory, a test mosquitto, aurora-sim with
#    two inverters, the bridge and Home Assistant, and checks what Home Assistant shows.
#
#   HA_TEST_KEEP=1          keep the temporary directory (logs, HA config) even on success
#   HA_TEST_PYTHON=PATH     a Python 3.13 to build the environment with (default: pyenv's)
#
# The bridge and the simulator must be built (`make ha-test` builds them).
set -euo pipefail
cd "$(dirname "$0")/.."

HA_VERSION=2025.4.4
venv="$PWD/.build-ha/venv"
# The stamp is written last: an interrupted install has none and is redone from scratch.
stamp="$venv/ha-test.stamp"

seconds_since() { echo "$(( $(date +%s) - $1 ))"; }

# A Python 3.13: Home Assistant 2025.4 requires it (Requires-Python >= 3.13.0). pyenv is on
# the development and CI machines, though not always on PATH in a non-interactive shell.
find_python() {
    local candidate
    if [ -n "${HA_TEST_PYTHON:-}" ]; then
        echo "$HA_TEST_PYTHON"; return
    fi
    if command -v pyenv >/dev/null && candidate="$(pyenv prefix 3.13 2>/dev/null)" &&
        [ -x "$candidate/bin/python3" ]; then
        echo "$candidate/bin/python3"; return
    fi
    # The newest 3.13.x under pyenv's root (the glob sorts 3.13.10 after 3.13.9 with sort -V).
    candidate="$(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3 2>/dev/null | sort -V | tail -n 1)"
    if [ -n "$candidate" ]; then
        echo "$candidate"; return
    fi
    command -v python3.13 || true
}

python="$(find_python)"
if [ -z "$python" ] || ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null; then
    echo "ha-test: Home Assistant $HA_VERSION needs Python 3.13, and none was found" >&2
    echo "ha-test: looked at \$HA_TEST_PYTHON, \`pyenv prefix 3.13\`, ${PYENV_ROOT:-$HOME/.pyenv}/versions/3.13*, python3.13 on PATH" >&2
    echo "ha-test: install one (\`pyenv install 3.13\`) or set HA_TEST_PYTHON=/path/to/python3.13" >&2
    exit 1
fi
python_version="$("$python" -c 'import platform; print(platform.python_version())')"
want_stamp="homeassistant==$HA_VERSION python==$python_version"

started=$(date +%s)
if [ -f "$stamp" ] && [ "$(head -n 1 "$stamp")" = "$want_stamp" ]; then
    echo "ha-test: reusing $venv ($want_stamp)"
else
    echo "ha-test: creating $venv ($want_stamp); the first time takes a few minutes"
    # Four of Home Assistant's own requirements (ciso8601, lru-dict, pymicro-vad, pyspeex-noise)
    # have no wheel for Python 3.13 on PyPI and are compiled (C and C++).
    if ! command -v c++ >/dev/null; then
        echo "ha-test: installing g++ to compile the requirements that have no wheel"
        sudo=$([ "$(id -u)" = 0 ] || echo sudo)
        $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq g++
    fi
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    "$python" -m venv "$venv"
    pip=("$venv/bin/python" -m pip --disable-pip-version-check --quiet)
    "${pip[@]}" install "homeassistant==$HA_VERSION"
    # Home Assistant installs each integration's requirements with pip when the integration is
    # first set up. The test runs it with --skip-pip instead, so it never depends on pip or PyPI at
    # run time: install here, once, the requirements of every integration it will set up (read
    # from its own manifests: paho-mqtt for mqtt, SQLAlchemy for recorder, the frontend, ...),
    # under the same constraints file Home Assistant's own pip calls use.
    constraints="$("$venv/bin/python" -c 'import homeassistant, os; print(os.path.join(os.path.dirname(homeassistant.__file__), "package_constraints.txt"))')"
    listed="$("$venv/bin/python" scripts/ha_test.py requirements)"  # fails the script if it fails
    mapfile -t requirements <<< "$listed"
    echo "ha-test: integration requirements: ${requirements[*]}"
    "${pip[@]}" install --constraint "$constraints" "${requirements[@]}"
    { echo "$want_stamp"; printf '%s\n' "${requirements[@]}"; } > "$stamp"
fi
echo "ha-test: TIMING virtual environment: $(seconds_since "$started") s"

bin="$(swift build --show-bin-path)"
for product in aurora-bridge aurora-sim; do
    [ -x "$bin/$product" ] || { echo "ha-test: $bin/$product is missing: run \`swift build\` (or \`make ha-test\`)" >&2; exit 1; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/aurora-ha-test.XXXXXX")"
test_pid=""
# ha_test.py stops what it started; this trap is the safety net when it cannot (killed, crashed):
# every process it starts writes its pid into $work/pids, and whatever still runs is stopped here.
cleanup() {
    local status=$? pidfile pid
    trap - EXIT INT TERM
    # Interrupted (Ctrl-C, SIGTERM): let the test stop its processes in order first.
    if [ -n "$test_pid" ] && kill -0 "$test_pid" 2>/dev/null; then
        kill -TERM "$test_pid" 2>/dev/null || true
        wait "$test_pid" 2>/dev/null || true
    fi
    for pidfile in "$work"/pids/*.pid; do
        [ -e "$pidfile" ] || continue
        pid="$(cat "$pidfile")"
        if kill -0 "$pid" 2>/dev/null; then
            echo "ha-test: stopping leftover $(basename "$pidfile" .pid) (pid $pid)" >&2
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    if [ "$status" -eq 0 ] && [ -z "${HA_TEST_KEEP:-}" ]; then
        rm -rf "$work"
    else
        echo "ha-test: logs, Home Assistant's configuration and database are in $work" >&2
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The Python is the venv's: the test uses aiohttp, which Home Assistant brought along. It runs
# in the background so that a signal reaches the trap at once (bash runs traps only after a
# foreground command ends, but interrupts `wait`).
"$venv/bin/python" scripts/ha_test.py run --work "$work" --bin "$bin" --hass "$venv/bin/hass" &
test_pid=$!
wait "$test_pid"
