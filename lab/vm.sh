# shellcheck shell=bash
# lab/vm.sh (sourced by lab.sh): the QEMU tier, a VM with a kernel of its own.
# For what a container cannot show (kernel settings, the firewall in front of a real kernel).
# The image is the release's rootfs plus Debian's cloud kernel, cached as a second tarball.
# amd64 only (qemu-system-x86_64, q35); on another architecture the nspawn tier still works.

VM_MEMORY=${SLIPWAY_VM_MEMORY:-1536}
VM_DISK=${SLIPWAY_VM_DISK:-6G}

vm_arch_check() {
    local arch
    arch=$(dpkg --print-architecture)
    [ "$arch" = amd64 ] || die "the VM tier supports amd64 machines only (this one is $arch)"
    VM_KERNEL_PKG=linux-image-cloud-$arch
    VM_TARBALL=$CACHE/debian$RELEASE-vm-rootfs.tar.zst
}

vm_recipe() { echo "$(rootfs_recipe) + $VM_KERNEL_PKG initramfs-tools"; }

cmd_vm_rootfs() {
    vm_arch_check
    cmd_rootfs
    command -v qemu-system-x86_64 >/dev/null || {
        say "installing qemu-system-x86"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            qemu-system-x86 >/dev/null
    }
    cached "$VM_TARBALL" "$(vm_recipe)" && return
    lock 8 "$CACHE/.debian$RELEASE-vm-rootfs.lock"
    if cached "$VM_TARBALL" "$(vm_recipe)"; then unlock 8; return; fi
    local start=$SECONDS log=$CACHE/vm-build-$RELEASE.log
    build=$(mktemp -d "$CACHE/vm-build.XXXXXX")
    trap 'umount -R "$build/proc" "$build/sys" "$build/dev" 2>/dev/null; rm -rf --one-file-system "$build"' EXIT
    tar -C "$build" --numeric-owner -I zstd -xf "$TARBALL"
    chmod 755 "$build"
    mount -t proc proc "$build/proc"
    mount -t sysfs sys "$build/sys"
    mount --bind /dev "$build/dev"
    cp /etc/resolv.conf "$build/etc/resolv.conf"
    say "installing $VM_KERNEL_PKG into the Debian $RELEASE VM image (about a minute)"
    chroot "$build" apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive chroot "$build" apt-get install -y -q --no-install-recommends \
        "$VM_KERNEL_PKG" initramfs-tools > "$log" 2>&1 \
        || { tail -n 20 "$log"; die "kernel install failed (log: $log)"; }
    chroot "$build" apt-get clean
    umount "$build/proc" "$build/sys" "$build/dev"
    rm -f "$build/etc/resolv.conf"
    printf '/dev/vda / ext4 defaults,errors=remount-ro 0 1\n' > "$build/etc/fstab"
    tar -C "$build" --numeric-owner -I 'zstd -T0 -3' -cf "$VM_TARBALL.tmp" .
    vm_recipe > "$VM_TARBALL.recipe"
    mv "$VM_TARBALL.tmp" "$VM_TARBALL"
    rm -rf --one-file-system "$build"
    trap - EXIT
    unlock 8
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
    check_name "$name"
    local dir root n addr start accel
    dir=$(host_dir "$name")
    [ ! -e "$dir" ] || die "host $name exists; run: lab.sh down $name"
    cmd_vm_rootfs
    start=$SECONDS
    n=$(claim_host "$name" vm)
    guard_up "$name"
    root=$dir/rootfs
    addr=$SUBNET_PREFIX.$n.2
    say "$name: making the Debian $RELEASE VM disk"
    mkdir -p "$root"
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
    up_message "$name" "$addr" "$((SECONDS - start))"
    echo "$addr"
}
