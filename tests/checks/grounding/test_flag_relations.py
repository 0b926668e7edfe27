"""Flag relations (kurt.checks.grounding.flag_relations): which flags the sources' options
rows say conflict with, imply or require which."""

from kurt.checks.grounding.flag_relations import source_relations
from kurt.checks.passages import file_passages

OPTIONS = """# railway metrics

| Flag | Description |
|------|-------------|
| `-s, --service <SERVICE>` | Service to view metrics for. Conflicts with `--all`. |
| `-a, --all` | Show metrics for all services in the project. Conflicts with `--raw`. |
| `-w, --watch` | Open a live dashboard. |
| `--tunnel-only` | Open the tunnel without a client. Implies `--ssh` |
| `--method <METHOD>` | Filter HTTP metrics by request method. Requires `--http`. |
"""


def test_the_options_rows_relations_are_read_with_both_names_of_a_flag():
    relations = source_relations(file_passages("sources/x/metrics.md", OPTIONS))
    assert relations.of["--all"]["conflicts with"][0] == {"--raw"}
    assert relations.of["-a"]["conflicts with"][0] == {"--raw"}
    assert relations.of["--tunnel-only"]["implies"][0] == {"--ssh"}
    assert relations.names_of("-w") == {"-w", "--watch"}
    assert relations.of["--all"]["conflicts with"][1].line_start == 6


def test_a_relation_the_sources_state_otherwise_is_reported(check_against):
    sentence = "Use `--all` for every service; `--all` conflicts with `{}`."
    assert check_against(sentence.format("--raw"), OPTIONS) == []
    assert check_against(sentence.format("--service"), OPTIONS) == []  # stated on --service
    assert check_against(sentence.format("--watch"), OPTIONS) == [
        'The sources do not say "--all" conflicts with "--watch"']
    assert check_against("`--tunnel-only` implies `--ssh`.", OPTIONS) == []
    assert check_against("`--method` requires `--all`.", OPTIONS) == [
        'The sources do not say "--method" requires "--all"']


def test_a_flag_whose_row_states_no_such_relation_is_left_alone(check_against):
    assert check_against("`--watch` conflicts with `--raw`.", OPTIONS) == []
    assert check_against("`-a` conflicts with `--raw`, and `-w` refreshes.", OPTIONS) == []
