# shellcheck shell=bash
# lab/rootfs.sh (sourced by lab.sh): the cached root filesystem of a Debian release.
# debootstrap (minbase plus what a fresh VPS has: systemd, openssh-server, python3, sudo,
# ca-certificates) from the mirror lab/mirror.sh chooses, packed as
# $CACHE/debian$RELEASE-rootfs.tar.zst with a .recipe file: an image made by another recipe is
# built again. Two lab.sh building the same image at once: the second waits and uses it.

INCLUDE_PKGS=systemd-sysv,dbus,openssh-server,python3,sudo,ca-certificates,iproute2,procps,less
# Changing what goes into an image changes this, and cached images built otherwise are rebuilt.
RECIPE_VERSION=4

need_tools() {
    local missing=()
    command -v debootstrap >/dev/null || missing+=(debootstrap)
    command -v systemd-nspawn >/dev/null || missing+=(systemd-container)
    command -v nft >/dev/null || missing+=(nftables)
    command -v zstd >/dev/null || missing+=(zstd)
    command -v ssh-keygen >/dev/null || missing+=(openssh-client)
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing ${missing[*]}"
        apt-get update -q >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
    fi
}

# A cached image is used while it was made by the same recipe (release, packages, version).
cached() { [ -f "$1" ] && [ "$(cat "$1.recipe" 2>/dev/null)" = "$2" ]; }
rootfs_recipe() { echo "debian$RELEASE $CODENAME $INCLUDE_PKGS v$RECIPE_VERSION"; }

cmd_rootfs() {
    need_tools
    cached "$TARBALL" "$(rootfs_recipe)" && return
    mkdir -p "$CACHE"
    lock 8 "$CACHE/.debian$RELEASE-rootfs.lock"
    if cached "$TARBALL" "$(rootfs_recipe)"; then unlock 8; return; fi  # built while we waited
    local start=$SECONDS log=$CACHE/debootstrap-$RELEASE.log
    choose_mirrors
    ensure_keyring
    build=$(mktemp -d "$CACHE/rootfs-build.XXXXXX")
    trap 'rm -rf --one-file-system "$build"' EXIT
    say "debootstrap $CODENAME (Debian $RELEASE) from $MIRROR (1-3 min)"
    debootstrap --variant=minbase --include="$INCLUDE_PKGS" --keyring="$KEYRING" \
        "$CODENAME" "$build" "$MIRROR" > "$log" 2>&1 \
        || { tail -n 20 "$log"; die "debootstrap failed (log: $log)"; }
    cat > "$build/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $CODENAME $CODENAME-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY_MIRROR
Suites: $CODENAME-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    rm -f "$build/etc/apt/sources.list"
    # Per-host identity is made at boot time: no host keys, no machine id in the image (dbus
    # keeps a copy of its own, which systemd would take over; at boot it becomes a symlink).
    rm -f "$build"/etc/ssh/ssh_host_* "$build/var/lib/dbus/machine-id"
    : > "$build/etc/machine-id"
    chroot "$build" systemctl enable systemd-networkd.service >/dev/null 2>&1
    # A lab host is a test rig on this machine's disk, and its power-off kills processes, not
    # the disk: dpkg need not sync every file it writes, nor man-db rebuild its index after
    # each install. Both were most of the package installs' time on a busy machine.
    echo force-unsafe-io > "$build/etc/dpkg/dpkg.cfg.d/slipway-lab"
    echo 'man-db man-db/auto-update boolean false' | chroot "$build" debconf-set-selections
    chroot "$build" apt-get clean
    # The image is up to date: without these stamps every boot would rebuild the linker cache
    # (ldconfig.service) while systemd starts services, and a service started mid-rewrite can
    # fail to spawn ("No such file or directory"; seen: systemd-user-sessions, which left
    # /run/nologin shutting out every user but root).
    chroot "$build" ldconfig
    touch "$build/etc/.updated" "$build/var/.updated"
    chmod 755 "$build"   # mktemp made it 0700: unprivileged services could not even chdir to /
    say "packing $TARBALL"
    tar -C "$build" --numeric-owner -I 'zstd -T0 -3' -cf "$TARBALL.tmp" .
    rootfs_recipe > "$TARBALL.recipe"
    mv "$TARBALL.tmp" "$TARBALL"
    rm -rf --one-file-system "$build"
    trap - EXIT
    unlock 8
    say "rootfs ready in $((SECONDS - start)) s ($(du -h "$TARBALL" | cut -f1))"
}
