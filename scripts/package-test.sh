#!/usr/bin/env bash
# make package-test: proves dist/aurora-bridge_<version>_<arch>.deb on a clean Debian 12.
#
#  1. debootstraps a minimal Debian 12 into a temporary folder, from the mirror this machine's
#     own apt sources name;
#  2. installs the package there with apt (which fetches its Depends from the mirror);
#  3. runs `aurora-bridge --version`, `check-config` on the installed conffile (edited to a
#     valid port) and `query readings --port tcp://127.0.0.1:N` against `aurora-sim --tcp`
#     running outside the chroot; then runs the installed bridge against that simulator and a
#     mosquitto outside the chroot for a few seconds and reports its resident memory.
#
#   PACKAGE_TEST_KEEP=1   keep the chroot (its path is printed)
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(id -u)" = 0 ] || { echo "package-test: run as root (debootstrap and chroot need it)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "package-test: install debootstrap (make package-test does)" >&2; exit 1; }
version="$(sed -n 's/.*static let current = "\(.*\)".*/\1/p' Sources/AuroraBridge/BridgeVersion.swift)"
deb="dist/aurora-bridge_${version}_$(dpkg --print-architecture).deb"
[ -f "$deb" ] || { echo "package-test: $deb is missing; run make deb first" >&2; exit 1; }

# The mirror: the first Debian URI of this machine's apt sources (deb822 or one-line format).
mirror="$(
    { grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources || true
      grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list || true; } |
        awk '$1 == "URIs:" { print $2; next } { print $2 }' | grep -v security | head -n 1 || true
)"
[ -n "$mirror" ] || { echo "package-test: no Debian mirror in /etc/apt/sources*" >&2; exit 1; }

root="$(mktemp -d /tmp/aurora-package-test.XXXXXX)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    for mount in "$root/proc" "$root/dev/pts" "$root/dev"; do umount -l "$mount" 2>/dev/null || true; done
    if [ -z "${PACKAGE_TEST_KEEP:-}" ]; then rm -rf "$root"; else echo "chroot kept in $root"; fi
}
trap cleanup EXIT
step() { echo "== $*"; }

step "debootstrap bookworm from $mirror"
debootstrap --variant=minbase bookworm "$root" "$mirror" > "$root.debootstrap.log" 2>&1 ||
    { tail -20 "$root.debootstrap.log" >&2; exit 1; }
rm -f "$root.debootstrap.log"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

step "apt install $(basename "$deb")"
cp "$deb" "$root/tmp/"
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "/tmp/$(basename "$deb")" > "$root/tmp/apt.log" 2>&1 ||
    { tail -20 "$root/tmp/apt.log" >&2; exit 1; }
if chroot "$root" sh -c 'command -v swift' >/dev/null; then echo "package-test: a Swift toolchain is in the chroot" >&2; exit 1; fi

free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
}
wait_for_port() {
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
    echo "package-test: nothing listens on port $1" >&2; exit 1
}

sim_port="$(free_port)"
"$root/usr/bin/aurora-sim" --tcp "127.0.0.1:$sim_port" --address 2 --always-awake > "$root/tmp/sim.log" 2>&1 & pids+=($!)
wait_for_port "$sim_port"

step "aurora-bridge --version"
chroot "$root" aurora-bridge --version

step "check-config /etc/aurora-bridge/bridge.conf (bus port set to tcp://127.0.0.1:$sim_port)"
broker_port="$(free_port)"
conffile="$root/etc/aurora-bridge/bridge.conf"
sed -i -e "s|^port = \"/dev/[^\"]*\"|port = \"tcp://127.0.0.1:$sim_port\"|" \
    -e "/^\[mqtt\]\$/a host = \"127.0.0.1\"\nport = $broker_port" \
    -e "/^\[archive\]\$/a database = \"/tmp/archive.sqlite\"" "$conffile"
grep -q "^port = \"tcp://127.0.0.1:$sim_port\"" "$conffile" ||
    { echo "package-test: the conffile has no [bus] port line to edit" >&2; exit 1; }
chroot "$root" aurora-bridge check-config --config /etc/aurora-bridge/bridge.conf > "$root/tmp/check.log" ||
    { cat "$root/tmp/check.log" >&2; exit 1; }
grep -q "tcp://127.0.0.1:$sim_port" "$root/tmp/check.log"
echo "ok"

step "query readings --port tcp://127.0.0.1:$sim_port"
chroot "$root" aurora-bridge query readings --port "tcp://127.0.0.1:$sim_port" --address 2 | head -n 5

step "aurora-bridge run against the simulator and a mosquitto on port $broker_port"
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$broker_port" > "$root/tmp/mosquitto.conf"
mosquitto -c "$root/tmp/mosquitto.conf" > "$root/tmp/mosquitto.log" 2>&1 & pids+=($!)
wait_for_port "$broker_port"
chroot "$root" aurora-bridge run --config /etc/aurora-bridge/bridge.conf > "$root/tmp/bridge.log" 2>&1 & pids+=($!)
bridge_pid=""
for _ in $(seq 100); do
    bridge_pid="$(pgrep -f -n 'aurora-bridge run --config /etc/aurora-bridge/bridge.conf' || true)"
    [ -n "$bridge_pid" ] && break
    sleep 0.1
done
message="$(timeout 30 mosquitto_sub -h 127.0.0.1 -p "$broker_port" -t 'aurora/+/loop' -C 1 || true)"
[ -n "$message" ] || { echo "package-test: no loop packet from the installed bridge" >&2; cat "$root/tmp/bridge.log" >&2; exit 1; }
echo "a loop packet: ${message:0:80}..."
sleep 5
echo "installed bridge RSS: $(awk '/VmRSS/ { print $2, $3 }' "/proc/$bridge_pid/status")"
echo "package size: $(du -h "$deb" | cut -f1) ($deb)"
echo "package-test passed"
