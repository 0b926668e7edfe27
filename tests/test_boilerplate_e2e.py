"""Boilerplate and copies end to end: the installed ``kurt`` on real folders of markdown pages."""

from __future__ import annotations

import json

import pytest

ANIMALS = ["kestrel", "marmot", "heron", "otter", "badger", "lynx", "puffin", "walrus", "bison"]
NOTICE = ("If playback doesn't begin shortly, try restarting your device. To avoid this, cancel and"
          " sign in to YouTube on your computer.")


def write_site(folder, animals):
    folder.mkdir(parents=True)
    for n, animal in enumerate(animals):
        (folder / f"{animal} notes.md").write_text(
            f"# Notes on the {animal}\n\n{NOTICE}\n\n## Field work\n\n"
            f"The {animal} survey counted {n + 3} nests along the river. Every {animal} nest was"
            f" measured twice, once in spring and once in autumn, by two different observers.\n\n"
            "### Subscribe to our newsletter\n\nGet the latest field notes every other week.\n",
            encoding="utf-8")


@pytest.fixture
def site(tmp_path, kurt):
    root = tmp_path / "ws"
    assert kurt("init", str(root), cwd=tmp_path).exit_code == 0
    write_site(tmp_path / "field notes", ANIMALS)
    result = kurt("content", "add", str(tmp_path / "field notes"), cwd=root)
    assert result.exit_code == 0, result.output
    return root


def search(kurt, root, query):
    result = kurt("content", "search", query, "--format", "json", cwd=root)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["passages"]


def test_a_notice_on_every_page_is_not_a_search_result(kurt, site):
    assert search(kurt, site, "youtube") == []
    assert search(kurt, site, "newsletter") == []
    hits = search(kurt, site, "otter nests")
    assert [h["url"].rsplit("/", 1)[-1] for h in hits if not h["partial"]] == ["otter notes.md"]
    assert NOTICE in next(site.glob("sources/local/*/otter notes.md")).read_text()  # kept in the file


def test_a_folder_copy_of_pages_shows_once(kurt, site, tmp_path):
    write_site(tmp_path / "export", ANIMALS[:3])
    assert kurt("content", "add", str(tmp_path / "export"), cwd=site).exit_code == 0
    hits = [h for h in search(kurt, site, "heron survey") if not h["partial"]]
    assert len(hits) == 1  # the page and its copy hold the one passage: shown once
