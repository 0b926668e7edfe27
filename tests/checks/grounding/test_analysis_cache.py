"""The source analyses of the grounding checks kept between runs (.kurt/checks-cache.sqlite).

Real runs of ``kurt.checks.runner.check`` on the railway workspace with the
Postgres integration draft (its PgBouncer sentence changed to a wrong number):
the second run reads what the first one wrote, an edited source is read again
(and its new text decides the finding), a corrupt file is rebuilt, a read-only
workspace is checked without the cache, and the findings are the same with and
without it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kurt.checks.grounding.analysis_cache import FILE_NAME, AnalysisCache
from kurt.checks.passages import Passage
from kurt.checks.runner import CheckOptions, check
from kurt.workspace import Workspace
from tests.checks.postgres_draft import DRAFT, FIXTURES, PGBOUNCER, RIGHT, WRONG
from tests.readonly import read_only


@pytest.fixture(scope="module")
def launch(railway_workspace_template, tmp_path_factory) -> Path:
    from kurt.writing.projects import create_project

    root = tmp_path_factory.mktemp("analysis-cache") / "ws"
    shutil.copytree(railway_workspace_template.root, root)
    create_project(Workspace(root), "launch", "Postgres page")
    text = (FIXTURES / "integration-page-postgres.md").read_text(encoding="utf-8")
    assert RIGHT in text
    (root / DRAFT).write_text(text.replace(RIGHT, WRONG), encoding="utf-8")
    return root


@pytest.fixture
def ws(launch, tmp_path) -> Workspace:
    root = tmp_path / "ws"
    shutil.copytree(launch, root)
    return Workspace(root)


def run(ws: Workspace, *, cache: bool = True):
    store = ws.open_store()
    try:
        report = check(ws, [DRAFT], CheckOptions(rules=("grounding",), analysis_cache=cache),
                       store=store)
    finally:
        store.close()
    return report, report.stats["analysis_cache"]


def specifics(report) -> list[tuple]:
    return [(f.line, f.column, f.message) for f in report.findings
            if f.rule == "grounding/specific"]


def test_the_second_run_reads_what_the_first_wrote(ws):
    first, stats = run(ws)
    assert (stats.status, stats.hits) == ("on", 0)
    assert stats.written > 0 and (ws.state_dir / FILE_NAME).is_file()
    second, stats = run(ws)
    assert stats.status == "on"
    assert stats.hits >= first.stats["analysis_cache"].written
    assert stats.written == 0  # nothing new to keep
    assert first.findings == second.findings
    assert any("50" in message for _, _, message in specifics(second))


def test_findings_are_the_same_without_the_cache(ws):
    cold, stats = run(ws, cache=False)
    assert (stats.status, stats.hits, stats.written) == ("off", 0, 0)
    assert not (ws.state_dir / FILE_NAME).exists()
    run(ws)
    warm, stats = run(ws)
    assert stats.hits > 0
    assert specifics(cold) and cold.findings == warm.findings


def test_an_edited_source_is_read_again(ws):
    from kurt.index.sections import replace_sections, split_sections

    before, _ = run(ws)
    assert any("50" in message for _, _, message in specifics(before))
    # the source now says 50: re-index it, as an ingest of the changed page does
    path = ws.root / PGBOUNCER
    text = path.read_text(encoding="utf-8").replace("20 real connections", "50 real connections")
    assert "50 real connections" in text
    path.write_text(text, encoding="utf-8")
    store = ws.open_store()
    try:
        doc_id = store.query_one("SELECT id FROM documents WHERE content_path = ?",
                                 (PGBOUNCER,))["id"]
        with store.transaction() as conn:
            replace_sections(conn, doc_id, split_sections(text))
    finally:
        store.close()
    after, stats = run(ws)
    assert stats.written > 0  # the edited passages were analysed and kept anew
    assert not any("50" in message for _, _, message in specifics(after))


def test_a_corrupt_cache_file_is_rebuilt(ws):
    before, _ = run(ws, cache=False)
    cache_file = ws.state_dir / FILE_NAME
    cache_file.write_bytes(b"this is not a database" * 100)
    report, stats = run(ws)
    assert stats.status == "rebuilt" and stats.written > 0
    assert report.findings == before.findings
    _, stats = run(ws)
    assert stats.status == "on" and stats.hits > 0


def test_a_damaged_entry_is_a_miss(ws):
    import sqlite3

    run(ws)
    conn = sqlite3.connect(ws.state_dir / FILE_NAME)
    conn.execute("UPDATE analysis SET data = X'80049500'")  # a pickle cut short
    conn.commit()
    conn.close()
    before, _ = run(ws, cache=False)
    report, stats = run(ws)
    assert stats.hits == 0 and stats.written > 0
    assert report.findings == before.findings


def test_an_entry_that_would_run_code_is_refused(tmp_path):
    import pickle

    from kurt.checks.grounding.analysis_cache import _unpickle

    class Boom:
        def __reduce__(self):
            return (shutil.rmtree, (str(tmp_path),))

    assert _unpickle(pickle.dumps(("facts", Boom()))) is None
    assert tmp_path.exists()


def test_a_read_only_workspace_is_checked_without_writing(ws):
    before, _ = run(ws, cache=False)
    with read_only(ws.root):
        report, stats = run(ws)
    assert stats.status == "off" and stats.written == 0
    assert report.findings == before.findings
    assert not (ws.state_dir / FILE_NAME).exists()


def test_a_read_only_workspace_still_reads_an_existing_cache(ws):
    run(ws)
    with read_only(ws.root):
        report, stats = run(ws)
    assert stats.status == "read-only" and stats.hits > 0 and stats.written == 0


def test_keys_follow_the_text_the_vocabulary_and_the_version(ws, monkeypatch):
    import kurt.checks.grounding.analysis_cache as module

    passage = Passage(PGBOUNCER, 10, 12, "PgBouncer keeps 20 real connections.")
    edited = Passage(PGBOUNCER, 10, 12, "PgBouncer keeps 50 real connections.")
    cache = AnalysisCache.open(ws)
    assert cache.key(passage, "facts") != cache.key(edited, "facts")
    assert cache.key(passage, "facts") != cache.key(passage, "windows")
    from kurt.index.vocabulary import load_vocabulary

    with_vocabulary = AnalysisCache.open(ws, load_vocabulary(ws))
    assert with_vocabulary.key(passage, "facts") != cache.key(passage, "facts")
    version = module.ANALYSER_VERSION
    monkeypatch.setattr(module, "ANALYSER_VERSION", "next")
    assert AnalysisCache.open(ws).key(passage, "facts") != cache.key(passage, "facts")
    monkeypatch.setattr(module, "ANALYSER_VERSION", version)
    assert AnalysisCache.open(ws).key(passage, "facts") == cache.key(passage, "facts")
    # the analyser's code is part of the key: other code (here: fewer modules), other keys
    monkeypatch.setattr(module, "ANALYSER_MODULES", module.ANALYSER_MODULES[1:])
    assert AnalysisCache.open(ws).key(passage, "facts") != cache.key(passage, "facts")
    cache.close()
    with_vocabulary.close()


def test_the_benchmark_drafts_get_the_same_findings_with_and_without_the_cache(
        railway_workspace):
    """Three drafts of bench/bench_checks.py (50 sources each, in one project): cold, filling
    the cache, and warm give the same findings."""
    import importlib.util
    import random

    from kurt.writing.projects import create_project

    spec = importlib.util.spec_from_file_location(
        "bench_checks", Path(__file__).resolve().parents[3] / "bench" / "bench_checks.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    ws = railway_workspace
    create_project(ws, "bench", "Benchmark the draft checks")
    store = ws.open_store()
    docs = [r["content_path"] for r in store.query(
        "SELECT content_path FROM documents WHERE status = 'FETCHED' ORDER BY content_path")]
    store.close()
    docs = [d for d in docs if len(bench.sentences(ws, d)) >= 3]
    rng = random.Random(9)
    for index in range(3):
        bench.make_draft(ws, rng.sample(docs, 50), 1500, index, rng)

    def findings(cache: bool):
        store = ws.open_store()
        try:
            report = check(ws, ["bench"], CheckOptions(analysis_cache=cache), store=store)
        finally:
            store.close()
        return report.findings, report.stats["analysis_cache"]

    cold, _ = findings(False)
    filling, stats = findings(True)
    assert stats.written > 0
    warm, stats = findings(True)
    assert stats.hits > 0 and stats.written == 0
    assert cold and cold == filling == warm


def test_concurrent_commands_share_the_cache(ws):
    """Three ``kurt draft check`` processes at once on an empty cache: each gives the same
    findings, and a run after them reads what they kept."""
    from concurrent.futures import ThreadPoolExecutor

    from tests.conftest import run_kurt

    def command(_):
        return run_kurt("draft", "check", DRAFT, "--rule", "grounding", "--format", "json",
                        cwd=ws.root)

    alone, _ = run(ws, cache=False)
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(command, range(3)))
    assert [r.exit_code for r in results] == [1, 1, 1], [r.stderr for r in results]
    assert all("Traceback" not in r.stderr for r in results)
    found = [[(f["rule"], f["line"], f["column"], f["message"]) for f in r.json()["findings"]]
             for r in results]
    assert found[0] == found[1] == found[2]
    assert found[0] == [(f.rule, f.line, f.column, f.message) for f in alone.findings]
    report, stats = run(ws)
    assert stats.hits > 0 and report.findings == alone.findings


def test_entries_of_another_analyser_or_vocabulary_are_dropped(ws):
    import sqlite3

    def rows() -> int:
        conn = sqlite3.connect(ws.state_dir / FILE_NAME)
        try:
            return conn.execute("SELECT COUNT(*) FROM analysis").fetchone()[0]
        finally:
            conn.close()

    _, stats = run(ws)
    assert rows() == stats.written > 0
    AnalysisCache.open(ws, vocabulary=None).close()  # the run's vocabulary is not None
    assert rows() == 0


def test_a_first_run_reads_the_sources_in_two_processes_with_the_same_findings(ws, monkeypatch):
    import kurt.checks.grounding.analysis_cache as analysis_cache
    import kurt.checks.grounding.family as family

    monkeypatch.setattr(family, "PASSAGES_PER_WORKER", 10)  # the draft's few sources: shared
    calls = []
    original = analysis_cache.start_reading

    def spy(passages, vocabulary, count, windows, facts, stored=None):
        calls.append((len(passages), count))
        return original(passages, vocabulary, count, windows, facts, stored)

    # one draft is checked in this process: the readers start in prepare, the other
    # families check the draft meanwhile, and the grounding check waits for them
    monkeypatch.setattr(analysis_cache, "start_reading", spy)
    store = ws.open_store()
    try:
        one = check(ws, [DRAFT], CheckOptions(rules=("grounding",), jobs=1), store=store)
        (ws.state_dir / FILE_NAME).unlink()
        two = check(ws, [DRAFT], CheckOptions(rules=("grounding",), jobs=2), store=store)
        again = check(ws, [DRAFT], CheckOptions(rules=("grounding",), jobs=2), store=store)
    finally:
        store.close()
    assert two.findings == one.findings == again.findings
    assert len(calls) == 1 and calls[0][0] >= 20 and calls[0][1] == 2  # the first run only
    assert two.stats["analysis_cache"].written > 0  # what the two processes read, kept at once
    assert again.stats["analysis_cache"].written == 0


def test_missing_names_the_passages_the_file_lacks(ws):
    from kurt.checks.grounding.analysis_cache import read_in_processes

    passages = [Passage(f"sources/x/{n}.md", 1, 2, f"Deploy {n} replicas with the CLI.\n",
                        scope)
                for n, scope in ((1, "section"), (2, "draft"), (3, "project"), (4, "section"))]
    cache = AnalysisCache.open(ws)
    try:
        assert cache.missing(passages) == passages
        windows, facts = {}, {}
        assert read_in_processes(passages, None, 2, windows, facts)
        assert len(windows) == 4 and len(facts) == 3  # the project's facts are read on demand
        assert facts[("sources/x/4.md", 1, 2)].numbers
        cache.save(passages, windows, facts)
        assert cache.missing(passages) == []
        edited = Passage("sources/x/1.md", 1, 2, "Deploy 5 replicas.\n", "section")
        assert cache.missing([edited, *passages[1:]]) == [edited]
    finally:
        cache.close()
    assert AnalysisCache.disabled().missing(passages) == passages


def test_the_reading_processes_keep_what_they_read_in_the_cache(ws):
    from kurt.checks.grounding.analysis_cache import read_in_processes

    passages = [Passage(f"sources/x/{n}.md", 1, 2, f"Deploy {n} replicas on port 80{n}.\n",
                        "project" if n == 3 else "section") for n in range(1, 7)]
    cache = AnalysisCache.open(ws)
    try:
        windows, facts = {}, {}
        assert read_in_processes(passages, None, 2, windows, facts, cache)
        assert cache.missing(passages) == []  # written by the two readers, not by the parent
        assert cache.stats.written == 6 + 5
        cache.save(passages, windows, facts)  # nothing left to write
        assert cache.stats.written == 11
        assert facts[("sources/x/2.md", 1, 2)].numbers
    finally:
        cache.close()
    again = AnalysisCache.open(ws)
    try:
        windows2, facts2 = {}, {}
        again.load(passages, windows2, facts2)
        assert again.stats.hits == 11 and set(windows2) == set(windows)
        assert [w.terms for w in windows2[("sources/x/5.md", 1, 2)]] == \
            [w.terms for w in windows[("sources/x/5.md", 1, 2)]]
    finally:
        again.close()


def test_readers_a_run_no_longer_needs_are_stopped(ws):
    import multiprocessing

    from kurt.checks.grounding.analysis_cache import start_reading

    passages = [Passage(f"sources/x/{n}.md", 1, 2, f"Deploy {n} replicas.\n", "section")
                for n in range(8)]
    windows, facts = {}, {}
    reading = start_reading(passages, None, 2, windows, facts)
    assert reading is not None
    reading.cancel()
    reading.cancel()  # once is enough; twice is harmless
    reading.finish()  # a cancelled reading adds nothing
    assert windows == {} and facts == {}
    assert not [p for p in multiprocessing.active_children() if p.is_alive()]


def test_a_reader_that_fails_leaves_the_checks_to_read_the_sources_themselves(ws, monkeypatch):
    import kurt.checks.grounding.analysis_cache as analysis_cache
    import kurt.checks.grounding.family as family

    monkeypatch.setattr(family, "PASSAGES_PER_WORKER", 10)
    store = ws.open_store()
    try:
        one = check(ws, [DRAFT], CheckOptions(rules=("grounding",), jobs=1), store=store)
        (ws.state_dir / FILE_NAME).unlink()

        def broken(number):
            raise RuntimeError("a reader died")

        monkeypatch.setattr(analysis_cache, "_read_share", broken)
        two = check(ws, [DRAFT], CheckOptions(rules=("grounding",), jobs=2), store=store)
    finally:
        store.close()
    assert two.findings == one.findings
