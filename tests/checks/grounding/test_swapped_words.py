"""Swapped words (kurt.checks.grounding.swapped_words): a sentence that retells a source
sentence with one of its names changed."""

from kurt.checks.grounding.swapped_words import listed_together, source_sentences
from kurt.checks.passages import Passage

SOURCE = """# Agent

Every workspace holds projects, environments and services; a project has its own canvas.

The `--list` flag returns the agent threads tied to the current environment, with their
thread IDs, titles and last-updated timestamps.

Dify stores provider credentials encrypted in Postgres.

Redis holds the task queue of Dify.

You can start, stop or restart a service from the menu.

The worker stops the service when the deployment is removed from the canvas.
"""


def test_a_thing_swapped_for_another_of_its_kind_is_reported(check_against):
    sentence = "`--list` shows the threads tied to the current {}, with their IDs, titles " \
               "and last-updated times."
    assert check_against(sentence.format("environment"), SOURCE) == []
    assert check_against(sentence.format("project"), SOURCE) == [
        '"project" is not what the source sentence this retells says']


def test_a_name_swapped_for_another_name_is_reported(check_against):
    assert check_against("Dify stores provider credentials encrypted in Postgres.", SOURCE) == []
    assert check_against("Dify stores provider credentials encrypted in Redis.", SOURCE) == [
        '"Redis" is not what the source sentence this retells says']


def test_a_thing_named_before_the_same_word_is_one_of_a_kind(check_against):
    source = "Prefer a workspace token over an account token: it is scoped to the " \
             "workspace.\n\nA project token acts on one environment of the project.\n"
    assert check_against("Prefer a project token over an account token: it is scoped to the "
                         "workspace.", source) == [
        '"project" is not what the source sentence this retells says']
    # "live" is written before "view" as "interactive" is, but never as a thing of its own
    source = "The metrics command opens an interactive view of the service by default.\n\n" \
             "Logs stream in a live view.\n"
    assert check_against("The metrics command opens a live view of the service by default.",
                         source) == []


def test_a_verb_the_sources_list_with_another_is_rewording(check_against):
    # "start, stop or restart" are listed together, but they are actions, not things
    assert check_against("The worker restarts the service when the deployment is removed "
                         "from the canvas.", SOURCE) == []


def test_a_word_of_another_close_source_sentence_is_a_merge(check_against):
    source = SOURCE + "\nThe worker stops the project when the deployment is removed from the " \
                      "dashboard.\n"
    assert check_against("The worker stops the project when the deployment is removed from "
                         "the canvas.", source) == []


def test_two_changes_are_a_rewording_not_a_swap(check_against):
    assert check_against("`--list` shows the threads tied to the current project, with their "
                         "IDs, names and last-updated times.", SOURCE) == []


def test_a_short_form_or_a_longer_form_is_the_same_word(check_against):
    source = "The `--list` flag returns the agent threads tied to JavaScript services only.\n"
    assert check_against("The `--list` flag returns the agent threads tied to JS-based "
                         "services only.", source) == []


def test_a_word_that_ends_the_other_is_the_same_thing(check_against):
    source = "Every request to the chat route carries a `thread_id` for the conversation.\n"
    assert check_against("Every request to the chat route carries an ID for the "
                         "conversation.", source) == []


def test_a_table_row_is_read_as_one_sentence(check_against):
    source = "| Setting | Value | Default |\n| --- | --- | --- |\n" \
             "| `maxmemory-policy` | `allkeys-lru` for plain caches | `noeviction` |\n\n" \
             "Queues that keep expiring keys may use `volatile-lru` instead.\n"
    # headers of the writer's own: the column rule (table_rows) cannot match the columns
    row = "| Key | Policy | Fallback |\n| --- | --- | --- |\n" \
          "| `maxmemory-policy` | `{}` for plain caches | `noeviction` |"
    assert check_against(row.format("allkeys-lru"), source) == []
    assert check_against(row.format("volatile-lru"), source) == [
        '"volatile-lru" is not what the source sentence this retells says']


def test_a_capital_that_starts_a_cell_names_nothing(check_against):
    source = "| Command | Effect | Notes |\n| --- | --- | --- |\n" \
             "| `railway redeploy` | Creates a new deployment from the same source | CLI |\n"
    assert check_against("| Command | Effect | Notes |\n| --- | --- | --- |\n"
                         "| `railway redeploy` | Yes, a new deployment from the same source | "
                         "CLI |", source) == []


def test_a_row_copied_from_one_of_several_alike_is_the_one_it_copies(check_against):
    # a row copied as it is from a table whose rows differ by one word: no finding
    source = """The target values are `workspace` for compute usage and `agent` for Railway
Agent usage.

| Flag | Description |
|------|-------------|
| `--target workspace` | Required target for `set` |
| `--soft <DOLLARS>` | Optional email alert |

```bash
railway usage limit set --target agent --soft 7.50
```

| Flag | Description |
|------|-------------|
| `--target agent` | Required target for `set` |
| `--hard <DOLLARS>` | Required hard limit |
"""
    assert check_against("| Flag | Description |\n|------|-------------|\n"
                         "| `--target agent` | Required target for `set` |", source) == []


def test_source_sentences_are_read_outside_code_blocks():
    text = "Deploys run in order.\n\n```\nrailway up --detach now please\n```\nLogs stay " \
           "for seven days. Metrics stay\nfor thirty days.\n"
    sentences = source_sentences(Passage("s.md", 10, 16, text))
    assert [(s.line, s.last, s.raw[0]) for s in sentences] == [
        (10, 10, "Deploys"), (15, 16, "Logs"), (15, 16, "Metrics")]
    assert sentences[2].words == ("metric", "stai", "for", "thirti", "dai")


def test_lists_of_names_pair_their_items():
    pairs = listed_together([Passage("s.md", 1, 1, "Use projects, environments or services; "
                                     "and Redis/Valkey.")])
    assert frozenset(("project", "env")) in pairs  # stemmed, synonyms folded
    assert frozenset(("redi", "valkei")) in pairs


def test_a_sentence_copied_from_another_page_of_the_draft_is_no_swap():
    from kurt.checks.grounding import check_specifics
    from kurt.checks.passages import SectionSources, file_passages

    nextjs = "# Next.js\n\nDeploy a Next.js app to Railway from a GitHub repository in minutes." \
             "\n\nNext.js and Solid both build with `npm run build`.\n"
    solid = "# Solid\n\nDeploy a Solid app to Railway from a GitHub repository in minutes.\n"
    text = "---\nstatus: draft\n---\n\n# Guide\n\nDeploy a {} app to Railway from a GitHub " \
           "repository in minutes.\n"
    section = file_passages("sources/x/nextjs.md", nextjs)
    project = [p.with_scope("project") for p in file_passages("sources/x/solid.md", solid)]

    def found(name: str, passages) -> list[str]:
        body = text.format(name)
        sections = [SectionSources(1, body.count("\n") + 1, None, passages)]
        return [f.message for f in check_specifics(body, "projects/p/drafts/d.md", sections)]

    assert found("Solid", section) == [
        '"Solid" is not what the source sentence this retells says']
    assert found("Solid", section + project) == []  # the Solid page says it, word for word
