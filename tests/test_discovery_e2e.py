"""End to end: the installed ``kurt`` finds the partner pages of a company site by their shape.

The generated company site (``kurt.sample_site.company``) is served on
127.0.0.1 with its partner directory under ``/stack/``, a path that says
nothing about integrations, and ingested with ``kurt content add``; the
answers of ``content list`` and ``content list-entities`` are judged against
the site's ground truth.
"""

from __future__ import annotations

import json

import pytest

from kurt.sample_site import serve
from kurt.sample_site.company import company_truth, generate_company_site

DIRECTORY = "/stack/"


@pytest.fixture(scope="module")
def site_workspace(tmp_path_factory):
    from tests.conftest import run_kurt

    root = tmp_path_factory.mktemp("discovery")
    with serve(generate_company_site(directory=DIRECTORY)) as served:
        assert run_kurt("init", "ws", cwd=root).exit_code == 0
        added = run_kurt("content", "add", served.base_url, cwd=root / "ws", timeout=900)
        assert added.exit_code == 0, added.stderr
    return root / "ws", served.base_url


def listed(kurt, ws, *args):
    result = kurt("content", "list", *args, "--limit", "0", "--format", "json", cwd=ws)
    assert result.exit_code == 0, result.stderr
    return [d["url"] for d in json.loads(result.stdout)["documents"]]


def judge(urls, base_url):
    truth = company_truth(directory=DIRECTORY)
    partners = {base_url + p for p in truth.partner_paths()}
    found = partners & set(urls)
    return len(found) / len(partners), len(found) / max(len(urls), 1)


def test_partner_pages_are_typed_integration(kurt, site_workspace):
    ws, base_url = site_workspace
    recall, precision = judge(listed(kurt, ws, "--with-content-type", "integration"), base_url)
    assert recall >= 0.9 and precision >= 0.9


def test_partner_pages_are_about_topic_integration(kurt, site_workspace):
    ws, base_url = site_workspace
    recall, precision = judge(listed(kurt, ws, "--with-entity", "Topic:integration"), base_url)
    assert recall >= 0.9 and precision >= 0.9


@pytest.mark.parametrize("partner", ["Fivetran", "Streamkeep", "Brightwater Sync", "dbt"])
def test_a_partner_no_vocabulary_knows_is_a_company(kurt, site_workspace, partner):
    ws, base_url = site_workspace
    page = base_url + company_truth(directory=DIRECTORY).partner(partner).path
    assert page in listed(kurt, ws, "--with-entity", f"Company:{partner}")


def test_list_entities_shows_partners_and_no_chrome_or_people(kurt, site_workspace):
    ws, _ = site_workspace
    result = kurt("content", "list-entities", "--format", "json", cwd=ws)
    assert result.exit_code == 0, result.stderr
    entities = {(e["type"], e["name"]) for e in json.loads(result.stdout)["entities"]}
    truth = company_truth(directory=DIRECTORY)
    companies = {name for etype, name in entities if etype == "Company"}
    assert len({p.name for p in truth.partners} & companies) >= 0.9 * len(truth.partners)
    assert ("Product", truth.product) in entities
    names = {name for _, name in entities}
    assert not names & {"DataConf", "Privacy Policy", "Subscribe", "Getting Started", "June", "Jane Okafor",
                        truth.directory_label}
