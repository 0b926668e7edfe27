"""kurt.installed: the record under .kurt/ of the files Kurt wrote, with their hashes."""

from __future__ import annotations

import hashlib
import json

import pytest

from kurt.installed import InstallRecord, sha256

RECORD = InstallRecord("things.json", "things")


def test_a_missing_record_is_empty(workspace):
    assert RECORD.read(workspace) == {} and not RECORD.exists(workspace)


def test_write_then_read_gives_the_hashes_back_sorted(workspace):
    RECORD.write(workspace, {"b.md": "2", "a.md": "1"})
    data = json.loads(RECORD.path(workspace).read_text())
    assert data == {"version": 1, "things": {"a.md": "1", "b.md": "2"}}
    assert list(data["things"]) == ["a.md", "b.md"]
    assert RECORD.read(workspace) == {"a.md": "1", "b.md": "2"}


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", '{"version": 1}',
                                  '{"things": {"a.md": 3, "b.md": "h"}}'])
def test_a_damaged_record_counts_as_unknown(workspace, text):
    RECORD.path(workspace).parent.mkdir(parents=True, exist_ok=True)
    RECORD.path(workspace).write_text(text)
    expected = {"b.md": "h"} if "b.md" in text else {}
    assert RECORD.read(workspace) == expected


def test_records_of_different_kinds_do_not_mix(workspace):
    RECORD.write(workspace, {"a.md": "1"})
    assert InstallRecord("other.json", "things").read(workspace) == {}
    assert InstallRecord("things.json", "files").read(workspace) == {}


def test_sha256_hashes_text_as_utf8():
    assert sha256("café") == sha256("café".encode()) == hashlib.sha256("café".encode()).hexdigest()
