"""One content team's journey through the installed `kurt`, from a live site to a checked draft.

Ingest a docs site served on 127.0.0.1, discover with the seed template's own commands,
then customize the template, plan, draft, gather evidence, cite and move the draft along.
"""

from __future__ import annotations

import pytest

from kurt.demo import sample_docs
from kurt.sample_site import load_markdown_site, serve


@pytest.fixture(scope="module")
def site():
    with serve(load_markdown_site(sample_docs())) as served:
        yield served


def test_from_a_live_site_to_a_final_draft(kurt, tmp_path, site):
    def ok(*args, cwd):
        result = kurt(*args, cwd=cwd)
        assert result.exit_code == 0, f"kurt {' '.join(args)}: {result.stderr}"
        assert "Traceback" not in result.output
        return result

    assert ok("init", "acme", cwd=tmp_path)
    ws = tmp_path / "acme"

    # Ingest: discover from the sitemap, fetch, extract, index, in one step.
    added = ok("content", "add", site.base_url + "/", "--format", "json", cwd=ws).json()
    assert added["fetch"]["new"] >= 40 and added["fetch"]["failed"] == 0

    # Discover: the seed template's commands, as written.
    hits = ok("content", "search", "integration", "--format", "json", cwd=ws).json()["passages"]
    assert hits and any("/integrations/" in h["url"] for h in hits[:5])
    topical = ok("content", "list", "--with-entity", "Topic:integration", "--format", "json",
                 cwd=ws).json()["documents"]
    by_url = ok("content", "list", "--url-contains", "/integrations/", "--format", "json",
                cwd=ws).json()["documents"]
    integration_urls = {d["url"] for d in by_url}
    assert len(integration_urls) >= 15
    topical_urls = {d["url"] for d in topical}
    assert len(integration_urls & topical_urls) >= 0.8 * len(integration_urls)
    assert any(u.endswith("/docs/integrations/stripe") for u in topical_urls)

    # Write: customize the template from the integration pages, then plan and draft.
    ok("template", "customize", "integration-page", "--url-contains", "/integrations/", cwd=ws)
    template = (ws / "kurt/templates/formats/integration-page.md").read_text()
    style = template.split("## Style Guidelines", 1)[1].split("## Research Requirements", 1)[0]
    assert "[CUSTOMIZATION NEEDED" not in style and "/docs/integrations/" in style

    ok("profile", "--company", "Railway", "--website", "https://railway.com", cwd=ws)
    ok("project", "new", "stripe-launch", "--goal", "Integration page for Stripe", cwd=ws)
    stripe_doc = next(d for d in by_url if d["url"].endswith("/docs/integrations/stripe"))
    ok("project", "add-source", "stripe-launch", stripe_doc["id"], "--purpose",
       "Stripe provisioning reference", cwd=ws)
    draft = ok("draft", "new", "stripe-launch", "--template", "integration-page", "--name",
               "stripe", "--var", "partner=Stripe", "--format", "json", cwd=ws).json()
    path = ws / draft["path"]
    text = path.read_text()
    assert "status: outline" in text and "docs/integrations/stripe.md" in text

    evidence = ok("draft", "evidence", draft["path"], "--format", "json", cwd=ws).json()
    evidence_text = (ws / evidence["path"]).read_text()
    assert "Stripe" in evidence_text and "Content hash" in evidence_text

    # The writer cites a passage by its lines; Kurt checks the citation resolves.
    hit = ok("content", "search", "Stripe", "--url-contains", "/integrations/stripe",
             "--format", "json", cwd=ws).json()["passages"][0]
    head = text[: text.index("\n---\n", 4) + 5]  # the frontmatter, kept as Kurt wrote it
    path.write_text(f"{head}\n# Railway + Stripe\n\nRailway is a Stripe provider. "
                    f"<!-- Source: {hit['citation']} -->\n")
    cited = ok("draft", "sources", draft["path"], "--format", "json", cwd=ws).json()
    assert cited["citations"] and all(c["status"] == "ok" for c in cited["citations"])
    # kurt draft check: the template's sections are missing, so 'final' would be refused
    checked = kurt("draft", "check", draft["path"], "--format", "json", cwd=ws)
    assert checked.exit_code == 1
    assert {f["rule"] for f in checked.json()["findings"] if f["severity"] == "error"} == \
        {"structure/required-section"}
    sections = "".join(f"\n## {name}\n\nRailway is a Stripe provider. "
                       f"<!-- Source: {hit['citation']} -->\n"
                       for name in ("Overview", "Prerequisites", "Setup Guide", "Common Use Cases",
                                    "Configuration Options", "Troubleshooting",
                                    "Security Best Practices", "Limits & Quotas", "Next Steps"))
    path.write_text(path.read_text() + sections)
    assert kurt("draft", "check", draft["path"], cwd=ws).exit_code == 0  # warnings only

    ok("draft", "status", draft["path"], "draft", cwd=ws)
    ok("draft", "status", draft["path"], "final", cwd=ws)
    assert "status: final" in path.read_text()
    shown = ok("project", "show", "stripe-launch", "--format", "json", cwd=ws).json()
    assert shown["documents_by_status"] == {"final": 1}
    assert shown["sources"] >= 1 and "Publish" in shown["open_tasks"]
