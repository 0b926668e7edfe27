import pytest

from kurt.checks.vale.vocab import load_vocabularies, read_terms
from kurt.errors import ConfigError


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_vale3_and_vale2_layouts_are_both_read(tmp_path):
    styles = tmp_path / "styles"
    write(styles / "config" / "vocabularies" / "Product" / "accept.txt",
          "# product names\nRailway\n[Oo]bservability\n\n")
    write(styles / "config" / "vocabularies" / "Product" / "reject.txt", "Railways\n")
    write(styles / "Vocab" / "Legacy" / "accept.txt", "Nixpacks\nRailway\n")
    vocab = load_vocabularies(["Product", "Legacy"], [styles])
    assert vocab.accepted == ["Railway", "[Oo]bservability", "Nixpacks"]
    assert vocab.rejected == ["Railways"]
    assert len(vocab.folders) == 2


def test_a_missing_vocabulary_says_where_kurt_looked(tmp_path):
    with pytest.raises(ConfigError, match=r"vocabulary 'Base' not found .*config/vocabularies/Base"):
        load_vocabularies(["Base"], [tmp_path])


def test_read_terms_skips_comments_and_blank_lines(tmp_path):
    path = tmp_path / "accept.txt"
    path.write_text("\ufeff  gRPC  \n#comment\n\nKurt\n", encoding="utf-8")
    assert read_terms(path) == ["gRPC", "Kurt"]
