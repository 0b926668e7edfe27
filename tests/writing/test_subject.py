"""A draft's subject matched flexibly: every word, stemmed, any order, aliases, phrase first."""

import pytest

from kurt.writing import drafts
from kurt.writing.subject import search_subject, subject_of
from tests.writing.conftest import make_corpus

PAGES = {
    "guides/db-snapshots": """---
title: Database snapshots
---

## Backups for Postgres

Backups for your Postgres service run daily; restore a backup step by step from the dashboard.
""",
    "guides/postgres-backups": """---
title: Postgres backups
---

## Restore

Postgres backups are kept for a week: restore one step by step from the dashboard.
""",
    "guides/postgres": """---
title: Postgres tuning
---

## Memory

Tune Postgres memory settings for large tables, step by step, from the dashboard.
""",
}


@pytest.mark.parametrize("text,count", [
    ("postgres backups", 1),
    ("Backups for your Postgres service run daily", 1),
    ("backing up is not a backup of postgres, postgres", 1),  # backup (stem), once
    ("postgres only", 0),
    ("Database snapshots > Backups for Postgres", 1),
    ("POSTGRES BACKUP and another postgres backup", 2),
])
def test_every_word_counts_in_any_order_and_case(text, count):
    assert subject_of(None, ["Postgres backups"]).count(text) == count


def test_exact_phrase_and_url_and_title():
    subject = subject_of(None, {"topic": "Postgres backups"})
    assert subject.exact("Our Postgres backups.") and not subject.exact("backups of postgres")
    assert subject.in_url("https://x.com/guides/postgres-backups")
    assert subject.in_url("https://x.com/postgres/backup-restore")
    assert not subject.in_url("https://x.com/guides/postgres")
    assert subject.titled("Backups for Postgres") and not subject.titled("Postgres tuning")


def test_aliases_from_the_index_count_in_passages_not_titles(store):
    with store.transaction() as conn:
        conn.execute("INSERT INTO entities (id, type, name, key) VALUES (1, 'Technology', 'PostgreSQL', 'postgresql')")
        conn.execute("INSERT INTO entity_aliases (alias_key, entity_id) VALUES ('pg', 1)")
    subject = subject_of(store, ["pg backups"])
    assert subject.count("Backups of a PostgreSQL database") == 1
    assert subject.count("Backups of a PostgreSQL database", aliases=False) == 0


def test_search_finds_the_words_apart_and_ranks_the_phrase_first(workspace, store):
    make_corpus(workspace, store, PAGES)
    subject = subject_of(store, ["Postgres backups"])
    hits = search_subject(store, subject, "restore", None, limit=5, per_document=1)
    urls = [h.url.rsplit("/", 1)[-1] for h in hits]
    assert urls == ["postgres-backups", "db-snapshots"]  # tuning names Postgres only


def test_proposals_find_a_multi_word_subject_written_apart(workspace, store):
    make_corpus(workspace, store, PAGES)
    outline = [drafts.OutlineEntry("setup-guide", "step-by-step restore")]
    proposed, warnings = drafts.propose_sources(workspace, store, outline,
                                                {"topic": "Postgres backups"})
    paths = outline[0].sources
    assert not warnings
    assert "sources/docs.example.com/guides/postgres-backups.md" in paths
    assert "sources/docs.example.com/guides/db-snapshots.md" in paths
    assert all("guides/postgres.md" not in p for p in paths)
