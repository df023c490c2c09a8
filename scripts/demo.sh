#!/usr/bin/env bash
# make demo: a simulated inverter on a pseudo-terminal, a local mosquitto on a free loopback
# port, the bridge between them, and what a subscriber sees — until Ctrl-C.
#
#   BROKER=host:port make demo   use that broker instead of starting one
#   DEMO_SECONDS=60 make demo    stop by itself after 60 seconds
#   TIME_SCALE=120 make demo     simulated seconds per real second (a day in 12 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."

bin="$(swift build --show-bin-path)"
work="$PWD/.demo"
rm -rf "$work"
mkdir -p "$work"
pids=()

cleanup() {
    trap - EXIT INT TERM
    # Newest first: the bridge says goodbye while the broker is still there.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        kill -TERM "${pids[i]}" 2>/dev/null || true
        wait "${pids[i]}" 2>/dev/null || true
    done
    echo
    if [ -s "$work/archive.sqlite" ] &&
        "$bin/aurora-bridge" archive plot --config "$work/bridge.conf" --day "$(date +%Y-%m-%d)" \
            --output "$work/day.svg" > "$work/plot.log" 2>&1; then
        echo "the day so far, from the archive: $work/day.svg"
    fi
    echo "demo stopped; logs and the archive database are in $work"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
}

wait_for() { # description, command...
    local what="$1"; shift
    for _ in $(seq 100); do "$@" && return 0; sleep 0.1; done
    echo "demo: $what did not come up; see $work/*.log" >&2
    exit 1
}

if [ -n "${BROKER:-}" ]; then
    host="${BROKER%:*}"; port="${BROKER##*:}"
else
    host=127.0.0.1; port="$(free_port)"
    cat > "$work/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence false
log_dest stderr
CONF
    mosquitto -c "$work/mosquitto.conf" 2> "$work/mosquitto.log" & pids+=($!)
    wait_for "mosquitto on port $port" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null
fi

scale="${TIME_SCALE:-120}"
start="$(date +%Y-%m-%d)T05:50:00"
"$bin/aurora-sim" --link "$work/ttyAURORA" --address 2 --time-scale "$scale" --start "$start" \
    > "$work/sim.log" 2>&1 & pids+=($!)
wait_for "the simulator" test -e "$work/ttyAURORA"

cat > "$work/bridge.conf" <<CONF
# Demo configuration written by scripts/demo.sh.
[mqtt]
host = "$host"
port = $port
client_id = "aurora-bridge-demo"
keepalive = 10

[bus]
port = "$work/ttyAURORA"
read_timeout = 0.5

[[inverter]]
name = "demo"
address = 2
model = "simulated PVI-3.6-OUTD"
poll_interval = 2

[archive]
interval = 30
database = "$work/archive.sqlite"

[stats]
interval = 30
CONF

"$bin/aurora-bridge" run --config "$work/bridge.conf" > "$work/bridge.log" 2>&1 & pids+=($!)

echo "broker      $host:$port"
echo "simulator   $work/ttyAURORA (simulated day from $start, ${scale}x real time)"
echo "bridge      $bin/aurora-bridge run --config $work/bridge.conf (log: $work/bridge.log)"
echo "subscriber  mosquitto_sub -h $host -p $port -v -t 'aurora/#'   (Ctrl-C stops the demo)"
echo
if [ -n "${DEMO_SECONDS:-}" ]; then
    timeout "$DEMO_SECONDS" mosquitto_sub -h "$host" -p "$port" -v -t 'aurora/#' || true
else
    mosquitto_sub -h "$host" -p "$port" -v -t 'aurora/#' || true
fi
