# shellcheck shell=bash
# lab/inventory.sh (sourced by lab.sh): ansible inventories for the lab hosts.
#
# DIR/hosts.yml lists the hosts with what differs between them: address, SSH port and first
# login (bootstrap_user: root or debian, from the layout). Powered-off hosts are listed too:
# they are still part of the lab and come back with `lab.sh poweron`.
# DIR/group_vars/all/vars.yml holds the lab's settings (bootstrap_user: root there is only the
# default for a host listed without one), and vault.yml secrets generated on the spot, kept
# with their password in DIR/vault-pass so a re-run deploys the same secrets.
# Ansible connects as the deploy user and falls back to bootstrap_user (the fresh-VPS login).
#
# `inventory`: every host is an app server of its own (one name each, NAME.slipway.test).
# >>> part cluster
# `cluster-inventory`: the hosts form one cluster, grouped by name: lb* load balancers, app*
# app servers, db* database servers (etcd on db and lb hosts, the backup repository on lb);
# other hosts are left out. One public name, api.slipway.test, served by the load balancer.

# The secrets of a cluster, besides the single server's.
CLUSTER_SECRETS=(vault_patroni_superuser_password vault_patroni_replication_password
    vault_patroni_rewind_password vault_patroni_restapi_password)
# <<< part cluster

inventory_tools() {
    command -v ansible-vault >/dev/null || die "ansible-vault not on PATH (make lab-up installs it)"
    [ -f "$KEY.pub" ] || die "no lab key $KEY.pub (lab.sh up makes it)"
}

# The YAML entries of the hosts named on stdin (lines of `lab.sh list`), at indent 8.
host_entries() {
    local name addr release layout any=false
    while read -r name addr release layout; do
        [ -n "$name" ] || continue
        any=true
        echo "        $name:  # Debian $release, $layout layout"
        echo "          ansible_host: $addr"
        echo "          ansible_port: $(host_get "$name" port 22)"
        echo "          bootstrap_user: $(bootstrap_user "$layout")"
    done
    # An empty group must still be a mapping, not null.
    $any || echo "        {}"
}

# vars.yml: the lab's settings; DOMAIN and EXTRA_HOSTS are YAML values.
write_vars() {
    local dir=$1 domain=$2 extra_hosts=$3
    cat > "$dir/group_vars/all/vars.yml" <<VARS
---
# Written by lab/lab.sh. The same settings as inventories/production, for lab hosts.
# hosts.yml sets bootstrap_user per host (root or debian); this is the default.
bootstrap_user: root
deploy_user: deploy
ansible_user: "{{ deploy_user }}"
ansible_ssh_private_key_file: $KEY
ansible_ssh_common_args: -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
# Lab hosts get new host keys at every boot. Mitogen reads this, not the ssh options above.
ansible_host_key_checking: false
deploy_user_ssh_keys:
  - "$(cat "$KEY.pub")"
app_name: example_api
app_domain: $domain
app_extra_hosts: $extra_hosts
app_db_name: "{{ app_name }}"
app_db_user: "{{ app_name }}"
app_db_password: "{{ vault_app_db_password }}"
app_secret_key: "{{ vault_app_secret_key }}"
app_redis_password: "{{ vault_app_redis_password }}"
nginx_tls_mode: selfsigned
VARS
}

# vault-pass and an encrypted vault.yml: the app's secrets plus a hex one per extra NAME given.
# Both are made once; a re-run keeps them, so a redeploy uses the same secrets.
write_vault() {
    local dir=$1
    shift
    if [ ! -f "$dir/vault-pass" ]; then
        (umask 077; python3 -c 'import secrets; print(secrets.token_urlsafe(32))' > "$dir/vault-pass")
    fi
    [ ! -f "$dir/group_vars/all/vault.yml" ] || return 0
    (umask 077; python3 -c 'import secrets, sys
print("---")
print(f"vault_app_secret_key: \"{secrets.token_urlsafe(50)}\"")
for name in sys.argv[1:]:
    print(f"{name}: \"{secrets.token_hex(16)}\"")' \
        vault_app_db_password vault_app_redis_password "$@" > "$dir/group_vars/all/vault.yml")
    ansible-vault encrypt --vault-password-file "$dir/vault-pass" \
        "$dir/group_vars/all/vault.yml" >/dev/null
}

cmd_inventory() {
    local dir=${1:?usage: lab.sh inventory DIR}
    inventory_tools
    mkdir -p "$dir/group_vars/all"
    {
        echo "---"
        echo "# Written by lab/lab.sh: the lab hosts that run now."
        echo "all:"
        echo "  children:"
        echo "    app_servers:"
        echo "      hosts:"
        cmd_list | host_entries
    } > "$dir/hosts.yml"
    write_vars "$dir" '"{{ inventory_hostname }}.slipway.test"' '["{{ ansible_host }}"]'
    write_vault "$dir"
    say "inventory: $dir (vault password in $dir/vault-pass)"
}

# >>> part cluster
cmd_cluster_inventory() {
    local dir=${1:?usage: lab.sh cluster-inventory DIR} hosts group prefix
    inventory_tools
    hosts=$(cmd_list | sort)
    mkdir -p "$dir/group_vars/all"
    {
        echo "---"
        echo "# Written by lab/lab.sh: the lab's cluster hosts (lb*, app*, db*), on or powered off."
        echo "all:"
        echo "  children:"
        for group in load_balancers:lb app_servers:app db_servers:db; do
            prefix=${group#*:}
            echo "    ${group%:*}:"
            echo "      hosts:"
            { grep "^$prefix" <<< "$hosts" || true; } | host_entries
        done
        echo "    etcd_members:"
        echo "      children:"
        echo "        db_servers: {}"
        echo "        load_balancers: {}"
        echo "    backup_repository:"
        echo "      children:"
        echo "        load_balancers: {}"
    } > "$dir/hosts.yml"
    # One public name for the cluster (lb1 serves it); no per-host names.
    write_vars "$dir" api.slipway.test '[]'
    write_vault "$dir" "${CLUSTER_SECRETS[@]}"
    say "cluster inventory: $dir (vault password in $dir/vault-pass)"
}
# <<< part cluster
