#!/bin/bash
# ssh-offered-keys.sh SSH-ARGS... HOST: the public keys ssh would offer HOST when run with
# these arguments, one line each: "<fingerprint> <type> <key> <where ssh finds it>" ("- - -"
# for a key file whose public half cannot be read).
# Run on the machine running Ansible (base role, preflight_key.yml). Nothing is sent to HOST:
# `ssh -G` only prints the settings ssh would use (the command line, ~/.ssh/config, any -F
# file, the defaults), and the keys are read from their files and from the agent.
set -uo pipefail

settings=$(ssh -G -T "$@") || exit 1

setting() {
    awk -v name="$1" '$1 == name { sub(/^[^ ]+ /, ""); print }' <<<"$settings"
}

# Public key lines on stdin, printed with their fingerprint; lines that are no key are skipped
# (ssh-add -L says "The agent has no identities." on stdout).
show() {
    local where=$1 type key rest fingerprint
    while read -r type key rest; do
        fingerprint=$(ssh-keygen -l -f - <<<"$type $key" 2>/dev/null | awk '{print $2}')
        [ -n "$fingerprint" ] && echo "$fingerprint $type $key $where"
    done
}

offered() {
    local file agent
    # The key files: each file's .pub beside it, or the public half read from a key without a
    # passphrase (ssh would ask for one, which Ansible cannot type). ssh skips missing files.
    while read -r file; do
        file=${file/#\~/$HOME}
        file=${file//%d/$HOME}
        if [ -f "$file.pub" ]; then
            show "$file" <"$file.pub"
        elif [ -f "$file" ]; then
            ssh-keygen -y -P '' -f "$file" 2>/dev/null | show "$file" | grep . \
                || echo "- - - $file (no $file.pub, and the key has a passphrase)"
        fi
    done < <(setting identityfile | grep -vx none)

    # The agent's keys, unless ssh is told to use only the files above or no agent.
    agent=$(setting identityagent)
    if [ "$(setting identitiesonly)" != yes ] && [ "$agent" != none ]; then
        case $agent in
            "" | SSH_AUTH_SOCK) ;;
            *) export SSH_AUTH_SOCK=${agent/#\~/$HOME} ;;
        esac
        [ -z "${SSH_AUTH_SOCK:-}" ] || ssh-add -L 2>/dev/null | show "ssh-agent"
    fi
}

# A key both in a file and in the agent is offered once.
offered | awk '$3 == "-" || !seen[$3]++'
