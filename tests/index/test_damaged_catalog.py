"""A catalog that is not a newsqa database is one line naming the file, and exit code 1."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.errors import IndexDamagedError
from assistant.index.catalog import Catalog


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ("chunks (id TEXT PRIMARY KEY, article_id TEXT)", "another schema"),  # columns missing
        ("articles (id TEXT PRIMARY KEY, headline TEXT)", "content_hash"),  # its index fails
    ],
)
def test_a_catalog_with_another_schema_names_the_file_and_what_is_missing(tmp_path, table, named):
    path = tmp_path / "catalog.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(f"CREATE TABLE {table}")
    with pytest.raises(IndexDamagedError, match="not a newsqa catalog") as raised:
        Catalog(path)
    assert str(path) in str(raised.value) and named in str(raised.value)


def test_garbage_in_catalog_sqlite_is_one_line_and_exit_code_1(
    tmp_path: Path, sample_index_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index = tmp_path / "index"
    shutil.copytree(sample_index_dir, index)
    for leftover in index.glob("catalog.sqlite-*"):
        leftover.unlink()
    (index / "catalog.sqlite").write_bytes(bytes(range(256)) * 20)
    code = main(["ask", "--index", str(index), "Who is joining BRICS?"])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert str(index / "catalog.sqlite") in err and "not a newsqa catalog" in err
