"""kurt.ingest.files: safe, collision-free source paths, written atomically."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kurt.errors import KurtError
from kurt.ingest.files import (
    RACY_SECONDS,
    claim_paths,
    content_path_for,
    copy_state,
    limit_segment,
    markdown_hash,
    render_source,
    resolve_collision,
    signature_of,
    trusted_signature,
    write_source,
)
from kurt.store.documents import Document, document_id


def web(url: str, domain: str = "docs.example.com") -> Document:
    return Document(id=document_id(url), url=url, source_kind="web", domain=domain, discovered_at="")


def local(path: str, root: str) -> Document:
    return Document(id=document_id("file://" + path), url="file://" + path, source_kind="file",
                    domain="local", discovered_at="", source_path=path, source_root=root)


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://docs.example.com/", "sources/docs.example.com/index.md"),
        ("https://docs.example.com", "sources/docs.example.com/index.md"),
        ("https://docs.example.com/guides/", "sources/docs.example.com/guides/index.md"),
        ("https://docs.example.com/guides/setup", "sources/docs.example.com/guides/setup.md"),
        ("https://docs.example.com/a/b.html", "sources/docs.example.com/a/b.md"),
        ("https://docs.example.com/../../etc/passwd", "sources/docs.example.com/etc/passwd.md"),
        ("https://docs.example.com/%2e%2e/%2E%2E/etc/x", "sources/docs.example.com/etc/x.md"),
        ("https://docs.example.com/a%2f..%2f..%2fb", "sources/docs.example.com/a/b.md"),
        ("https://docs.example.com/a\\..\\..\\b", "sources/docs.example.com/a/b.md"),
        ("https://docs.example.com/a:b*c?d", None),  # query handled below
        ("https://docs.example.com/con", "sources/docs.example.com/_con.md"),
        ("https://docs.example.com/.hidden", "sources/docs.example.com/hidden.md"),
    ],
)
def test_web_paths(url, path):
    result = content_path_for(web(url))
    assert result.startswith("sources/docs.example.com/")
    assert ".." not in result.split("/")
    if path:
        assert result == path


def test_query_string_is_folded_into_the_name_with_a_hash():
    a = content_path_for(web("https://docs.example.com/search?q=a&page=2"))
    b = content_path_for(web("https://docs.example.com/search?q=b&page=2"))
    assert a != b
    assert a.startswith("sources/docs.example.com/search_q-a_page-2-") and a.endswith(".md")
    assert "?" not in a and "&" not in a


def test_unsafe_characters_are_replaced():
    result = content_path_for(web('https://docs.example.com/a:b*c"d<e>f|g'))
    assert result == "sources/docs.example.com/a_b_c_d_e_f_g.md"


def test_long_segments_are_cut_with_a_hash():
    long_a = "x" * 300 + "a"
    long_b = "x" * 300 + "b"
    a = content_path_for(web(f"https://docs.example.com/{long_a}"))
    b = content_path_for(web(f"https://docs.example.com/{long_b}"))
    assert a != b
    assert all(len(part.encode()) <= 123 for part in a.split("/"))


def test_limit_segment_respects_multibyte_characters():
    cut = limit_segment("é" * 200, 60)
    assert len(cut.encode("utf-8")) <= 60
    cut.encode("utf-8").decode("utf-8")


def test_collisions_get_the_document_id():
    claimed: dict[str, str] = {}
    first = resolve_collision("sources/x/a.md", "aaaaaaaaaaaa", claimed)
    second = resolve_collision("sources/x/a.md", "bbbbbbbbbbbb", claimed)
    case = resolve_collision("sources/x/A.md", "cccccccccccc", claimed)
    assert first == "sources/x/a.md"
    assert second == "sources/x/a-bbbbbbbb.md"
    assert case == "sources/x/A-cccccccc.md"
    assert resolve_collision("sources/x/a.md", "aaaaaaaaaaaa", claimed) == "sources/x/a.md"


@pytest.mark.parametrize("first", ["/q.md/", "/q"])
def test_a_file_and_a_folder_of_the_same_name_get_two_paths(first):
    second = "/q" if first == "/q.md/" else "/q.md/"
    docs = [web(f"https://docs.example.com{p}") for p in (first, second)]
    claimed: dict[str, str] = {}
    paths = [resolve_collision(content_path_for(d), d.id, claimed) for d in docs]
    assert paths[0] == content_path_for(docs[0])
    assert paths[1] != content_path_for(docs[1])
    by_url = dict(zip((first, second), paths, strict=True))
    file, folder = by_url["/q"], by_url["/q.md/"]
    assert not folder.lower().startswith(file.lower() + "/")  # q.md cannot be a file and a folder


@pytest.mark.parametrize(
    ("stored", "new", "expected"),
    [
        ("sources/x/q.md", "sources/x/q.md/index.md", "sources/x/q.md-{id}/index.md"),
        ("sources/x/q.md/index.md", "sources/x/q.md", "sources/x/q-{id}.md"),
        ("sources/x/a/b.md/c/d.md", "sources/x/a/B.md", "sources/x/a/B-{id}.md"),  # any depth, any case
        ("sources/x/a/b.md", "sources/x/a/b.md/c/d.md", "sources/x/a/b.md-{id}/c/d.md"),
        ("sources/x/a.md", "sources/x/ab.md", "sources/x/ab.md"),  # a prefix of a name is no folder
    ],
)
def test_stored_paths_are_claimed_with_their_folders(stored, new, expected):
    claimed = claim_paths([(stored, "aaaaaaaaaaaa")])
    assert resolve_collision(new, "bbbbbbbbbbbb", claimed) == expected.format(id="bbbbbbbb")
    assert resolve_collision(stored, "aaaaaaaaaaaa", claimed) == stored  # its owner keeps it


def test_local_files_keep_their_folder_structure():
    root = "/data/handbook"
    a = content_path_for(local("/data/handbook/guides/setup.md", root))
    b = content_path_for(local("/data/handbook/reference/setup.mdx", root))
    assert a == "sources/local/handbook/guides/setup.md"
    assert b == "sources/local/handbook/reference/setup.md"


def test_write_source_has_frontmatter(tmp_path: Path):
    target = write_source(tmp_path, "sources/x/a.md", "# A\n\ntext\n",
                          {"url": "https://x/a", "title": "A", "fetched_at": "2024-01-01T00:00:00Z",
                           "content_hash": "abc"})
    text = target.read_text()
    assert text.startswith("---\nurl: https://x/a\ntitle: A\n")
    assert text.endswith("---\n\n# A\n\ntext\n")
    assert not list(target.parent.glob(".*.tmp"))


def test_write_source_refuses_paths_outside_sources(tmp_path: Path):
    with pytest.raises(KurtError):
        write_source(tmp_path, "sources/../escape.md", "x", {})
    assert not (tmp_path / "escape.md").exists()


def test_write_source_into_a_folder_leaves_no_temporary_file(tmp_path: Path):
    (tmp_path / "sources/x/q.md").mkdir(parents=True)  # a folder where the file should go
    with pytest.raises(OSError):
        write_source(tmp_path, "sources/x/q.md", "# Q\n", {})
    assert sorted(p.name for p in (tmp_path / "sources/x").iterdir()) == ["q.md"]


SECOND = 1_000_000_000


@pytest.mark.parametrize(
    ("age_ns", "trusted"),
    [(0, False), (RACY_SECONDS * SECOND - 1, False), (RACY_SECONDS * SECOND, True), (3600 * SECOND, True),
     (-SECOND, False)],  # a modified time in the future is not trusted either
)
def test_a_signature_is_trusted_once_the_write_is_racy_seconds_old(tmp_path: Path, age_ns, trusted):
    path = tmp_path / "a.md"
    path.write_text("x")
    st = path.stat()
    expected = f"{st.st_size}:{st.st_mtime_ns}" if trusted else None
    assert trusted_signature(st, now_ns=st.st_mtime_ns + age_ns) == expected


@pytest.fixture
def copy(tmp_path: Path):
    markdown = "# A\n\nCafé text.\n"
    path = tmp_path / "sources" / "x" / "a.md"
    path.parent.mkdir(parents=True)
    path.write_text(render_source(markdown, {"url": "https://x/a"}), encoding="utf-8")
    return path, markdown_hash(path.read_text(encoding="utf-8"))


def test_copy_state_hashes_a_file_without_a_signature(copy):
    path, digest = copy
    check = copy_state(path, digest)
    assert check.intact and check.read and check.markdown_hash == digest
    path.write_text(path.read_text().replace("text", "txet"))  # same size, same second
    assert copy_state(path, digest).state == "edited"


def test_copy_state_trusts_a_matching_signature_without_reading(copy):
    path, digest = copy
    check = copy_state(path, digest, signature_of(path.stat()))
    assert check.intact and not check.read


def test_copy_state_of_a_missing_file(copy):
    path, digest = copy
    path.unlink()
    assert copy_state(path, digest).state == "missing"


def test_copy_state_of_invalid_utf8_is_edited(copy):
    path, digest = copy
    path.write_bytes(path.read_bytes().replace("é".encode(), b"\xe9"))
    assert copy_state(path, digest).state == "edited"


def test_copy_state_of_a_fifo_does_not_block(copy):
    path, digest = copy
    path.unlink()
    os.mkfifo(path)
    check = copy_state(path, digest)
    assert check.state == "edited" and check.markdown_hash is None
