"""The history database file: creation, ordered migrations, newer-version refusal, corruption."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from imgdesk.core.errors import ErrorKind, ImgdeskError
from imgdesk.core.paths import app_paths
from imgdesk.core.store import Store
from imgdesk.core.store.db import SCHEMA_VERSION, Database


def _db_path() -> Path:
    return app_paths().database


def test_new_database_is_current_wal_with_foreign_keys() -> None:
    with Store.open() as store:
        assert store.db.version == SCHEMA_VERSION
        with store.db.read() as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert store.notice is None
        assert store.db.integrity_ok()


def test_migration_from_version_1_keeps_rows_and_adds_columns() -> None:
    path = _db_path()
    old = Database(path, target_version=1)
    with old.write() as conn:
        conn.execute(
            "INSERT INTO nodes (id, kind, prompt, status, created, updated) "
            "VALUES ('n1', 'root', 'kept', 'done', 1, 1)"
        )
        columns = {row[1] for row in conn.execute("PRAGMA table_info(nodes)")}
    assert old.version == 1
    assert "notice" not in columns
    old.close()

    with Store.open() as store:
        assert store.db.version == SCHEMA_VERSION == 2
        node = store.history.get("n1")
        assert node.prompt == "kept"
        assert node.notice is None
        with store.db.read() as conn:
            indexes = {row[1] for row in conn.execute("PRAGMA index_list(nodes)")}
        assert "nodes_by_status" in indexes


def test_newer_database_is_refused_and_left_untouched() -> None:
    path = _db_path()
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    siblings = sorted(p.name for p in path.parent.iterdir())

    with pytest.raises(ImgdeskError) as caught:
        Store.open()

    assert caught.value.kind is ErrorKind.CONFIG
    assert "newer imgdesk" in caught.value.message
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == siblings


def _damaged_pages(tmp: Path) -> bytes:
    """A real history database whose table pages were overwritten: the header still says SQLite."""
    with Store.open(app_paths(tmp)) as store:
        with store.db.write() as conn:
            for index in range(300):
                conn.execute(
                    "INSERT INTO nodes (id, kind, prompt, status, created, updated) "
                    "VALUES (?, 'root', ?, 'done', 1, 1)",
                    (f"n{index}", "x" * 200),
                )
        with store.db.read() as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(app_paths(tmp).database.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page * 2 : page * 6] = b"\x5a" * (page * 4)
    return bytes(data)


@pytest.mark.parametrize("kind", ["not-sqlite", "damaged-pages"])
def test_corrupt_database_is_backed_up_never_overwritten(tmp_path: Path, kind: str) -> None:
    if kind == "not-sqlite":
        damage = b"this is not a database at all" * 100
    else:
        damage = _damaged_pages(tmp_path / "source")
    path = _db_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(damage)

    with Store.open() as store:
        assert store.notice is not None
        assert "damaged" in store.notice
        backup = store.db.backup
        assert backup is not None
        assert backup.name.startswith("imgdesk.sqlite3.corrupt-")
        assert backup.read_bytes() == damage
        assert store.db.version == SCHEMA_VERSION
        assert store.history.count() == 0

    # A second damaged file gets its own backup; the first one stays as it was.
    path.unlink()
    for side in path.parent.glob("imgdesk.sqlite3-*"):
        side.unlink()
    path.write_bytes(b"second damage" * 50)
    with Store.open() as store:
        second = store.db.backup
    assert second is not None
    assert second != backup
    assert backup.read_bytes() == damage
    assert second.read_bytes() == b"second damage" * 50
