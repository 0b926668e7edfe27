"""Table rows (kurt.checks.grounding.table_rows): a value another source row gives."""

from kurt.checks.grounding.table_rows import cells, label_of, source_rows
from kurt.checks.passages import file_passages

SOURCE = """# Prefixes

Each framework exposes variables to the browser by a prefix.

| Framework | Prefix | Example |
|---|---|---|
| Vite (React, Vue) | `VITE_` | `VITE_API_URL` |
| **Astro** | `PUBLIC_` | `PUBLIC_API_URL` |
| Next.js | `NEXT_PUBLIC_` | `NEXT_PUBLIC_API_URL` |

| Plan | Retention |
|---|---|
| Pro | 720 hours |
| Enterprise | 360 hours |
"""


def test_a_value_another_row_of_the_sources_table_gives_is_reported(check_against):
    table = "| Framework | Prefix |\n|---|---|\n| Astro | `{}` |\n"
    assert check_against(table.format("PUBLIC_"), SOURCE) == []
    assert check_against(table.format("VITE_"), SOURCE) == [
        'Identifier "VITE_" is what the sources give for "Vite (React, Vue)", '
        'not "Astro"']
    plans = "| Plan | Retention |\n|---|---|\n| Pro | {} |\n"
    assert check_against(plans.format("720 hours"), SOURCE) == []
    assert check_against(plans.format("360 hours"), SOURCE) == [
        'Duration "360 hours" is what the sources give for "Enterprise", not "Pro"']


def test_a_row_the_sources_do_not_have_is_left_to_the_other_checks(check_against):
    table = "| Framework | Prefix |\n|---|---|\n| Remix | `VITE_` |\n"
    assert check_against(table.format("VITE_"), SOURCE) == []


def test_rows_are_read_by_their_labels():
    rows = source_rows(file_passages("sources/x/p.md", SOURCE))
    assert sorted(rows) == ["astro", "enterprise", "next.js", "pro", "vite (react, vue)"]
    assert rows["astro"][0].line == 8 and rows["astro"][0].header.startswith("| Framework")
    assert cells("| `a` | b \\| c |") == ["`a`", "b \\| c"]
    assert label_of("**[Astro](/guides/astro)**") == "astro"


DATABASES = """# Databases

| Database | Description |
| --- | --- |
| [**MySQL**](/databases/mysql) | Popular open source relational database |
| [**MySQL HA**](/databases/mysql-ha) | High-availability MySQL cluster with Group Replication failover |
| [**Redis**](/databases/redis) | In-memory data store for caching |
| [**Redis HA**](/databases/redis-ha) | High-availability Redis cluster with Sentinel failover |
"""


def test_a_label_joining_two_source_rows_is_compared_with_both(check_against):
    table = "| Database | Description |\n|---|---|\n| {} | the HA variant fails over with {} |\n"
    assert check_against(table.format("Redis / Redis HA", "Sentinel"), DATABASES) == []
    assert check_against(table.format("MySQL and MySQL HA", "Group Replication"),
                         DATABASES) == []
    assert check_against(table.format("Redis / Redis HA", "Group Replication"), DATABASES) == [
        'Name "Group Replication" is what the sources give for "MySQL HA", not "Redis / Redis HA"']
    # one of the joined labels is no row of the sources: left alone
    assert check_against(table.format("Redis / Valkey", "Group Replication"), DATABASES) == [
        'Name "Valkey" is not in the sources']


def test_a_linked_bold_label_is_read_as_its_text():
    assert label_of("[**Redis HA**](/databases/redis-ha)") == "redis ha"


VARIABLES = """# Variables

| Variable | Value |
| --- | --- |
| `DATABASE_URL` | `${{Postgres.DATABASE_URL}}` |
| `REDIS_CONNECTION_STRING` | `${{Redis.REDIS_URL}}` |
| `CLICKHOUSE_CLUSTER_ENABLED` | `false` |

Set `REDIS_URL` on the worker too.
"""


def test_a_row_of_the_sources_under_another_label_is_reported(check_against):
    table = "| Variable | Value |\n|---|---|\n| `{}` | `{}` |\n"
    assert check_against(table.format("REDIS_CONNECTION_STRING", "${{Redis.REDIS_URL}}"),
                         VARIABLES) == []
    assert check_against(table.format("REDIS_URL", "${{Redis.REDIS_URL}}"), VARIABLES) == [
        'Environment variable "REDIS_URL" labels a row the sources give as '
        '"REDIS_CONNECTION_STRING"']
    # a value that says little ("false") proves nothing; a label of the sources' rows is
    # compared by its own row
    assert check_against(table.format("REDIS_URL", "false"), VARIABLES) == []


def test_emphasis_is_markup_and_an_underscore_inside_a_name_is_not():
    from kurt.checks.grounding.table_rows import _shown

    assert _shown("`REDIS_URL`") == "REDIS_URL" and _shown("_emphasis_ here") == "emphasis here"


def test_a_value_under_a_column_where_the_sources_row_has_another_is_reported(check_against):
    # 8 is stated elsewhere (another page's "2, 4, 6 or 8"), but not in the Hobby row
    source = """| Plan | **Replicas** | **RAM** |
| --- | --- | --- |
| **Hobby** | **6** | **48 GB** |
| **Pro** | **42** | **1 TB** |

Redis replicas come in 2, 4, 6 or 8.
"""
    table = "| Plan | Replicas | RAM |\n| --- | --- | --- |\n| Hobby | {} | 48 GB |\n"
    assert check_against(table.format("6"), source) == []
    assert check_against(table.format("8"), source) == [
        'Number "8" is not what the sources give for "Hobby" under "Replicas"']
    # columns in another order are found by their headers
    moved = "| Plan | RAM | Replicas |\n| --- | --- | --- |\n| Hobby | 48 GB | {} |\n"
    assert check_against(moved.format("6"), source) == []
    assert check_against(moved.format("8"), source) == [
        'Number "8" is not what the sources give for "Hobby" under "Replicas"']
