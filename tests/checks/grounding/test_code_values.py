"""grounding/specific: what code in prose sets, beyond its names: reference variables
(``${{Postgres.DATABASE_URL}}``), the word after a flag (``-F t``), and the keys of a table
whose other keys the sources spell out (``build.buildCommand``)."""

from kurt.checks.grounding import check_specifics
from kurt.checks.grounding.code import code_specifics
from kurt.checks.passages import SectionSources, file_passages

SOURCE = """---
url: https://docs.example.com/migrate
---

# Migrate

Set `DATABASE_URL` to `${{Postgres.DATABASE_URL}}` so the app follows the database.

Restore the dump:

```bash
pg_restore -U postgres -h host -p 5432 -W -F t -d railway dump.tar
railway mcp install --agent claude-code --agent copilot
railway logs --service backend
```

Set a build command with `railway environment edit --service-config api build.buildCommand "npm run build"`,
or the builder with `build.builder`. A `deploy` table holds `startCommand`.
"""
PATH = "sources/docs.example.com/migrate.md"


def messages(body: str, vocabulary) -> list[str]:
    text = "---\nstatus: draft\n---\n\n# Guide\n\n" + body + "\n"
    sections = [SectionSources(1, text.count("\n") + 1, None, file_passages(PATH, SOURCE))]
    return [f.message for f in check_specifics(text, "projects/p/drafts/d.md", sections,
                                               vocabulary=vocabulary)]


def test_a_reference_variable_names_the_variable_it_reads():
    [ref] = code_specifics("${{Postgres.DATABASE_URL}}", 0, 26)
    assert (ref.kind, ref.key) == ("env-var", "DATABASE_URL")
    keys = [(s.kind, s.key) for s in code_specifics("API_URL=${{ shared.API_HOST }}", 0, 31)]
    assert ("env-var", "API_HOST") in keys
    assert ("env-var", "API_URL") in [(s.kind, s.key) for s in
                                      code_specifics("API_URL=${{api.PORT}}", 0, 21)]


def test_a_reference_to_a_variable_no_source_gives_is_reported(vocabulary):
    assert messages("Point `DATABASE_URL` at `${{Postgres.DATABASE_URL}}`.", vocabulary) == []
    assert messages("Point `DATABASE_URL` at `${{Postgres.DATABASE_PRIVATE_URL}}`.", vocabulary) \
        == ['Environment variable "DATABASE_PRIVATE_URL" is not in the sources']


def test_the_word_after_a_flag_must_be_one_the_sources_give_it(vocabulary):
    assert messages("Pass `-W` for a password prompt and `-F t` for a tar archive.", vocabulary) \
        == []
    assert messages("Pass `-W` for a password prompt and `-F d` for the archive.", vocabulary) \
        == ['Flag "-F d" is not in the sources']
    assert messages("Run `--agent claude-code --agent github-copilot` to pick both.", vocabulary) \
        == ['Flag "--agent github-copilot" is not in the sources']


def test_the_word_after_a_flag_may_be_the_writers_own_or_a_word_of_the_sources(vocabulary):
    # a service name the sources use elsewhere; a flag the sources never give a word after
    assert messages("Tail it with `railway logs --service backend`.", vocabulary) == []
    assert messages("Run `pg_restore -W railway` against the new host.", vocabulary) == []


def test_a_key_of_a_table_whose_keys_the_sources_spell_out_must_be_one_of_them(vocabulary):
    assert messages("Set `build.buildCommand` or `build.builder` on the service.", vocabulary) == []
    assert messages("Set `build.command` to `npm run build`.", vocabulary) \
        == ['Configuration key "build.command" is not in the sources']


def test_a_dotted_key_whose_table_the_sources_only_nest_is_read_part_by_part(vocabulary):
    # no source writes `deploy.` before a key: the parts are checked as before
    assert messages("Set `deploy.startCommand` for the start step.", vocabulary) == []
