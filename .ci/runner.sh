#!/usr/bin/env bash
# .ci/runner.sh: a GitHub-hosted ubuntu-24.04 runner imitated on this Debian machine, for
# .ci/run. Root only (it makes users, firewall rules and mount namespaces).
#
#   .ci/runner.sh setup JOB...       the runner user, the image's tools we use, Docker's firewall,
#                                    a checkout of this tree per JOB under the runner's work dir
#   .ci/runner.sh job JOB CMD...     CMD as the runner (passwordless sudo) in JOB's checkout
#   .ci/runner.sh fork JOB CMD...    CMD as the runner in JOB's checkout on a control side that
#                                    is not Debian: Ubuntu's os-release, no apt sources, no sudo
#   .ci/runner.sh teardown           Docker's rules and bridge removed (the user and work stay)
#
# What the runner image has and this imitates (actions/runner-images, Ubuntu2404-Readme.md):
# the user `runner` (uid 1001) with passwordless sudo, HOME /home/runner, each job its own
# checkout under ~/work; Docker 26 running, which sets the filter table's FORWARD policy to
# DROP with its DOCKER-USER, DOCKER and isolation chains and a docker0 bridge; sudo, iptables,
# Chromium, buildah. What it cannot imitate is in docs/testing.md.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
RUNNER=runner
RUNNER_UID=1001
WORK=/home/$RUNNER/work
# The image's software that the jobs use and this machine may lack (Debian's packages).
IMAGE_PACKAGES=(sudo iptables buildah)
IMAGE_PACKAGES+=(chromium) # part: clients
OS_RELEASE=$REPO/.ci/ubuntu-os-release

say() { printf '\033[1m[runner]\033[0m %s\n' "$*" >&2; }

checkout() { echo "$WORK/$1/slipway"; }
# On GitHub each job has a machine of its own. Here the jobs that run through sudo (the lab
# jobs, the image) share a HOME apart from the others: root's Ansible, uv and pip write into
# the HOME that sudo keeps, and files of root's in the runner's own caches would refuse it.
job_home() {
    case $1 in
        main | template) echo "/home/$RUNNER" ;;
        *) echo "/home/$RUNNER/sudo-jobs" ;;
    esac
}

add_runner() {
    local missing=() package
    for package in "${IMAGE_PACKAGES[@]}"; do
        dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
            || missing+=("$package")
    done
    if ((${#missing[@]})); then
        say "installing what the runner image has: ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
    fi
    id "$RUNNER" >/dev/null 2>&1 || useradd --create-home --uid "$RUNNER_UID" --shell /bin/bash "$RUNNER"
    install -d -o "$RUNNER" -g "$RUNNER" "$(job_home sudo)"
    # This machine reaches the registries through a proxy that presents its own CA; the
    # runner's root needs no such setting. sudo resets the environment, so the CA settings
    # are kept across it here, or root's uv and pip could not verify PyPI.
    {
        printf '%s ALL=(ALL) NOPASSWD:ALL\n' "$RUNNER"
        printf 'Defaults:%s env_keep += "%s"\n' "$RUNNER" \
            "SSL_CERT_FILE SSL_CERT_DIR REQUESTS_CA_BUNDLE CURL_CA_BUNDLE PIP_CERT GIT_SSL_CAINFO NODE_EXTRA_CA_CERTS"
    } > /etc/sudoers.d/runner
    chmod 440 /etc/sudoers.d/runner
    visudo -cf /etc/sudoers.d/runner >/dev/null
}

# Docker 26's filter rules as the runner has them (iptables-save), and its bridge.
docker_firewall() {
    ip link show docker0 >/dev/null 2>&1 || {
        ip link add docker0 type bridge
        ip addr add 172.17.0.1/16 dev docker0
        ip link set docker0 up
    }
    sysctl -q -w net.ipv4.ip_forward=1
    iptables -w -S DOCKER-USER >/dev/null 2>&1 && return
    say "Docker's firewall: FORWARD policy DROP, DOCKER-USER and isolation chains"
    iptables-restore -w --noflush <<'EOF'
*filter
:FORWARD DROP [0:0]
:DOCKER - [0:0]
:DOCKER-ISOLATION-STAGE-1 - [0:0]
:DOCKER-ISOLATION-STAGE-2 - [0:0]
:DOCKER-USER - [0:0]
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-ISOLATION-STAGE-1
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o docker0 -j DOCKER
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
-A DOCKER-ISOLATION-STAGE-1 -j RETURN
-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
-A DOCKER-ISOLATION-STAGE-2 -j RETURN
-A DOCKER-USER -j RETURN
COMMIT
*nat
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A DOCKER -i docker0 -j RETURN
COMMIT
EOF
}

teardown() {
    iptables -w -S DOCKER-USER >/dev/null 2>&1 || return 0
    say "removing Docker's firewall"
    iptables -w -P FORWARD ACCEPT
    iptables -w -F FORWARD
    local chain
    for chain in DOCKER-USER DOCKER-ISOLATION-STAGE-1 DOCKER-ISOLATION-STAGE-2 DOCKER; do
        iptables -w -F "$chain" && iptables -w -X "$chain"
    done
    iptables -w -t nat -F DOCKER
    iptables -w -t nat -D PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
    iptables -w -t nat -D OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
    iptables -w -t nat -D POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
    iptables -w -t nat -X DOCKER
    ip link del docker0 2>/dev/null || true
    # The tables iptables made for these rules, if nothing of anyone else's is in them.
    local table
    for table in filter nat; do
        if ! iptables -w -t "$table" -S | grep -qv '^-P [A-Z]* ACCEPT$'; then
            nft delete table ip "$table" 2>/dev/null || true
        fi
    done
}

# A job's checkout: this tree as committed, plus what is changed or new here (a session's
# work before it commits), owned by the runner.
make_checkout() {
    local dir
    dir=$(checkout "$1")
    rm -rf "$dir"
    mkdir -p "$(dirname "$dir")"
    git clone --quiet "$REPO" "$dir"
    git -C "$REPO" ls-files -z --modified --others --exclude-standard \
        | (cd "$REPO" && xargs -0 -r cp --parents -t "$dir" 2>/dev/null || true)
    chown "$RUNNER:$RUNNER" "$WORK"
    chown -R "$RUNNER:$RUNNER" "$(dirname "$dir")"
}

# The runner's environment: its own HOME and PATH (not root's), the settings .ci/run passes,
# and how this machine reaches the registries (its CA bundle, a proxy), which a runner has too.
PASSED='^(TEST_DATABASE_URL|REDIS_URL|FORCE_COLOR|CI|SSL_CERT_(FILE|DIR)|REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE|NODE_EXTRA_CA_CERTS|PIP_CERT|GIT_SSL_CAINFO|[a-z]+_proxy|[A-Z]+_PROXY)='
runner_env() {
    echo env -i HOME="$(job_home "$1")" USER=$RUNNER LOGNAME=$RUNNER LANG=C.UTF-8 \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    env | grep -E "$PASSED" || true
}

run_job() {
    local job=$1
    shift
    # shellcheck disable=SC2046 # runner_env prints words, one per setting
    cd "$(checkout "$job")" && exec setpriv --reuid="$RUNNER" --regid="$RUNNER" --init-groups $(runner_env "$job") "$@"
}

# The fork's laptop: a mount namespace where /etc/os-release is Ubuntu's and /etc/apt is
# empty, and no_new_privs set, so sudo (setuid) cannot run at all.
run_fork() {
    local job=$1
    shift
    # shellcheck disable=SC2046,SC2016
    exec unshare --mount --propagation private -- bash -c '
        set -e
        mount --bind "$1" /etc/os-release
        mount -t tmpfs -o mode=0755,size=1m tmpfs /etc/apt
        cd "$2"
        shift 2
        exec setpriv --reuid=runner --regid=runner --init-groups --no-new-privs "$@"
    ' fork "$OS_RELEASE" "$(checkout "$job")" $(runner_env "$job") "$@"
}

[ "$(id -u)" = 0 ] || { say "must run as root"; exit 1; }
case ${1:-} in
    setup)
        shift
        add_runner
        docker_firewall
        for job in "$@"; do make_checkout "$job"; done
        ;;
    job) shift; run_job "$@" ;;
    fork) shift; run_fork "$@" ;;
    teardown) teardown ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
esac
