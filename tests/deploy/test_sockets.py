"""The app instances behind nginx on Unix sockets: where nginx connects, who else may.

Each instance binds /run/example_api/<instance>.sock; nginx connects through
/srv/example_api/live.sock, a symlink to the live one, which a deploy repoints without
reloading nginx (test_releases.py). Only the app's user and nginx's group may connect, and
the app listens on no TCP port at all.
"""

from __future__ import annotations

import re

from tests.harness.labhost import LabHost

APP = "example_api"
LINK = f"/srv/{APP}/live.sock"


def _get_healthz(server: LabHost, user: str, socket_path: str) -> tuple[int, str]:
    """GET /healthz on a Unix socket as `user`: the exit code and the first response line."""
    client = (
        "import socket, sys; s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); "
        "s.sendall(b'GET /healthz HTTP/1.0\\r\\nHost: ' + sys.argv[2].encode() + b'\\r\\n\\r\\n'); "
        "print(s.recv(4096).decode().splitlines()[0])"
    )
    result = server.ssh(
        "deploy", f'sudo -n -u {user} python3 -c "{client}" {socket_path} {server.domain}'
    )
    return result.returncode, (result.stdout + result.stderr).strip()


def test_nginx_reaches_the_live_instance_through_the_link(server: LabHost) -> None:
    live = server.live_instance()
    socket_path = f"/run/{APP}/{live}.sock"
    assert server.sudo(f"readlink {LINK}").strip() == socket_path
    directory = server.sudo(f"stat -c '%U:%G %a %F' /run/{APP}").strip()
    assert directory == f"{APP}:www-data 2750 directory"
    assert server.sudo(f"stat -c '%U:%G %a %F' {socket_path}").strip() == (
        f"{APP}:www-data 770 socket"
    )
    # nginx's user connects through the link; a user outside the group cannot.
    code, line = _get_healthz(server, "www-data", LINK)
    assert code == 0, line
    assert line.split()[1:] == ["200", "OK"], line
    code, line = _get_healthz(server, "nobody", LINK)
    assert code != 0, line
    assert "PermissionError" in line, line
    # nginx proxies to the link, with no keep-alive connections to the app left idle on an
    # instance that is about to stop.
    site = server.sudo(f"cat /etc/nginx/sites-available/{APP}.conf")
    assert f"server unix:{LINK};" in site
    assert "keepalive " not in site.split("server {")[0]


def test_the_app_listens_on_no_tcp_port(server: LabHost) -> None:
    instance = server.live_instance()
    live = f"/run/{APP}/{instance}.sock"
    unix = [line for line in server.sudo("ss -Hxlp").splitlines() if live in line.split()]
    assert len(unix) == 1, unix
    # The live unit's processes (granian's main one and its workers) hold that socket, and
    # no TCP one.
    pids = set(re.findall(r"pid=(\d+)", unix[0]))
    main = server.sudo(f"systemctl show -p MainPID --value {APP}@{instance}").strip()
    assert main in pids, (main, unix)
    tcp = server.sudo("ss -Htlnp")
    assert not pids & set(re.findall(r"pid=(\d+)", tcp)), tcp
