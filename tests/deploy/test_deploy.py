"""Fresh hosts, provisioned and deployed by site.yml, checked as a user would.

The story, on each shape (Debian 13 with root as the first login; Debian 12 in the
cloud-image layout with sshd on 2222): boot, run site.yml (the `server` fixture), run it
again and see nothing change, then use the API through nginx over HTTPS and probe the server
from outside.
"""

from __future__ import annotations

import re
import selectors
import socket
import time
from typing import cast

import pytest

from tests.harness import domain
from tests.harness.accounts import make_staff
from tests.harness.labhost import TIMINGS, LabHost

APP_USER = "example_api"


def expected_open_ports(server: LabHost) -> set[int]:
    return {server.port, 80, 443}


def test_second_run_changes_nothing(server: LabHost, tmp_path) -> None:
    run = server.run_site(tmp_path / "site-second-run.log")
    TIMINGS[f"{server.name}: site.yml, second run"] = run.seconds
    assert run.returncode == 0, run.output[-4000:]
    recap = run.recap(server.name)
    assert recap["failed"] == 0
    assert recap["changed"] == 0, f"changed on a re-run: {run.changed_tasks()}"


def test_health_and_readiness_through_nginx(server: LabHost) -> None:
    status, _, body = server.request("GET", "/healthz")
    assert (status, body) == (200, {"status": "ok", "version": server.release})

    status, _, body = server.request("GET", "/readyz")
    checks = {"database": "ok", "redis": "ok"}  # every dependency answered
    checks["queue"] = "ok"  # part: jobs
    assert (status, body) == (200, {"status": "ok", "version": server.release, "checks": checks})

    # Plain HTTP still answers the probes (load balancers), and sends the rest to HTTPS.
    status, _, _ = server.request("GET", "/readyz", scheme="http")
    assert status == 200
    status, headers, _ = server.request("GET", domain.ITEMS, scheme="http")
    assert status == 301
    assert headers["location"] == f"https://{server.domain}{domain.ITEMS}"


def test_security_headers_are_set_once(server: LabHost) -> None:
    status, headers, _ = server.request("GET", "/healthz")
    assert status == 200
    assert headers["strict-transport-security"].startswith("max-age=")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["server"] == "nginx"  # no version


def test_a_user_registers_logs_in_and_writes(server: LabHost) -> None:
    # A staff member made on the server creates an item (only staff may); a new user
    # registers, logs in, sees the item and writes a record on it.
    actor = domain.make_actor(server, make_staff(server), label="by the deploy test")
    assert domain.item_name(server, actor)
    created = domain.write(server, actor, days_ahead=1)

    # The same slot again is a conflict; the record reads back for its owner.
    body = domain.same_slot_body(actor, created)
    status, _, _ = server.request("POST", domain.RECORDS, body, token=actor.token)
    assert status == 409
    status, fetched = domain.read(server, actor, created["id"])
    assert (status, fetched["id"]) == (200, created["id"])

    # Without a token: 401 in JSON, never an HTML page.
    status, headers, body = server.request("GET", domain.ITEMS)
    assert status == 401
    assert headers["content-type"].startswith("application/json")


def test_root_cannot_log_in(server: LabHost) -> None:
    # root's keys are gone (test_access.py), and sshd refuses root whatever key it offers.
    result = server.ssh("root", "true")
    assert result.returncode == 255
    assert "Permission denied" in result.stderr
    assert "permitrootlogin no" in server.sudo("sshd -T").splitlines()


def test_password_login_is_refused(server: LabHost) -> None:
    result = server.ssh(
        "deploy",
        "true",
        "-o",
        "PubkeyAuthentication=no",
        "-o",
        "PreferredAuthentications=password,keyboard-interactive",
    )
    assert result.returncode == 255
    # sshd lists the methods it would accept: only publickey.
    assert "Permission denied (publickey)" in result.stderr, result.stderr


def test_deploy_user_logs_in_with_a_key(server: LabHost) -> None:
    assert server.sudo("id -u").strip() == "0"


def test_ssh_firewall_and_fail2ban_follow_the_inventory_port(server: LabHost) -> None:
    # sshd keeps exactly the port(s) it had (Slipway writes no Port), and the firewall and
    # fail2ban admit and watch the one Ansible connects on.
    ports = [
        line.split()[1] for line in server.sudo("sshd -T").splitlines() if line.startswith("port ")
    ]
    assert ports == [str(server.port)]
    rules = server.sudo("nft list chain inet filter input")
    admitted = re.search(r"tcp dport \{ ([0-9, ]+) \} ct state new accept", rules)
    assert admitted, rules
    assert {int(port) for port in admitted.group(1).split(",")} == {server.port, 80, 443}
    assert f"port = {server.port}" in server.sudo("cat /etc/fail2ban/jail.local")


def _open_ports(address: str, ports: range, batch: int = 4000, wait: float = 1.0) -> set[int]:
    """TCP connect scan of one address: which ports accept a connection.

    Non-blocking connects in batches; a port counts as open when its connect completes
    within `wait` seconds (a dropped SYN never does, a refused one fails at once).
    """
    found: set[int] = set()
    port_list = list(ports)
    for first in range(0, len(port_list), batch):
        pending: dict[socket.socket, int] = {}
        with selectors.DefaultSelector() as selector:
            for port in port_list[first : first + batch]:
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sock.setblocking(False)
                sock.connect_ex((address, port))
                selector.register(sock, selectors.EVENT_WRITE)
                pending[sock] = port
            deadline = time.monotonic() + wait
            while pending and (left := deadline - time.monotonic()) > 0:
                for key, _ in selector.select(left):
                    sock = cast(socket.socket, key.fileobj)
                    if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                        found.add(pending[sock])
                    selector.unregister(sock)
                    sock.close()
                    del pending[sock]
            for sock in pending:
                sock.close()
    return found


def test_only_ssh_http_and_https_answer(server: LabHost) -> None:
    # Every TCP port of the test host's own address, from the lab machine.
    open_ports = _open_ports(server.address, range(1, 65536))
    assert open_ports == expected_open_ports(server)


def test_postgresql_and_redis_listen_on_loopback_only(server: LabHost) -> None:
    listeners = server.sudo("ss -Htlnp")
    for line in listeners.splitlines():
        local = line.split()[3]
        port = int(local.rsplit(":", 1)[1])
        if port not in expected_open_ports(server):
            assert local.startswith(("127.0.0.1:", "[::1]:")), f"listens outside: {line}"
    assert "127.0.0.1:5432" in listeners
    # And from outside, nothing answers on PostgreSQL's port.
    assert _open_ports(server.address, range(5432, 5433)) == set()


def test_app_runs_as_its_own_unprivileged_user(server: LabHost) -> None:
    processes = server.sudo("ps -eo user:32=,args=").splitlines()
    users = [line.split()[0] for line in processes if f"-m {APP_USER}.serve" in line]
    assert users, "no app server process"
    assert set(users) == {APP_USER}, users
    passwd = server.sudo(f"getent passwd {APP_USER}").strip().split(":")
    assert 0 < int(passwd[2]) < 1000  # a system user, not root
    assert passwd[6] == "/usr/sbin/nologin"
    groups = server.sudo(f"id -nG {APP_USER}").split()
    assert groups == [APP_USER]
    # It can read its code but not change it, and cannot read the root-only TLS key.
    result = server.ssh(
        "deploy", f"sudo -n -u {APP_USER} test -w /srv/{APP_USER}/current/manage.py"
    )
    assert result.returncode == 1
    result = server.ssh("deploy", f"sudo -n -u {APP_USER} cat /etc/nginx/tls/selfsigned.key")
    assert result.returncode != 0
    # The environment file with the secrets is not world-readable.
    assert server.sudo(f"stat -c '%U:%G %a' /etc/{APP_USER}/env").strip() == f"root:{APP_USER} 640"


def test_app_unit_is_sandboxed(server: LabHost) -> None:
    # systemd's own audit of the unit: 0 is fully locked down, 10 is a bare service.
    instance = server.live_instance()
    report = server.sudo(f"systemd-analyze security --no-pager {APP_USER}@{instance}.service")
    match = re.search(r"Overall exposure level for \S+: ([0-9.]+)", report)
    assert match, report[-2000:]
    assert float(match.group(1)) <= 2.0, report


def test_manage_check_deploy_passes_on_the_server(server: LabHost) -> None:
    output = server.sudo(f"-u {APP_USER} {APP_USER}-manage check --deploy --fail-level WARNING")
    assert "no issues" in output


def test_firewall_fail2ban_and_upgrades_are_active(server: LabHost) -> None:
    ruleset = server.sudo("nft list chain inet filter input")
    assert "policy drop" in ruleset
    assert server.sudo("systemctl is-active nftables fail2ban").split() == ["active", "active"]
    assert "sshd" in server.sudo("fail2ban-client status")
    auto = server.sudo("cat /etc/apt/apt.conf.d/20auto-upgrades")
    assert 'APT::Periodic::Unattended-Upgrade "1";' in auto


def test_kernel_hardening_is_applied(server: LabHost) -> None:
    virt = server.sudo("systemd-detect-virt").strip()
    if virt == "systemd-nspawn":
        pytest.skip(
            "NOT VERIFIED in this tier: a systemd-nspawn container shares the lab machine's "
            "kernel, so kernel.* sysctls cannot be set; make test-deploy-vm checks them in a VM"
        )
    expected = {
        "kernel.kptr_restrict": "2",
        "kernel.dmesg_restrict": "1",
        "net.ipv4.tcp_syncookies": "1",
        "net.ipv4.conf.all.rp_filter": "1",
        "net.ipv4.conf.all.accept_redirects": "0",
        "fs.protected_symlinks": "1",
    }
    actual = {key: server.sudo(f"sysctl -n {key}").strip() for key in expected}
    assert actual == expected
