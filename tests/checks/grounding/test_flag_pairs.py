"""Flag pairs (kurt.checks.grounding.flag_pairs): a short flag written with a long one the
sources pair with another."""

from kurt.checks.grounding.flag_pairs import paired_flag, pairs

OPTIONS = """# railway outbound-network

| Flag | Description |
|---|---|
| `-s, --service <SERVICE>` | Service to use |
| `-e, --environment <ENV>` | Environment to use |
| `-p, --project <PROJECT_ID>` | Project ID to use |
| `--json` | Output in JSON format |
"""


def test_the_pairs_a_reference_writes_are_read():
    assert pairs(OPTIONS) == {("-s", "--service"), ("-e", "--environment"),
                              ("-p", "--project")}


def test_a_short_flag_the_sources_pair_with_another_long_one_is_reported(check_against):
    sentence = "Pick the service with `{}, --service` and add `--json` for automation."
    assert check_against(sentence.format("-s"), OPTIONS) == []
    assert check_against(sentence.format("-p"), OPTIONS) == [
        'Flag "-p" is not paired with "--service" in the sources']


def test_the_short_flag_is_the_one_reported_when_both_are_the_sources():
    found = paired_flag("-p, --service", [OPTIONS])
    assert found is not None and found.suggestion() == 'the sources give "-s, --service"'
    # a long flag the sources never pair, written with a short flag they pair otherwise
    found = paired_flag("-e, --env-name <ENV>", [OPTIONS])
    assert found is not None and found.message(None) == \
        'Flag "--env-name" is not paired with "-e" in the sources'


def test_flags_written_alone_or_pairs_the_sources_do_not_give_are_left_alone(check_against):
    assert check_against("Add `-p` to name the project.", OPTIONS) == []
    assert paired_flag("-x, --verbose", [OPTIONS]) is None
    assert paired_flag("--json", [OPTIONS]) is None
