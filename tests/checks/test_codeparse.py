"""Parsing code blocks per language: broken code is found, correct and partial code is not."""

import shutil

import pytest

from kurt.checks import codeparse

BROKEN = [
    ("python", "def f(:\n    pass\n", 1),
    ("python", "x = 1\nif x\n    print(x)\n", 2),
    ("json", '{"a": 1,\n "b": }\n', 2),
    ("json", '{"a": 1,}\n', 1),
    ("yaml", "a: 1\n  b: 2\nc: [\n", 2),
    ("toml", '[build]\nbuilder = \n', 2),
    ("shell", "if true; then\n  echo hi\n", 3),
    ("shell", "for x in a b; do\n  echo $x\ndone done\n", None),
    ("sql", "SELEC * FROM users;", None),
    ("sql", "SELECT * FROM WHERE id = 1;", None),
    ("sql", "CREATE TABEL t (id int);", None),
    ("sql", "INSERT INTO t VALUES (1, 2;", None),
]
CORRECT = [
    ("python", ">>> import os\n>>> os.getcwd()\n'/app'\n"),
    ("python", "    indented = True\n    print(indented)\n"),
    ("python", "!pip install psycopg\nimport psycopg\n"),
    ("python", "def handler(event):\n    ...\n"),
    ("json", '{"name": "app", "scripts": {"start": "node index.js"}}'),
    ("yaml", "services:\n  web:\n    image: !Ref Image\n"),
    ("yaml", "a: 1\n---\nb: 2\n"),
    ("toml", '[deploy]\nstartCommand = "npm start"\n'),
    ("shell", "$ railway login\nLogged in as ada@example.com\n$ railway up\n"),
    ("shell", "railway variables --set API_KEY=<your-api-key>\n"),
    ("shell", "export DATABASE_URL=<generate a strong password>\n"),
    ("shell", "cat <<EOF > app.env\nPORT=3000\nEOF\n"),
    ("sql", "REASSIGN OWNED BY app_v1 TO app_v2;"),
    ("sql", "SELECT * FROM t WHERE id = ?;"),
    ("sql", "CREATE EXTENSION IF NOT EXISTS vector;\nCREATE INDEX ON items USING hnsw (e vector_l2_ops);"),
    ("sql", "\\dt\nSELECT 1;"),
    ("sql", "CREATE TABLE events (ts DateTime) ENGINE = MergeTree ORDER BY ts;"),
]


@pytest.mark.parametrize("language,code,line", BROKEN)
def test_broken_code_does_not_parse(language, code, line):
    if language == "shell" and shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    problem = codeparse.PARSERS[language](code)
    assert problem is not None and problem.message
    if line is not None:
        assert problem.line == line


@pytest.mark.parametrize("language,code", CORRECT)
def test_correct_code_parses(language, code):
    assert codeparse.PARSERS[language](code) is None


@pytest.mark.parametrize("language,code", [
    ("json", '{\n  "a": 1,\n  ...\n}'),
    ("shell", "npm install\n# ...\nnpm start"),
    ("yaml", "image: {{ .Values.image }}\n"),
    ("sql", "SELECT * FROM t WHERE { ... };"),
])
def test_elided_or_templated_code_is_partial(language, code):
    assert codeparse.partial(code, language)


def test_python_ellipsis_is_code_not_an_elision():
    assert not codeparse.partial("def f():\n    ...\n", "python")


@pytest.mark.parametrize("tag,language", [
    ("py", "python"), ("JSON", "json"), ("yml", "yaml"), ("sh", "shell"), ("zsh", "shell"),
    ("postgresql", "sql"), ("js", "javascript"), ("ts", "typescript"), ("console", None),
    ("text", None), ("go", None),
])
def test_language_tags_map_to_parsers(tag, language):
    assert codeparse.language_of(tag) == language


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_javascript_blocks_are_parsed_by_node_in_one_process():
    results = codeparse.parse_javascript_batch([
        ("const a = 1;\nconst b = ;\n", False),
        ('import x from "y";\nawait x();\n', False),
        ('{ "a": 1, "b": [1, 2] }', False),
        ('import x from "y";\nconst = 3;\n', False),
    ])
    assert results[0].line == 2 and "Unexpected token" in results[0].message
    assert results[1] is None and results[2] is None
    assert results[3].line == 2


def test_without_node_javascript_is_not_parsed(tmp_path):
    assert codeparse.parse_javascript_batch([("const = ;", False)], node=str(tmp_path / "none")) \
        == ["skipped"]
