"""The directory granian's workers share their metric values through: one per server start,
made before the workers start and removed when the server exits."""

from pathlib import Path

from example_api.metrics import processes


def test_a_new_directory_under_the_runtime_directory_per_start(tmp_path: Path) -> None:
    env = {"XDG_RUNTIME_DIR": str(tmp_path)}
    clean_up = processes.prepare(env)
    made = Path(env[processes.ENV])
    assert made.parent == tmp_path
    assert made.is_dir()
    assert not list(made.iterdir())
    other: dict[str, str] = {"XDG_RUNTIME_DIR": str(tmp_path)}
    processes.prepare(other)  # a second server beside it never shares its values
    assert other[processes.ENV] != env[processes.ENV]
    clean_up()
    assert not made.exists()


def test_without_a_runtime_directory_the_system_temporary_one(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)  # read TMPDIR again
    env: dict[str, str] = {}
    clean_up = processes.prepare(env)
    assert Path(env[processes.ENV]).parent == tmp_path
    clean_up()
    assert not list(tmp_path.iterdir())


def test_a_given_directory_is_emptied_of_old_values_and_kept(tmp_path: Path) -> None:
    (tmp_path / "counter_123.db").write_bytes(b"old")
    (tmp_path / "notes.txt").write_text("not ours")
    env = {processes.ENV: str(tmp_path)}
    clean_up = processes.prepare(env)
    assert env[processes.ENV] == str(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    clean_up()
    assert tmp_path.is_dir()
