# shellcheck shell=bash
# lab/network.sh (sourced by lab.sh): the lab's way out to the package mirrors, and only that.
# Uses lab.sh's LAB_ROOT, SUBNET_PREFIX, NFT_TABLE and say.
#
# While a lab host exists: IPv4 forwarding on, a blackhole route for the lab's /16, an nftables
# masquerade table, and, where a firewall drops forwarded packets, two accept rules in it.
# Each is recorded under $LAB_ROOT when added and removed when the last host goes: nothing
# else of the machine's is changed.
#
# Why the accept rules: Docker (on GitHub's runners, on many laptops) sets the iptables filter
# table's FORWARD policy to DROP. A packet crosses every base chain at a hook and a drop in any
# of them is final, so an accept in a table of our own would not get past Docker's: the rules
# go into the filter table itself, through iptables (the tool Docker writes it with, so its
# own later changes still parse), in DOCKER-USER when it exists (Docker evaluates that chain
# first and never flushes it), else at the top of FORWARD.

LAB_NET=$SUBNET_PREFIX.0.0/16
# Out from any lab host (to the mirror, to another lab host); back in only as replies.
FORWARD_RULES=(
    "-s $LAB_NET -m comment --comment slipway-lab -j ACCEPT"
    "-d $LAB_NET -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment slipway-lab -j ACCEPT"
)

# The chain to put the accept rules in, or nothing when forwarded packets are not dropped.
forward_chain() {
    command -v iptables >/dev/null || return 0
    local rules
    rules=$(iptables -w -S 2>/dev/null) || return 0
    if grep -qx -- "-N DOCKER-USER" <<<"$rules"; then
        echo DOCKER-USER
    elif grep -qx -- "-P FORWARD DROP" <<<"$rules" || grep -q -- "^-A FORWARD .*-j \(DROP\|REJECT\)" <<<"$rules"; then
        echo FORWARD
    fi
}

forward_open() {
    local chain rule
    [ ! -f "$LAB_ROOT/forward.chain" ] || return 0
    chain=$(forward_chain)
    [ -n "$chain" ] || return 0
    echo "$chain" > "$LAB_ROOT/forward.chain"
    say "the firewall drops forwarded packets: letting the lab's through (iptables $chain)"
    # Inserted last rule first, so they end up at the top in FORWARD_RULES' order.
    for ((i = ${#FORWARD_RULES[@]} - 1; i >= 0; i--)); do
        read -ra rule <<<"${FORWARD_RULES[i]}"
        iptables -w -C "$chain" "${rule[@]}" 2>/dev/null || iptables -w -I "$chain" 1 "${rule[@]}"
    done
}

forward_close() {
    local chain rule spec
    [ -f "$LAB_ROOT/forward.chain" ] || return 0
    chain=$(cat "$LAB_ROOT/forward.chain")
    for spec in "${FORWARD_RULES[@]}"; do
        read -ra rule <<<"$spec"
        while iptables -w -C "$chain" "${rule[@]}" 2>/dev/null; do
            iptables -w -D "$chain" "${rule[@]}"
        done
    done
    rm -f "$LAB_ROOT/forward.chain"
}

nat_up() {
    if [ ! -f "$LAB_ROOT/ip_forward.orig" ]; then
        sysctl -n net.ipv4.ip_forward > "$LAB_ROOT/ip_forward.orig"
    fi
    sysctl -q -w net.ipv4.ip_forward=1
    # Lab addresses without a host (one powered off) go nowhere, as on a real network, instead
    # of out by the default route. The hosts' /24 routes on their veths are longer: they win.
    ip route replace blackhole "$LAB_NET"
    forward_open
    nft list table inet "$NFT_TABLE" >/dev/null 2>&1 && return
    nft -f - <<EOF
table inet $NFT_TABLE {
    chain postrouting {
        type nat hook postrouting priority srcnat; policy accept;
        ip saddr $LAB_NET ip daddr != $LAB_NET masquerade
    }
}
EOF
}

nat_down() {
    nft delete table inet "$NFT_TABLE" 2>/dev/null || true
    forward_close
    ip route del blackhole "$LAB_NET" 2>/dev/null || true
    if [ -f "$LAB_ROOT/ip_forward.orig" ]; then
        sysctl -q -w net.ipv4.ip_forward="$(cat "$LAB_ROOT/ip_forward.orig")"
        rm -f "$LAB_ROOT/ip_forward.orig"
    fi
}
