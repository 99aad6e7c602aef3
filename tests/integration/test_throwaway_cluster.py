"""The finder's third option, for real: a throwaway cluster in a temporary directory."""

import os
import subprocess
import sys

import pytest

from tests.integration import database


@pytest.mark.skipif(database.server_programs() is None, reason="needs initdb and pg_ctl")
def test_a_throwaway_cluster_starts_answers_and_is_removed():
    env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}
    probe = (
        "import os, psycopg; "
        "c = psycopg.connect(os.environ['DATABASE_URL']); "
        "print(c.execute('show data_directory').fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "-m", "tests.integration.database", "--", sys.executable, "-c", probe],
        env={**env, "PATH": env["PATH"].replace("/usr/bin/docker", "")},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    data_directory = result.stdout.strip()
    assert "slipway-pg-" in data_directory
    assert not os.path.exists(data_directory)  # stopped and removed
    assert "throwaway cluster stopped and removed" in result.stderr
