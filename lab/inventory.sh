# shellcheck shell=bash
# lab/inventory.sh (sourced by lab.sh): an ansible inventory for the running lab hosts.
#
# DIR/hosts.yml lists every running host with what differs between hosts: its address, its
# SSH port and its first login (bootstrap_user: root or debian, from its layout).
# DIR/group_vars/all/vars.yml holds the lab's settings (bootstrap_user: root there is only the
# default for a host listed without one), and vault.yml secrets generated on the spot, kept
# with their password in DIR/vault-pass so a re-run deploys the same secrets.
# Ansible connects as the deploy user and falls back to bootstrap_user (the fresh-VPS login).

cmd_inventory() {
    local dir=${1:?usage: lab.sh inventory DIR} name addr release layout
    command -v ansible-vault >/dev/null || die "ansible-vault not on PATH (make lab-up installs it)"
    [ -f "$KEY.pub" ] || die "no lab key $KEY.pub (lab.sh up makes it)"
    mkdir -p "$dir/group_vars/all"
    {
        echo "---"
        echo "# Written by lab/lab.sh: the lab hosts that run now."
        echo "all:"
        echo "  children:"
        echo "    app_servers:"
        echo "      hosts:"
        while read -r name addr release layout; do
            echo "        $name:  # Debian $release, $layout layout"
            echo "          ansible_host: $addr"
            echo "          ansible_port: $(host_get "$name" port 22)"
            echo "          bootstrap_user: $(bootstrap_user "$layout")"
        done < <(cmd_list)
    } > "$dir/hosts.yml"
    cat > "$dir/group_vars/all/vars.yml" <<VARS
---
# Written by lab/lab.sh. The same settings as inventories/production, for lab hosts.
# hosts.yml sets bootstrap_user per host (root or debian); this is the default.
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
app_db_name: "{{ app_name }}"
app_db_user: "{{ app_name }}"
app_db_password: "{{ vault_app_db_password }}"
app_secret_key: "{{ vault_app_secret_key }}"
app_redis_password: "{{ vault_app_redis_password }}"
nginx_tls_mode: selfsigned
VARS
    if [ ! -f "$dir/vault-pass" ]; then
        (umask 077; python3 -c 'import secrets; print(secrets.token_urlsafe(32))' > "$dir/vault-pass")
    fi
    if [ ! -f "$dir/group_vars/all/vault.yml" ]; then
        (umask 077; python3 -c 'import secrets
print("---")
print(f"vault_app_secret_key: \"{secrets.token_urlsafe(50)}\"")
print(f"vault_app_db_password: \"{secrets.token_hex(16)}\"")
print(f"vault_app_redis_password: \"{secrets.token_hex(16)}\"")' > "$dir/group_vars/all/vault.yml")
        ansible-vault encrypt --vault-password-file "$dir/vault-pass" \
            "$dir/group_vars/all/vault.yml" >/dev/null
    fi
    say "inventory: $dir (vault password in $dir/vault-pass)"
}
