#!/usr/bin/env bash
# Swift on Linux for the tests: a Debian trixie chroot with `swiftlang` (Bookworm has no
# Swift), cached outside the repository and built when missing.
#
#   swift-chroot.sh ensure ROOT           build ROOT once (debootstrap + swiftlang); reuse it after
#   swift-chroot.sh run ROOT SRC TARGET CMD...
#                                         run CMD inside ROOT with the host's SRC bind-mounted at
#                                         /work (the cwd) and TARGET at /target, /proc mounted;
#                                         all unmounted on exit
#
# Needs root (debootstrap, chroot, mount): plain as root, through sudo otherwise.
# The mirror is the one the machine's apt already uses. The chroot shares the host's
# network namespace, so an emulator listening on the host's 127.0.0.1 is reachable.
set -euo pipefail

SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo

mirror() {
    # deb822 (URIs:) or one-line (deb URL suite ...) sources; the first Debian archive wins.
    local m
    m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
        sed -n -e 's/^URIs:[[:space:]]*\(http[^ ]*\/debian\/\{0,1\}\)$/\1/p' \
               -e 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\(http[^ ]*\/debian\/\{0,1\}\)[[:space:]].*/\2/p' |
        head -n1)
    echo "${m:-http://deb.debian.org/debian}"
}

ensure() {
    local root=$1
    if [ -x "$root/usr/bin/swift" ] && [ -f "$root/.authing-resign-ready" ]; then
        return 0
    fi
    $SUDO mkdir -p "$(dirname "$root")"
    # One builder at a time (CI and a developer may start together).
    exec 9>"$(dirname "$root")/.swift-chroot.lock"
    flock 9
    if [ -f "$root/.authing-resign-ready" ]; then
        return 0
    fi
    local start=$SECONDS
    command -v debootstrap >/dev/null ||
        $SUDO apt-get install -y --no-install-recommends debootstrap ||
        { $SUDO apt-get update && $SUDO apt-get install -y --no-install-recommends debootstrap; }
    local tmp="$root.partial"
    umount_proc "$tmp"
    $SUDO rm -rf "$tmp"
    echo "swift-chroot: debootstrap trixie into $tmp from $(mirror)" >&2
    $SUDO debootstrap --variant=minbase trixie "$tmp" "$(mirror)" >&2
    # Expanded now: the trap runs after this function's locals are gone.
    # shellcheck disable=SC2064
    trap "umount_proc '$tmp'" EXIT
    $SUDO mount -t proc proc "$tmp/proc"
    $SUDO chroot "$tmp" sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q swiftlang' >&2
    $SUDO chroot "$tmp" swift --version >&2
    $SUDO chroot "$tmp" apt-get clean
    umount_proc "$tmp"
    trap - EXIT
    $SUDO touch "$tmp/.authing-resign-ready"
    $SUDO rm -rf "$root"
    $SUDO mv "$tmp" "$root"
    echo "swift-chroot: $root ready in $((SECONDS - start)) s" >&2
}

umount_proc() {
    if mountpoint -q "$1/proc" 2>/dev/null; then $SUDO umount "$1/proc" || $SUDO umount -l "$1/proc"; fi
}

umount_dir() {
    if mountpoint -q "$1" 2>/dev/null; then $SUDO umount "$1" || $SUDO umount -l "$1"; fi
}

run() {
    local root=$1 src=$2 target=$3
    shift 3
    ensure "$root"
    # One run at a time: runs share the chroot's /proc, /work and /target mounts.
    exec 8>"$(dirname "$root")/.swift-chroot-run.lock"
    flock 8
    # shellcheck disable=SC2064 # expanded now, as above
    trap "umount_dir '$root/target'; umount_dir '$root/work'; umount_proc '$root'" EXIT
    mountpoint -q "$root/proc" || $SUDO mount -t proc proc "$root/proc"
    $SUDO mkdir -p "$root/work" "$root/target"
    umount_dir "$root/target"
    umount_dir "$root/work"
    $SUDO mount --bind "$src" "$root/work"
    $SUDO mount --bind "$target" "$root/target"
    $SUDO chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/bin:/bin LANG=C.UTF-8 \
        sh -c 'cd /work && exec "$@"' sh "$@"
}

case "${1:-}" in
ensure) ensure "$2" ;;
run) shift; run "$@" ;;
*) echo "usage: $0 ensure ROOT | run ROOT SRC TARGET CMD..." >&2; exit 2 ;;
esac
