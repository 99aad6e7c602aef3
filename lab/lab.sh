#!/usr/bin/env bash
# lab.sh: boot local Debian hosts ("a VPS on your laptop") with systemd-nspawn.
#
#   lab.sh rootfs              build the cached root filesystem of the release (once, 1-3 min)
#   lab.sh up NAME             boot a fresh host NAME, print its address
#   lab.sh vm-rootfs           build the cached VM image of the release (rootfs plus a kernel)
#   lab.sh up-vm NAME          the same as a QEMU VM with its own kernel (amd64; KVM, else emulation)
#   lab.sh poweroff NAME       pull the plug on nspawn host NAME (SIGKILL, no shutdown); its
#                              rootfs, address and settings stay
#   lab.sh poweron NAME        boot a powered-off host again (same address), print its address
#   lab.sh down NAME           stop host NAME and remove everything it used
#   lab.sh down-all            stop every lab host (and the lab's NAT table)
#   lab.sh list                the hosts (powered-off ones too), one a line:
#                              name address release layout
#   lab.sh inventory DIR       write an ansible inventory (with a generated vault) for them
#   lab.sh cluster-inventory DIR   the same for a cluster: lb* load_balancers, app* app_servers,  # part: cluster
#                              db* db_servers (+ etcd_members, backup_repository, Patroni secrets)  # part: cluster
#   lab.sh ssh NAME [CMD]      log in to NAME as deploy, or as its first login before a deploy
#   lab.sh mirror              print the Debian mirror, security mirror and keyring a build uses
#
# Settings of new hosts (environment):
#   SLIPWAY_DEBIAN=13|12         Debian release: 13 (trixie, the default) or 12 (bookworm)
#   SLIPWAY_BOOTSTRAP=root|sudo  first login: root with the operator key (default), or the
#                                cloud-image layout: user debian with NOPASSWD sudo and the
#                                key, root's key behind cloud-init's "login as debian" command
#   SLIPWAY_SSH_PORT=22          the port sshd listens on
# and of the lab: SLIPWAY_MIRROR, SLIPWAY_SECURITY_MIRROR (see lab/mirror.sh), SLIPWAY_CACHE
# (images, package caches, the key; ~/.cache/slipway), SLIPWAY_LAB_DIR (running hosts).
#
# Each host gets a /24 of its own in 10.213.0.0/16: the machine's side of the veth is
# 10.213.N.1, the guest is 10.213.N.2. The guest reaches package registries through an
# nftables masquerade table ("slipway_lab") that exists only while a lab host runs; meanwhile
# 10.213.0.0/16 is a blackhole route, so a powered-off host's address drops what is sent to it,
# and a firewall that drops forwarded packets (Docker's) lets the lab's through (network.sh).
# Root only, except for list, mirror and the inventories (debootstrap, nspawn and ip need it):
# run by another user, it runs itself again through sudo. Linux only (systemd-nspawn).
# Parts, sourced: mirror.sh (mirror and keyring), rootfs.sh (the cached image), vm.sh (the
# QEMU tier), inventory.sh (the ansible inventories), guest.sh (a new host's root filesystem),
# power.sh (booting an nspawn host, poweroff and poweron), network.sh (the way out).
set -euo pipefail

LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_ROOT=${SLIPWAY_LAB_DIR:-/var/tmp/slipway-lab}       # running hosts (rootfs, pid, log)
CACHE=${SLIPWAY_CACHE:-$HOME/.cache/slipway}             # images, .deb and pip caches, the key
KEY=${SLIPWAY_LAB_KEY:-$CACHE/lab_ed25519}                # the "operator" key
SUBNET_PREFIX=10.213
NFT_TABLE=slipway_lab

say() { printf '\033[1m[lab]\033[0m %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# shellcheck source=mirror.sh
source "$LAB_SRC/mirror.sh"
# shellcheck source=rootfs.sh
source "$LAB_SRC/rootfs.sh"
# shellcheck source=vm.sh
source "$LAB_SRC/vm.sh"
# shellcheck source=inventory.sh
source "$LAB_SRC/inventory.sh"
# shellcheck source=guest.sh
source "$LAB_SRC/guest.sh"
# shellcheck source=power.sh
source "$LAB_SRC/power.sh"
# shellcheck source=network.sh
source "$LAB_SRC/network.sh"

# The release and first-login layout of hosts this run makes.
RELEASE=${SLIPWAY_DEBIAN:-13}
case $RELEASE in
    13) CODENAME=trixie ;;
    12) CODENAME=bookworm ;;
    *) die "SLIPWAY_DEBIAN must be 13 or 12, not '$RELEASE'" ;;
esac
LAYOUT=${SLIPWAY_BOOTSTRAP:-root}
case $LAYOUT in
    root) LOGIN=root ;;
    sudo) LOGIN=debian ;;
    *) die "SLIPWAY_BOOTSTRAP must be root or sudo, not '$LAYOUT'" ;;
esac
SSH_PORT=${SLIPWAY_SSH_PORT:-22}
if ! [[ $SSH_PORT =~ ^[1-9][0-9]{0,4}$ ]] || [ "$SSH_PORT" -gt 65535 ]; then
    die "SLIPWAY_SSH_PORT must be a port number, not '$SSH_PORT'"
fi
TARBALL=$CACHE/debian$RELEASE-rootfs.tar.zst
APT_CACHE=$CACHE/apt-archives-$RELEASE                   # downloaded .debs, one dir per release

# --- locks: two lab.sh running at once (parallel ups) ------------------------------------------
# fd 8: building a cached image; fd 9: the lab's shared state (subnet numbers, NAT, the key).
# Taken and released in this shell, never held while a host process starts (it would inherit it).
lock() {
    local fd=$1 file=$2
    eval "exec $fd>>\"\$file\""
    flock -n "$fd" || { say "waiting for another lab.sh ($file)"; flock "$fd"; }
}
unlock() { eval "exec $1>&-"; }
lock_lab() { mkdir -p "$LAB_ROOT"; lock 9 "$LAB_ROOT/.lock"; }

# --- hosts ---------------------------------------------------------------------------------------
# $LAB_ROOT/NAME holds a host: index (its subnet number), release, layout, port, tier, pid,
# rootfs/ (nspawn) or disk.raw (VM), and its logs.

host_dir() { echo "$LAB_ROOT/$1"; }
# A recorded setting of a host; hosts started by an older lab.sh have none (Debian 12, root, 22).
host_get() { cat "$LAB_ROOT/$1/$2" 2>/dev/null || echo "$3"; }

check_name() {
    [[ $1 =~ ^[a-z][a-z0-9]{0,9}$ ]] || die "host name: lowercase letters and digits, at most 10"
}

ensure_key() {
    [ -f "$KEY" ] && return
    mkdir -p "$(dirname "$KEY")"
    ssh-keygen -q -t ed25519 -N '' -C slipway-lab -f "$KEY"
    # Run through sudo: the key stays the user's, whose ssh and ansible log in with it.
    if [ -n "${SUDO_UID:-}" ]; then chown "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$KEY" "$KEY.pub"; fi
}

# Claims host NAME and a free subnet number (prints it), records its settings and makes sure
# the NAT is up, all under the lab's lock so parallel ups get different numbers.
claim_host() {
    local name=$1 tier=$2 dir n
    dir=$(host_dir "$name")
    lock_lab
    [ ! -e "$dir" ] || { unlock 9; die "host $name exists; run: lab.sh down $name"; }
    ensure_key
    for n in $(seq 1 250); do
        grep -qx "$n" "$LAB_ROOT"/*/index 2>/dev/null || break
    done
    grep -qx "$n" "$LAB_ROOT"/*/index 2>/dev/null && { unlock 9; die "no free lab subnet"; }
    mkdir -p "$dir"
    echo "$n" > "$dir/index"
    echo "$RELEASE" > "$dir/release"
    echo "$LAYOUT" > "$dir/layout"
    echo "$SSH_PORT" > "$dir/port"
    echo "$tier" > "$dir/tier"
    nat_up
    unlock 9
    echo "$n"
}

# While a host comes up, any failure or interrupt removes what was made of it so far (or, for
# poweron, powers it off again: UNDO).
UP_NAME=""
UP_UNDO=cmd_down
up_cleanup() {
    unlock 8; unlock 9
    if [ -n "$UP_NAME" ]; then
        say "$UP_NAME: did not come up; ${UP_UNDO#cmd_}"
        "$UP_UNDO" "$UP_NAME" || true
    fi
}
guard_up() { UP_NAME=$1; UP_UNDO=${2:-cmd_down}; trap up_cleanup EXIT; trap 'exit 130' INT TERM; }
unguard_up() { UP_NAME=""; }

up_message() {
    say "$1: Debian $RELEASE ($LAYOUT layout) up at $2 in $3 s" \
        "(ssh -i $KEY -p $SSH_PORT $LOGIN@$2)"
}

cmd_up() {
    local name=${1:?usage: lab.sh up NAME}
    check_name "$name"
    local dir root n addr start
    dir=$(host_dir "$name")
    [ ! -e "$dir" ] || die "host $name exists; run: lab.sh down $name"
    cmd_rootfs
    start=$SECONDS
    n=$(claim_host "$name" nspawn)
    guard_up "$name"
    root=$dir/rootfs
    addr=$SUBNET_PREFIX.$n.2
    say "$name: unpacking Debian $RELEASE"
    mkdir -p "$root"
    tar -C "$root" --numeric-owner -I zstd -xf "$TARBALL"
    chmod 755 "$root"
    prepare_root "$root" "$name" "$n" host0
    seed_apt_cache "$APT_CACHE" "$root/var/cache/apt/archives"

    boot_nspawn "$name" "$n"
    if ! wait_ssh "$name" "$addr" "$(cat "$dir/pid")" 60; then
        tail -n 30 "$dir/nspawn.log" >&2
        die "$name: ssh did not answer within 60 s"
    fi
    unguard_up
    up_message "$name" "$addr" "$((SECONDS - start))"
    echo "$addr"
}

cmd_down() {
    local name=${1:?usage: lab.sh down NAME} dir pid
    dir=$(host_dir "$name")
    [ -d "$dir" ] || { say "$name: not running"; return 0; }
    if [ -f "$dir/pid" ]; then
        pid=$(cat "$dir/pid")
        if kill -0 "$pid" 2>/dev/null; then
            say "$name: powering off"
            kill -TERM "$pid" 2>/dev/null || true   # nspawn asks the guest's systemd to power off
            for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            if kill -0 "$pid" 2>/dev/null; then
                # Its guest did not power off in time (a busy machine): pull the plug on all of
                # it. Killing nspawn alone left its processes writing into the rootfs while it
                # was being deleted.
                say "$name: forcing"
                kill_guest "$name" "$pid" "$(container_init "$pid" || true)"
            fi
        fi
    fi
    ip link del "ve-$name" 2>/dev/null || true
    ip link del "vt-$name" 2>/dev/null || true
    # Never follow bind mounts into the caches: make sure none is left before deleting.
    if grep -q " $dir/rootfs/" /proc/mounts; then
        grep " $dir/rootfs/" /proc/mounts | cut -d' ' -f2 | sort -r | xargs -r -n1 umount -l || true
    fi
    if [ -d "$dir/rootfs/var/cache/apt/archives" ]; then
        harvest_apt_cache "$dir/rootfs/var/cache/apt/archives" \
            "$CACHE/apt-archives-$(host_get "$name" release 12)"
    fi
    # A process of the guest may still be exiting: try again before giving up.
    for _ in 1 2 3; do rm -rf --one-file-system "$dir" 2>/dev/null && break; sleep 1; done
    [ ! -e "$dir" ] || rm -rf --one-file-system "$dir" # the last try says what is left
    say "$name: removed"
    lock_lab
    compgen -G "$LAB_ROOT/*/index" >/dev/null || nat_down
    unlock 9
}

cmd_down_all() {
    local d
    for d in "$LAB_ROOT"/*/; do
        [ -f "$d/index" ] || [ -f "$d/pid" ] || continue
        cmd_down "$(basename "$d")"
    done
    lock_lab
    nat_down
    unlock 9
}

cmd_list() {
    local d name
    for d in "$LAB_ROOT"/*/; do
        [ -f "$d/index" ] || continue
        name=$(basename "$d")
        echo "$name $SUBNET_PREFIX.$(cat "$d/index").2 $(host_get "$name" release 12)" \
            "$(host_get "$name" layout root)"
    done
}

# Log in as the deploy user once a deploy made it, else as the host's first login.
cmd_ssh() {
    local name=${1:?usage: lab.sh ssh NAME [COMMAND]} addr port user
    shift
    [ -f "$LAB_ROOT/$name/index" ] || die "$name is not running"
    [ "$(host_get "$name" state on)" = on ] || die "$name is powered off (lab.sh poweron $name)"
    addr=$SUBNET_PREFIX.$(cat "$LAB_ROOT/$name/index").2
    port=$(host_get "$name" port 22)
    user=deploy
    ssh -q "${SSH_OPTS[@]}" -p "$port" -o ConnectTimeout=5 "deploy@$addr" true 2>/dev/null \
        || user=$(bootstrap_user "$(host_get "$name" layout root)")
    exec ssh "${SSH_OPTS[@]/BatchMode=yes/BatchMode=no}" -p "$port" "$user@$addr" "$@"
}

bootstrap_user() { if [ "$1" = sudo ]; then echo debian; else echo root; fi; }

SSH_OPTS=(-i "$KEY" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR)

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

# As another user: the same command through sudo, with the lab's settings (sudo resets the
# environment, HOME included, so the cache and host directories are passed as they are here).
as_root() {
    [ "$(uname -s)" = Linux ] \
        || die "lab hosts are systemd-nspawn containers: Linux only (CI's deploy-test and cluster-test jobs run them)"
    [ "$(id -u)" = 0 ] && return
    command -v sudo >/dev/null || die "must run as root, or as a user with sudo"
    local settings
    mkdir -p "$CACHE" # the user's, before root writes into it
    mapfile -t settings < <(env | grep '^SLIPWAY_' || true)
    exec sudo -- env "${settings[@]}" SLIPWAY_CACHE="$CACHE" SLIPWAY_LAB_DIR="$LAB_ROOT" \
        bash "$0" "$@"
}

case ${1:-} in
    list|mirror|inventory|ssh|help|-h|--help|"") ;;
    cluster-inventory) ;; # part: cluster
    *) as_root "$@" ;;
esac
case ${1:-} in
    rootfs) cmd_rootfs ;;
    up) shift; cmd_up "$@" ;;
    vm-rootfs) cmd_vm_rootfs ;;
    up-vm) shift; cmd_up_vm "$@" ;;
    poweroff) shift; cmd_poweroff "$@" ;;
    poweron) shift; cmd_poweron "$@" ;;
    down) shift; cmd_down "$@" ;;
    down-all) cmd_down_all ;;
    list) cmd_list ;;
    inventory) shift; cmd_inventory "$@" ;;
    cluster-inventory) shift; cmd_cluster_inventory "$@" ;; # part: cluster
    ssh) shift; cmd_ssh "$@" ;;
    mirror) cmd_mirror ;;
    help|-h|--help) usage ;;
    *) usage; exit 2 ;;
esac
