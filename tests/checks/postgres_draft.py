"""The integration-page draft about PostgreSQL in tests/fixtures/drafts, and the one fact
the grounding tests change in it (the source says 20 connections)."""

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "drafts"
DRAFT = "projects/launch/drafts/integration-page-postgres.md"
PGBOUNCER = "sources/docs.railway.com/guides/connection-pooling-pgbouncer.md"
RIGHT = "while it uses only 20 real connections to Postgres."
WRONG = "while it uses only 50 real connections to Postgres."
