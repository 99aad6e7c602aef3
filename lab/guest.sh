# shellcheck shell=bash
# guest.sh: what goes into a new lab host's root filesystem before it boots (identity, network,
# first login) and its share of the apt cache. Sourced by lab.sh; uses its LAYOUT, KEY,
# SSH_PORT and SUBNET_PREFIX.

# Make an unpacked rootfs into host NAME number N: identity, network (on the interfaces
# matching MATCH), the first login of the layout, sshd's port, the machine's extra CAs.
prepare_root() {
    local root=$1 name=$2 n=$3 match=$4 addr=$SUBNET_PREFIX.$3.2
    echo "$name" > "$root/etc/hostname"
    printf '127.0.0.1 localhost\n127.0.1.1 %s\n' "$name" > "$root/etc/hosts"
    ssh-keygen -q -A -f "$root" >/dev/null
    cat > "$root/etc/systemd/network/10-lab.network" <<EOF
[Match]
Name=$match

[Network]
Address=$addr/24
Gateway=$SUBNET_PREFIX.$n.1
LinkLocalAddressing=no
IPv6AcceptRA=no

[Link]
RequiredForOnline=no
EOF
    # No link is "required for online" here, so this unit would only time out.
    ln -sf /dev/null "$root/etc/systemd/system/systemd-networkd-wait-online.service"
    prepare_login "$root"
    if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
        cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
        chroot "$root" update-ca-certificates >/dev/null 2>&1
        # pip ships its own CA bundle; make it use the system store the certs went into.
        printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' > "$root/etc/pip.conf"
    fi
}

# The first login, as a provider sets it up: root with the operator key, or the layout of
# Debian's cloud images (cloud-init): a user debian with the key and passwordless sudo, and
# root's key behind a forced command that tells you to log in as debian. sshd keeps Debian's
# PermitRootLogin prohibit-password, as on those images.
prepare_login() {
    local root=$1
    # cloud-init's own words (its disable_root_opts), with the user its image creates.
    local refusal='no-port-forwarding,no-agent-forwarding,no-X11-forwarding,command="echo '
    refusal+=$'\'Please login as the user \\"debian\\" rather than the user \\"root\\".\';'
    refusal+='echo;sleep 10;exit 142" '
    install -d -m 700 "$root/root/.ssh"
    if [ "$LAYOUT" = root ]; then
        install -m 600 "$KEY.pub" "$root/root/.ssh/authorized_keys"
    else
        (umask 077; { printf '%s' "$refusal"; cat "$KEY.pub"; } > "$root/root/.ssh/authorized_keys")
        chroot "$root" useradd --create-home --shell /bin/bash --groups sudo debian
        install -d -m 700 "$root/home/debian/.ssh"
        install -m 600 "$KEY.pub" "$root/home/debian/.ssh/authorized_keys"
        chroot "$root" chown -R debian:debian /home/debian/.ssh
        printf '\n# User rules for debian\ndebian ALL=(ALL) NOPASSWD:ALL\n' \
            > "$root/etc/sudoers.d/90-cloud-init-users"
        chmod 440 "$root/etc/sudoers.d/90-cloud-init-users"
    fi
    if [ "$SSH_PORT" != 22 ]; then
        { echo "# Written by lab/lab.sh: the SSH port of this host's provider."
          echo "Port $SSH_PORT"; } > "$root/etc/ssh/sshd_config.d/50-lab.conf"
    fi
}

# Seed a host's apt archive from the release's shared cache, and take back what it downloaded
# when it goes. Each host has an archive directory of its own: apt locks it, and two hosts
# sharing one (a bind mount) could not run apt at the same time. Hard links where the cache is
# on the same file system; a copy is renamed into place, so no reader sees half a file.
seed_apt_cache() {
    local cache=$1 archives=$2
    mkdir -p "$cache" "$archives/partial"
    compgen -G "$cache/*.deb" >/dev/null || return 0
    cp -l "$cache"/*.deb "$archives/" 2>/dev/null || cp "$cache"/*.deb "$archives/"
}

harvest_apt_cache() {
    local archives=$1 cache=$2 deb
    compgen -G "$archives/*.deb" >/dev/null || return 0
    mkdir -p "$cache"
    for deb in "$archives"/*.deb; do
        [ -e "$cache/${deb##*/}" ] && continue
        ln "$deb" "$cache/" 2>/dev/null \
            || { cp "$deb" "$cache/.${deb##*/}.tmp" && mv "$cache/.${deb##*/}.tmp" "$cache/${deb##*/}"; } \
            || true
    done
}
