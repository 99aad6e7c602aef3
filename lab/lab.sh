#!/usr/bin/env bash
# lab.sh: boot local Debian 12 hosts ("a VPS on your laptop") with systemd-nspawn.
#
#   lab.sh rootfs              build the cached Debian 12 root filesystem (once, ~80 s)
#   lab.sh up NAME             boot a fresh host NAME, print its address
#   lab.sh up-vm NAME          the same as a QEMU VM with its own kernel (KVM, else emulation)
#   lab.sh down NAME           stop host NAME and remove everything it used
#   lab.sh down-all            stop every lab host (and the lab's NAT table)
#   lab.sh inventory DIR       write an ansible inventory (with a generated vault) for them
#   lab.sh list                show running hosts
#
# Each host gets a /24 of its own in 10.213.0.0/16: the machine's side of the veth is
# 10.213.N.1, the guest is 10.213.N.2. The guest reaches package registries through an
# nftables masquerade table ("slipway_lab") that exists only while a lab host runs.
# Only run as root (debootstrap, nspawn and ip need it).
set -euo pipefail

LAB_ROOT=${SLIPWAY_LAB_DIR:-/var/tmp/slipway-lab}       # running hosts (rootfs, pid, log)
CACHE=${SLIPWAY_CACHE:-$HOME/.cache/slipway}             # rootfs tarball, .deb and pip caches
TARBALL=$CACHE/debian12-rootfs.tar.zst
VM_TARBALL=$CACHE/debian12-vm-rootfs.tar.zst                 # the same plus a kernel (QEMU tier)
VM_MEMORY=${SLIPWAY_VM_MEMORY:-1536}
VM_DISK=${SLIPWAY_VM_DISK:-6G}
KEY=${SLIPWAY_LAB_KEY:-$CACHE/lab_ed25519}                # the "operator" key, in root's authorized_keys
SUBNET_PREFIX=10.213
NFT_TABLE=slipway_lab
INCLUDE_PKGS=systemd-sysv,dbus,openssh-server,python3,sudo,ca-certificates,iproute2,procps,less

say() { printf '\033[1m[lab]\033[0m %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root"

# The apt mirror this machine already uses (so the lab needs no configuration of its own).
host_mirror() {
    local kind=$1 uri
    uri=$(grep -h -E '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
              /etc/apt/sources.list.d/*.list 2>/dev/null \
          | grep -o -E 'https?://[^ ]+' | grep -E "/debian${kind}/?\$" | head -n1 || true)
    echo "${uri%/}"
}

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

cmd_rootfs() {
    need_tools
    if [ -f "$TARBALL" ]; then say "rootfs cached: $TARBALL"; return; fi
    local mirror security start
    mirror=${SLIPWAY_MIRROR:-$(host_mirror "")}
    security=${SLIPWAY_SECURITY_MIRROR:-$(host_mirror "-security")}
    [ -n "$mirror" ] || die "no Debian mirror found in /etc/apt; set SLIPWAY_MIRROR"
    mkdir -p "$CACHE"
    build=$(mktemp -d "$CACHE/rootfs-build.XXXXXX")
    trap 'rm -rf --one-file-system "$build"' EXIT
    start=$SECONDS
    say "debootstrap bookworm from $mirror (about 80 s)"
    debootstrap --variant=minbase --include="$INCLUDE_PKGS" bookworm "$build" "$mirror" \
        > "$CACHE/debootstrap.log" 2>&1 || { tail -n 20 "$CACHE/debootstrap.log"; die "debootstrap failed"; }
    {
        echo "Types: deb"
        echo "URIs: $mirror"
        echo "Suites: bookworm bookworm-updates"
        echo "Components: main"
        echo "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
        if [ -n "$security" ]; then
            echo
            echo "Types: deb"
            echo "URIs: $security"
            echo "Suites: bookworm-security"
            echo "Components: main"
            echo "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
        fi
    } > "$build/etc/apt/sources.list.d/debian.sources"
    rm -f "$build/etc/apt/sources.list"
    # Per-host identity is made at boot time: no host keys, no machine id in the image.
    rm -f "$build"/etc/ssh/ssh_host_*
    : > "$build/etc/machine-id"
    chroot "$build" systemctl enable systemd-networkd.service >/dev/null 2>&1
    chroot "$build" apt-get clean
    chmod 755 "$build"   # mktemp made it 0700: unprivileged services could not even chdir to /
    say "packing $TARBALL"
    tar -C "$build" --numeric-owner -I 'zstd -T0 -3' -cf "$TARBALL.tmp" .
    mv "$TARBALL.tmp" "$TARBALL"
    rm -rf --one-file-system "$build"
    say "rootfs ready in $((SECONDS - start)) s ($(du -h "$TARBALL" | cut -f1))"
}

host_dir() { echo "$LAB_ROOT/$1"; }

free_index() {
    local n
    for n in $(seq 1 250); do
        if ! grep -qx "$n" "$LAB_ROOT"/*/index 2>/dev/null; then echo "$n"; return; fi
    done
    die "no free lab subnet"
}

nat_up() {
    if [ ! -f "$LAB_ROOT/ip_forward.orig" ]; then
        sysctl -n net.ipv4.ip_forward > "$LAB_ROOT/ip_forward.orig"
    fi
    sysctl -q -w net.ipv4.ip_forward=1
    nft list table inet "$NFT_TABLE" >/dev/null 2>&1 && return
    nft -f - <<EOF
table inet $NFT_TABLE {
    chain postrouting {
        type nat hook postrouting priority srcnat; policy accept;
        ip saddr $SUBNET_PREFIX.0.0/16 ip daddr != $SUBNET_PREFIX.0.0/16 masquerade
    }
}
EOF
}

nat_down() {
    nft delete table inet "$NFT_TABLE" 2>/dev/null || true
    if [ -f "$LAB_ROOT/ip_forward.orig" ]; then
        sysctl -q -w net.ipv4.ip_forward="$(cat "$LAB_ROOT/ip_forward.orig")"
        rm -f "$LAB_ROOT/ip_forward.orig"
    fi
}

# Make an unpacked rootfs into host NAME number N: identity, network (on the interfaces
# matching MATCH), the operator key, the machine's extra CA certificates.
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
    install -d -m 700 "$root/root/.ssh"
    install -m 600 "$KEY.pub" "$root/root/.ssh/authorized_keys"
    if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
        cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
        chroot "$root" update-ca-certificates >/dev/null 2>&1
        # pip ships its own CA bundle; make it use the system store the certs went into.
        printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' > "$root/etc/pip.conf"
    fi

}

# Wait until root gets in over SSH; fails early when the host's process has died.
wait_ssh() {
    local name=$1 addr=$2 pid=$3 deadline=$((SECONDS + $4))
    while [ $SECONDS -lt $deadline ]; do
        ssh -q "${SSH_OPTS[@]}" -o ConnectTimeout=2 "root@$addr" true 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || { say "$name: its process exited"; return 1; }
        sleep 0.3
    done
    return 1
}

# While a host comes up, any failure or interrupt removes what was made of it so far.
UP_NAME=""
up_cleanup() {
    if [ -n "$UP_NAME" ]; then
        say "$UP_NAME: did not come up; cleaning up"
        cmd_down "$UP_NAME" || true
    fi
}
guard_up() { UP_NAME=$1; trap up_cleanup EXIT; trap 'exit 130' INT TERM; }
unguard_up() { UP_NAME=""; }

cmd_up() {
    local name=${1:?usage: lab.sh up NAME}
    [[ $name =~ ^[a-z][a-z0-9]{0,9}$ ]] || die "host name: lowercase letters and digits, at most 10"
    local dir root n veth addr start pid
    dir=$(host_dir "$name")
    [ ! -e "$dir" ] || die "host $name exists; run: lab.sh down $name"
    cmd_rootfs
    [ -f "$KEY" ] || ssh-keygen -q -t ed25519 -N '' -C slipway-lab -f "$KEY"
    mkdir -p "$LAB_ROOT" "$CACHE/apt-archives/partial" "$CACHE/pip"
    start=$SECONDS
    n=$(free_index)
    mkdir -p "$dir/rootfs"
    echo "$n" > "$dir/index"
    guard_up "$name"
    root=$dir/rootfs
    addr=$SUBNET_PREFIX.$n.2
    veth="ve-$name"
    say "$name: unpacking rootfs"
    tar -C "$root" --numeric-owner -I zstd -xf "$TARBALL"
    chmod 755 "$root"

    prepare_root "$root" "$name" "$n" host0

    nat_up
    say "$name: booting (systemd-nspawn, $addr)"
    # setsid: the host outlives the shell that started it; `lab.sh down` stops it.
    setsid systemd-nspawn --boot --register=no --keep-unit --console=passive \
        --machine="$name" --directory="$root" --network-veth \
        --bind="$CACHE/apt-archives:/var/cache/apt/archives" \
        --bind="$CACHE/pip:/root/.cache/pip" \
        > "$dir/nspawn.log" 2>&1 < /dev/null &
    pid=$!
    echo "$pid" > "$dir/pid"

    # The machine's side of the veth: a static address, nothing else (no networkd here).
    for _ in $(seq 1 100); do
        ip link show "$veth" >/dev/null 2>&1 && break
        kill -0 "$pid" 2>/dev/null || { cat "$dir/nspawn.log" >&2; die "$name: nspawn exited"; }
        sleep 0.1
    done
    ip link show "$veth" >/dev/null 2>&1 || die "$name: no interface $veth"
    sysctl -q -w "net.ipv6.conf.$veth.disable_ipv6=1" || true
    ip addr add "$SUBNET_PREFIX.$n.1/24" dev "$veth"
    ip link set "$veth" up

    if ! wait_ssh "$name" "$addr" "$pid" 60; then
        tail -n 30 "$dir/nspawn.log" >&2
        die "$name: ssh did not answer within 60 s"
    fi
    unguard_up
    say "$name: up at $addr in $((SECONDS - start)) s (ssh -i $KEY root@$addr)"
    echo "$addr"
}

# --- the QEMU tier: a VM with a kernel of its own ----------------------------------------------
# For what a container cannot show (kernel settings, the firewall in front of a real kernel).
# The image is the same rootfs plus Debian's cloud kernel, cached as a second tarball.

cmd_vm_rootfs() {
    cmd_rootfs
    command -v qemu-system-x86_64 >/dev/null || {
        say "installing qemu-system-x86"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            qemu-system-x86 >/dev/null
    }
    if [ -f "$VM_TARBALL" ]; then say "VM rootfs cached: $VM_TARBALL"; return; fi
    local start=$SECONDS
    build=$(mktemp -d "$CACHE/vm-build.XXXXXX")
    trap 'umount -R "$build/proc" "$build/sys" "$build/dev" 2>/dev/null; rm -rf --one-file-system "$build"' EXIT
    tar -C "$build" --numeric-owner -I zstd -xf "$TARBALL"
    chmod 755 "$build"
    mount -t proc proc "$build/proc"
    mount -t sysfs sys "$build/sys"
    mount --bind /dev "$build/dev"
    cp /etc/resolv.conf "$build/etc/resolv.conf"
    say "installing a kernel into the VM image (about a minute)"
    chroot "$build" apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive chroot "$build" apt-get install -y -q --no-install-recommends \
        linux-image-cloud-amd64 initramfs-tools > "$CACHE/vm-build.log" 2>&1 \
        || { tail -n 20 "$CACHE/vm-build.log"; die "kernel install failed"; }
    chroot "$build" apt-get clean
    umount "$build/proc" "$build/sys" "$build/dev"
    rm -f "$build/etc/resolv.conf"
    printf '/dev/vda / ext4 defaults,errors=remount-ro 0 1\n' > "$build/etc/fstab"
    tar -C "$build" --numeric-owner -I 'zstd -T0 -3' -cf "$VM_TARBALL.tmp" .
    mv "$VM_TARBALL.tmp" "$VM_TARBALL"
    rm -rf --one-file-system "$build"
    say "VM rootfs ready in $((SECONDS - start)) s ($(du -h "$VM_TARBALL" | cut -f1))"
}

start_qemu() {
    local dir=$1 name=$2 accel=$3
    rm -f "$dir/pid"
    qemu-system-x86_64 -name "$name" -machine q35 -accel "$accel" -cpu max -smp 2 -m "$VM_MEMORY" \
        -display none -monitor none -serial "file:$dir/console.log" \
        -kernel "$dir/vmlinuz" -initrd "$dir/initrd.img" \
        -append "root=/dev/vda rw console=ttyS0 net.ifnames=0 quiet" \
        -drive "file=$dir/disk.raw,format=raw,if=virtio" \
        -netdev "tap,id=net0,ifname=vt-$name,script=no,downscript=no" \
        -device virtio-net-pci,netdev=net0 \
        -daemonize -pidfile "$dir/pid" 2> "$dir/qemu.log"
}

cmd_up_vm() {
    local name=${1:?usage: lab.sh up-vm NAME}
    [[ $name =~ ^[a-z][a-z0-9]{0,9}$ ]] || die "host name: lowercase letters and digits, at most 10"
    local dir root n addr start accel
    dir=$(host_dir "$name")
    [ ! -e "$dir" ] || die "host $name exists; run: lab.sh down $name"
    cmd_vm_rootfs
    [ -f "$KEY" ] || ssh-keygen -q -t ed25519 -N '' -C slipway-lab -f "$KEY"
    mkdir -p "$LAB_ROOT"
    start=$SECONDS
    n=$(free_index)
    mkdir -p "$dir/rootfs"
    echo "$n" > "$dir/index"
    guard_up "$name"
    root=$dir/rootfs
    addr=$SUBNET_PREFIX.$n.2
    say "$name: making the VM disk"
    tar -C "$root" --numeric-owner -I zstd -xf "$VM_TARBALL"
    chmod 755 "$root"
    prepare_root "$root" "$name" "$n" "eth0"
    # nspawn copies the machine's resolv.conf at boot; a VM needs its own (no loopback resolver).
    grep -E '^nameserver ' /etc/resolv.conf | grep -v -E ' (127\.|::1)' > "$root/etc/resolv.conf" || true
    [ -s "$root/etc/resolv.conf" ] || die "no nameserver in /etc/resolv.conf a VM could reach"
    local kernels=("$root"/boot/vmlinuz-*) initrds=("$root"/boot/initrd.img-*)
    cp "${kernels[-1]}" "$dir/vmlinuz"
    cp "${initrds[-1]}" "$dir/initrd.img"
    mkfs.ext4 -q -F -L root -d "$root" "$dir/disk.raw" "$VM_DISK" >/dev/null
    rm -rf --one-file-system "$root"

    ip tuntap add dev "vt-$name" mode tap
    sysctl -q -w "net.ipv6.conf.vt-$name.disable_ipv6=1" || true
    ip addr add "$SUBNET_PREFIX.$n.1/24" dev "vt-$name"
    ip link set "vt-$name" up
    nat_up

    # KVM when this machine offers working hardware virtualization, else software emulation.
    accel=tcg,tb-size=256
    if [ "${SLIPWAY_VM_ACCEL:-auto}" = kvm ] || { [ "${SLIPWAY_VM_ACCEL:-auto}" = auto ] \
            && [ -w /dev/kvm ] && grep -qE '\b(vmx|svm)\b' /proc/cpuinfo; }; then
        accel=kvm
    fi
    say "$name: booting (qemu, $accel, $addr)"
    if ! start_qemu "$dir" "$name" "$accel"; then
        [ "$accel" = kvm ] || { cat "$dir/qemu.log" >&2; die "$name: qemu failed"; }
        say "$name: KVM did not start; falling back to software emulation"
        accel=tcg,tb-size=256
        start_qemu "$dir" "$name" "$accel" || { cat "$dir/qemu.log" >&2; die "$name: qemu failed"; }
    fi
    if ! wait_ssh "$name" "$addr" "$(cat "$dir/pid")" 180; then
        tail -n 30 "$dir/console.log" >&2
        die "$name: ssh did not answer within 180 s"
    fi
    unguard_up
    say "$name: up at $addr in $((SECONDS - start)) s (ssh -i $KEY root@$addr)"
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
            kill -0 "$pid" 2>/dev/null && { say "$name: forcing"; kill -KILL "$pid" 2>/dev/null || true; sleep 0.5; }
        fi
    fi
    ip link del "ve-$name" 2>/dev/null || true
    ip link del "vt-$name" 2>/dev/null || true
    # Never follow bind mounts into the caches: make sure none is left before deleting.
    if grep -q " $dir/rootfs/" /proc/mounts; then
        grep " $dir/rootfs/" /proc/mounts | cut -d' ' -f2 | sort -r | xargs -r -n1 umount -l || true
    fi
    rm -rf --one-file-system "$dir"
    say "$name: removed"
    if ! compgen -G "$LAB_ROOT/*/index" >/dev/null; then nat_down; fi
}

cmd_down_all() {
    local d
    for d in "$LAB_ROOT"/*/; do
        [ -f "$d/index" ] || [ -f "$d/pid" ] || continue
        cmd_down "$(basename "$d")"
    done
    nat_down
}

cmd_list() {
    local d
    for d in "$LAB_ROOT"/*/; do
        [ -f "$d/index" ] || continue
        echo "$(basename "$d") $SUBNET_PREFIX.$(cat "$d/index").2"
    done
}

# Writes an ansible inventory directory for the running hosts: hosts.yml, the lab's settings
# and a vault of secrets generated on the spot (kept, so a re-run deploys the same secrets).
# Ansible connects as the deploy user and falls back to root (the fresh-VPS login).
cmd_inventory() {
    local dir=${1:?usage: lab.sh inventory DIR} name addr
    command -v ansible-vault >/dev/null || die "ansible-vault not on PATH (make lab-up installs it)"
    mkdir -p "$dir/group_vars/all"
    {
        echo "---"
        echo "# Written by lab/lab.sh: the lab hosts that run now."
        echo "all:"
        echo "  children:"
        echo "    app_servers:"
        echo "      hosts:"
        while read -r name addr; do
            echo "        $name:"
            echo "          ansible_host: $addr"
        done < <(cmd_list)
    } > "$dir/hosts.yml"
    cat > "$dir/group_vars/all/vars.yml" <<VARS
---
# Written by lab/lab.sh. The same settings as inventories/production, for lab hosts.
bootstrap_user: root
deploy_user: deploy
ansible_user: "{{ deploy_user }}"
ansible_ssh_private_key_file: $KEY
ansible_ssh_common_args: -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
deploy_user_ssh_keys:
  - "$(cat "$KEY.pub")"
app_name: example_api
app_domain: "{{ inventory_hostname }}.slipway.test"
app_extra_hosts: ["{{ ansible_host }}"]
app_ports: [8001, 8002]
app_workers: 2
app_db_name: "{{ app_name }}"
app_db_user: "{{ app_name }}"
app_db_password: "{{ vault_app_db_password }}"
app_secret_key: "{{ vault_app_secret_key }}"
nginx_tls_mode: selfsigned
VARS
    if [ ! -f "$dir/vault-pass" ]; then
        (umask 077; python3 -c 'import secrets; print(secrets.token_urlsafe(32))' > "$dir/vault-pass")
    fi
    if [ ! -f "$dir/group_vars/all/vault.yml" ]; then
        (umask 077; python3 -c 'import secrets
print("---")
print(f"vault_app_secret_key: \"{secrets.token_urlsafe(50)}\"")
print(f"vault_app_db_password: \"{secrets.token_hex(16)}\"")' > "$dir/group_vars/all/vault.yml")
        ansible-vault encrypt --vault-password-file "$dir/vault-pass" \
            "$dir/group_vars/all/vault.yml" >/dev/null
    fi
    say "inventory: $dir (vault password in $dir/vault-pass)"
}

SSH_OPTS=(-i "$KEY" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR)

case ${1:-} in
    rootfs) cmd_rootfs ;;
    up) shift; cmd_up "$@" ;;
    vm-rootfs) cmd_vm_rootfs ;;
    up-vm) shift; cmd_up_vm "$@" ;;
    down) shift; cmd_down "$@" ;;
    down-all) cmd_down_all ;;
    list) cmd_list ;;
    inventory) shift; cmd_inventory "$@" ;;
    *) sed -n '2,13p' "$0"; exit 2 ;;
esac
