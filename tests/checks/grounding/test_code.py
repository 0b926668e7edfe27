"""Inline code in prose (kurt/checks/grounding/code.py): what a code span states."""

import pytest

from kurt.checks.grounding.code import code_specifics, installed_packages, normalise_url


@pytest.mark.parametrize("content, kinds", [
    ("npx -y @railway/cli@latest redeploy --service api --yes",
     [("command", "@railway/cli@latest redeploy"), ("flag", "-y"), ("flag", "--service"),
      ("flag", "--yes"), ("identifier", "@railway/cli")]),
    ("railway volume files", [("command", "railway volume files")]),
    ("FOO=bar npm run build", [("command", "npm run build")]),
    ("DATABASE_URL=$DATABASE_UNPOOLED_URL npx prisma migrate deploy",
     [("command", "prisma migrate deploy")]),
    ("GET /v1/projects/{id}", [("endpoint", "/v1/projects/{id}")]),
    ("https://backboard.railway.com/graphql/v2", [("url", "backboard.railway.com/graphql/v2")]),
    ("$DATABASE_URL", [("env-var", "DATABASE_URL")]),
    ("--format=custom", [("flag", "--format")]),
    ("--direction ingress", [("flag", "--direction")]),  # a flag and its value: no identifier
    ("@duration:>=1000", [("identifier", "@duration:>=1000")]),  # ">=" is no placeholder
    ("TRACE", [("http-method", "TRACE")]),
    ("42", [("number", "")]), ("2x", []), ("<API_TOKEN>", []), ("YOUR_API_KEY", []), ("-x", [("flag", "-x")]),
    ("go get github.com/lib/pq", [("command", "go get"), ("identifier", "github.com/lib/pq")]),
])
def test_code_specifics(content, kinds):
    found = code_specifics(content, 0, len(content))
    assert [(s.kind, s.key) for s in found][:len(kinds)] == kinds
    assert len(found) == len(kinds) or content.startswith("DATABASE_URL=")


def test_normalise_url():
    assert normalise_url("https://www.Railway.com/pricing/") == "railway.com/pricing"


@pytest.mark.parametrize("content, names", [
    ("go get github.com/jackc/pgx", ["github.com/jackc/pgx"]),
    ("npm install express@4 cors --save", ["express", "cors"]),
    ("npm i -D @types/node && npm run build", ["@types/node"]),
    ("cargo add tokio --features full", ["tokio"]),  # an option's value is no package
    ("pip install 'gunicorn==22.0'", ["gunicorn"]),
    ("npm install", []), ("npm install <package>", []), ("npm run build", []),
    ("npx create-remix@latest", ["create-remix"]),  # a runner's package, its version aside
    ("npx -y @railway/cli@latest redeploy", ["@railway/cli"]),
    ("npm create vite@latest my-app", ["vite"]), ("npm init gatsby site", ["gatsby"]),
    ("npm init -y", []), ("npx <tool>", []),
])
def test_installed_packages(content, names):
    found = installed_packages(content)
    assert [name for _, _, name in found] == names
    assert all(content[start:end] == name for start, end, name in found)
