# shellcheck shell=bash
# lab/power.sh (sourced by lab.sh): booting an nspawn host's rootfs, waiting for a host's ssh
# (both tiers), and the power switch of nspawn hosts.
# `up` and `poweron` boot through boot_nspawn alike: same address, nspawn options and veth.
# `poweroff` pulls the plug as a power cut would: no shutdown, the disks as the kill left them.
# The rootfs and recorded settings stay, with state "off", until `poweron` or `down`.

# Start host NAME (subnet number N) from its rootfs and give the machine's side of its veth
# its address; nspawn's pid goes into the host's pid file.
boot_nspawn() {
    local name=$1 n=$2 dir pid veth=ve-$1
    dir=$(host_dir "$name")
    mkdir -p "$CACHE/pip"
    # A veth left by a host that died would keep nspawn from making its own.
    ip link del "$veth" 2>/dev/null || true
    say "$name: booting (systemd-nspawn, $SUBNET_PREFIX.$n.2)"
    # setsid: the host outlives the shell that started it; `lab.sh down` stops it.
    setsid systemd-nspawn --boot --register=no --keep-unit --console=passive \
        --machine="$name" --directory="$dir/rootfs" --network-veth \
        --bind="$CACHE/pip:/root/.cache/pip" \
        >> "$dir/nspawn.log" 2>&1 < /dev/null &
    pid=$!
    echo "$pid" > "$dir/pid"

    # The machine's side of the veth: a static address, nothing else (no networkd here).
    for _ in $(seq 1 100); do
        ip link show "$veth" >/dev/null 2>&1 && break
        kill -0 "$pid" 2>/dev/null || { tail -n 30 "$dir/nspawn.log" >&2; die "$name: nspawn exited"; }
        sleep 0.1
    done
    ip link show "$veth" >/dev/null 2>&1 || die "$name: no interface $veth"
    sysctl -q -w "net.ipv6.conf.$veth.disable_ipv6=1" || true
    ip addr add "$SUBNET_PREFIX.$n.1/24" dev "$veth"
    ip link set "$veth" up
}

# Wait until the first login gets in over SSH (with sudo, for the sudo layout), or one of the
# USERS given after the timeout; fails early when the host's process has died.
wait_ssh() {
    local name=$1 addr=$2 pid=$3 deadline=$((SECONDS + $4)) check user
    shift 4
    # Up means booted: sshd answers before systemd has finished, and until then /run/nologin
    # shuts out every user but root (a test's deploy user would find the door closed).
    check="sudo -n sh -c 'timeout 30 systemctl is-system-running --wait >/dev/null; test ! -e /run/nologin'"
    while [ $SECONDS -lt $deadline ]; do
        ssh -q "${SSH_OPTS[@]}" -p "$SSH_PORT" -o ConnectTimeout=2 "$LOGIN@$addr" "$check" \
            2>/dev/null && return 0
        for user in "$@"; do
            ssh -q "${SSH_OPTS[@]}" -p "$SSH_PORT" -o ConnectTimeout=2 "$user@$addr" "$check" \
                2>/dev/null && return 0
        done
        kill -0 "$pid" 2>/dev/null || { say "$name: its process exited"; return 1; }
        sleep 0.3
    done
    return 1
}

# Is PID a live systemd-nspawn (not a zombie, not a later process that got the number)?
nspawn_alive() {
    [ -n "$1" ] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = systemd-nspawn ] \
        && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

# The container's init: the child of nspawn that is pid 1 of its own PID namespace.
container_init() {
    local child children
    # The children files hold pids separated by spaces.
    children=$(cat /proc/"$1"/task/*/children 2>/dev/null || true)
    for child in $children; do
        if awk '/^NSpid:/ { found = NF > 2 && $NF == 1 } END { exit !found }' \
                "/proc/$child/status" 2>/dev/null; then
            echo "$child"
            return 0
        fi
    done
    return 1
}

nspawn_host() {
    [ -f "$LAB_ROOT/$1/index" ] || die "no lab host $1"
    [ "$(host_get "$1" tier nspawn)" = nspawn ] || die "$1: power switching is for nspawn hosts only"
}

# SIGKILL to a PID namespace's init (INIT, may be empty) kills every process in it at once:
# nothing flushes, nothing says goodbye to its peers. nspawn (PID) then exits, or is killed.
kill_guest() {
    local name=$1 pid=$2 init=$3
    [ -z "$init" ] || kill -KILL "$init" 2>/dev/null || true
    for _ in $(seq 1 100); do nspawn_alive "$pid" || break; sleep 0.1; done
    if nspawn_alive "$pid"; then
        say "$name: nspawn still runs; killing it too"
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.5
    fi
}

cmd_poweroff() {
    local name=${1:?usage: lab.sh poweroff NAME} dir pid init
    nspawn_host "$name"
    dir=$(host_dir "$name")
    pid=$(cat "$dir/pid" 2>/dev/null || true)
    if nspawn_alive "$pid"; then
        init=$(container_init "$pid") || die "$name: no container init under nspawn $pid"
        say "$name: pulling the plug (SIGKILL to its init, pid $init)"
        kill_guest "$name" "$pid" "$init"
    else
        say "$name: already off"
    fi
    echo off > "$dir/state"
    # No pid file while off: a later process given the same number is never taken for the host.
    rm -f "$dir/pid"
    ip link del "ve-$name" 2>/dev/null || true
    say "$name: off (rootfs kept: lab.sh poweron $name)"
}

# Boot the kept rootfs again, with the host's recorded release, layout and port; ssh answers
# as the first login, or as deploy once a deploy has shut the first login out.
cmd_poweron() {
    local name=${1:?usage: lab.sh poweron NAME} dir n addr start
    nspawn_host "$name"
    dir=$(host_dir "$name")
    n=$(cat "$dir/index")
    addr=$SUBNET_PREFIX.$n.2
    if nspawn_alive "$(cat "$dir/pid" 2>/dev/null || true)"; then
        say "$name: already on"
        echo "$addr"
        return 0
    fi
    [ -d "$dir/rootfs" ] || die "$name: no rootfs in $dir"
    RELEASE=$(host_get "$name" release 12)
    LAYOUT=$(host_get "$name" layout root)
    LOGIN=$(bootstrap_user "$LAYOUT")
    SSH_PORT=$(host_get "$name" port 22)
    start=$SECONDS
    # The NAT (and the blackhole) may be gone, e.g. after the machine rebooted.
    lock_lab
    nat_up
    unlock 9
    guard_up "$name" cmd_poweroff
    boot_nspawn "$name" "$n"
    rm -f "$dir/state"
    if ! wait_ssh "$name" "$addr" "$(cat "$dir/pid")" 60 deploy; then
        tail -n 30 "$dir/nspawn.log" >&2
        die "$name: ssh did not answer within 60 s"
    fi
    unguard_up
    say "$name: powered on at $addr in $((SECONDS - start)) s (Debian $RELEASE, $LAYOUT layout)"
    echo "$addr"
}
