"""The vocabulary: built-in terms, the workspace file, the profile."""

from __future__ import annotations

import pytest

from kurt.errors import FormatError
from kurt.index.vocabulary import builtin_vocabulary, load_vocabulary, parse_compact, tokenize


@pytest.mark.parametrize("text, tokens", [
    ("Deploy Node.js and Next.js apps.", ["Deploy", "Node.js", "and", "Next.js", "apps"]),
    ("C++, C# and .NET", ["C++", "C#", "and", ".NET"]),
    ("CI/CD with Go's tooling", ["CI", "CD", "with", "Go", "s", "tooling"]),
    ("third-party sign-in", ["third-party", "sign-in"]),
])
def test_tokenize(text, tokens):
    assert tokenize(text) == tokens


@pytest.mark.parametrize("entry, name, surfaces", [
    ("PostgreSQL: Postgres, psql", "PostgreSQL", [("PostgreSQL", False), ("Postgres", False), ("psql", False)]),
    ("~Go: Golang", "Go", [("Go", True), ("Golang", False)]),
    ("=Rust", "Rust", [("Rust", True)]),
])
def test_parse_compact(entry, name, surfaces):
    term = parse_compact(entry, "Technology", "language", "builtin")
    assert term.name == name
    assert [(s.text, s.case_sensitive) for s in term.surfaces] == surfaces


def test_builtin_has_aliases_for_common_technologies():
    vocab = builtin_vocabulary()
    assert vocab.find("Technology", "Postgres").name == "PostgreSQL"
    assert vocab.find("Technology", "k8s").name == "Kubernetes"
    assert vocab.find("Technology", "NodeJS").name == "Node.js"
    assert vocab.find("Topic", "integrations").name == "integration"


def test_builtin_names_are_unique_per_type():
    vocab = builtin_vocabulary()
    keys = [(t.type, t.key) for t in vocab.terms]
    assert len(keys) == len(set(keys))


def test_workspace_file_adds_products_aliases_and_custom_types(workspace):
    path = workspace.root / "kurt" / "vocabulary.toml"
    path.write_text(
        'disable = ["Technology:Redis"]\n\n'
        '[[entity]]\ntype = "Product"\nname = "Acme Cloud"\naliases = ["AcmeCloud"]\n\n'
        '[[entity]]\ntype = "Technology"\nname = "PostgreSQL"\naliases = ["pg16"]\n\n'
        '[[entity]]\ntype = "partner"\nname = "Globex"\n', encoding="utf-8")
    vocab = load_vocabulary(workspace)
    assert vocab.find("Product", "AcmeCloud").name == "Acme Cloud"
    assert vocab.find("Technology", "pg16").name == "PostgreSQL"
    assert vocab.find("Partner", "Globex") is not None
    assert "Partner" in vocab.types
    assert vocab.find("Technology", "Redis") is None


def test_broken_workspace_file_names_file_and_line(workspace):
    path = workspace.root / "kurt" / "vocabulary.toml"
    path.write_text('[[entity]]\ntype = "Product"\nname = \n', encoding="utf-8")
    with pytest.raises(FormatError) as info:
        load_vocabulary(workspace)
    assert "vocabulary.toml:3" in str(info.value)


def test_entity_without_name_is_a_format_error(workspace):
    (workspace.root / "kurt" / "vocabulary.toml").write_text('[[entity]]\ntype = "Product"\n')
    with pytest.raises(FormatError, match="needs a type and a name"):
        load_vocabulary(workspace)


def test_profile_products_become_product_entities(workspace):
    from kurt.writing.profile import save_profile

    save_profile(workspace, company="Acme", products=["Acme Cloud"])
    vocab = load_vocabulary(workspace)
    assert vocab.find("Product", "Acme Cloud") is not None
    assert vocab.find("Company", "Acme") is not None


def test_add_merges_by_type_and_key_also_after_disable():
    from kurt.index.vocabulary import Surface, Term, Vocabulary

    vocab = Vocabulary([Term("Technology", "Postgres")])
    vocab.add(Term("Technology", "postgres", surfaces=[Surface("PG")]))
    assert len(vocab.terms) == 1 and {s.text for s in vocab.terms[0].surfaces} >= {"PG"}
    vocab.disable("Technology", "Postgres")
    vocab.add(Term("Technology", "Postgres"))
    assert [t.name for t in vocab.terms] == ["Postgres"]
    vocab.add(Term("Topic", "Postgres"))  # another type: another term
    assert len(vocab.terms) == 2


def test_what_matchers_remember_is_forgotten_when_terms_change_and_never_pickled():
    import pickle

    from kurt.index.names import find_names
    from kurt.index.sections import Section
    from kurt.index.vocabulary import Surface, Term

    vocab = builtin_vocabulary().compile()
    section = Section(0, None, None, 0, 1, 2, "We load the data with Streamkeep before noon.")
    assert [h.name for h in find_names(vocab, title=None, sections=[section], links=[])] == ["Streamkeep"]
    index = vocab.ci[("postgresql",)]
    assert "postgres" in vocab.alias_keys(index) and vocab.memo
    assert pickle.loads(pickle.dumps(vocab)).memo == {}  # a worker gets the tables, not the memo
    vocab.add(Term("Product", "Streamkeep", surfaces=[Surface("Streamkeep")]))
    assert vocab.memo == {}
    vocab.compile()
    assert find_names(vocab, title=None, sections=[section], links=[]) == []  # a term now
