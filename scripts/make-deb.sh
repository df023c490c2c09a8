#!/usr/bin/env bash
# make deb: dist/aurora-bridge_<version>_<arch>.deb, installable on Debian 12 without a Swift
# toolchain. The executables are linked with --static-swift-stdlib and stripped; the package
# depends on the Debian libraries ldd shows (libmosquitto1, libsqlite3-0, libstdc++6, ...).
#
#   SCRATCH=.build-deb   the build folder (a release build of its own: flags differ from `make release`)
set -euo pipefail
cd "$(dirname "$0")/.."

scratch="${SCRATCH:-.build-deb}"
version="$(sed -n 's/.*static let current = "\(.*\)".*/\1/p' Sources/AuroraBridge/BridgeVersion.swift)"
arch="$(dpkg --print-architecture)"
[ -n "$version" ] || { echo "make-deb: cannot read the version from Sources/AuroraBridge/BridgeVersion.swift" >&2; exit 1; }

swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product aurora-bridge
swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product aurora-sim
bin="$(swift build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)"

# Man pages from the command-line definitions, by swift-argument-parser's manual generator
# (its executable product generate-manual, the tool behind its generate-manual plugin, run on
# the executables just built; the plugin's own build names it generate-manual-tool).
swift build --scratch-path "$scratch" --product generate-manual > /dev/null
generator="$(swift build --scratch-path "$scratch" --show-bin-path)/generate-manual"
manuals="$scratch/manuals"
rm -rf "$manuals"
mkdir -p "$manuals"
for tool in aurora-bridge aurora-sim; do
    "$generator" "$bin/$tool" --multi-page --authors "aurora-bridge developers" --output-directory "$manuals"
done

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
install -d "$stage/DEBIAN" "$stage/usr/bin" "$stage/lib/systemd/system" "$stage/etc/aurora-bridge" \
    "$stage/usr/share/doc/aurora-bridge/docs" "$stage/usr/share/man/man1"
install -m 755 "$bin/aurora-bridge" "$bin/aurora-sim" "$stage/usr/bin/"
strip --strip-unneeded "$stage/usr/bin/aurora-bridge" "$stage/usr/bin/aurora-sim"
for unit in systemd/*.service; do
    sed 's|/usr/local/bin/|/usr/bin/|g' "$unit" > "$stage/lib/systemd/system/$(basename "$unit")"
    chmod 644 "$stage/lib/systemd/system/$(basename "$unit")"
done
install -m 644 bridge.conf "$stage/etc/aurora-bridge/bridge.conf"
install -m 644 README.md "$stage/usr/share/doc/aurora-bridge/"
install -m 644 docs/*.md "$stage/usr/share/doc/aurora-bridge/docs/"
if compgen -G "docs/images/*" > /dev/null; then
    install -d "$stage/usr/share/doc/aurora-bridge/docs/images"
    install -m 644 docs/images/* "$stage/usr/share/doc/aurora-bridge/docs/images/"
fi
install -m 644 packaging/debian/copyright "$stage/usr/share/doc/aurora-bridge/copyright"
find "$manuals" -name '*.1' -exec install -m 644 {} "$stage/usr/share/man/man1/" \;
gzip -9n "$stage"/usr/share/man/man1/*.1
install -m 644 packaging/debian/conffiles "$stage/DEBIAN/conffiles"
install -m 755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm "$stage/DEBIAN/"

# Depends: the Debian package of every shared library the executables load.
depends="$(
    for binary in "$stage"/usr/bin/*; do ldd "$binary"; done | awk '/=> \// { print $3 }' | sort -u |
        while read -r library; do
            real="$(readlink -f "$library")"
            dpkg -S "$library" 2>/dev/null || dpkg -S "$real" 2>/dev/null || dpkg -S "/usr$library" 2>/dev/null ||
                { echo "make-deb: no Debian package owns $library" >&2; exit 1; }
        done | cut -d: -f1 | sort -u |
        while read -r package; do
            upstream="$(dpkg-query -W -f='${Version}' "$package" | sed 's/-[^-]*$//; s/^[0-9]*://')"
            echo "$package (>= $upstream)"
        done | paste -sd, - | sed 's/,/, /g'
)"
size="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" -e "s/@DEPENDS@/$depends/" \
    packaging/debian/control.in > "$stage/DEBIAN/control"

mkdir -p dist
deb="dist/aurora-bridge_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "$deb: $(du -h "$deb" | cut -f1), installed $((size / 1024)) MiB"
echo "Depends: $depends"
