import pytest

from kurt.errors import FormatError, UsageError
from kurt.writing.profile import load_profile, save_profile


def test_no_profile_until_created(workspace):
    assert load_profile(workspace) is None


def test_create_writes_frontmatter_and_readable_body(workspace):
    result = save_profile(workspace, company="Railway", website="https://railway.com",
                          products=["Railway"], audience="Developers", voice="Direct")
    assert result.created
    text = workspace.profile_path.read_text()
    for heading in ("## Company", "## Products", "## Audience", "## Voice"):
        assert heading in text
    profile = load_profile(workspace)
    assert profile.company == "Railway" and profile.products == ["Railway"]
    assert profile.product == "Railway"


def test_update_changes_only_given_fields_and_keeps_user_edits(workspace):
    save_profile(workspace, company="Railway", audience="Developers", voice="Direct")
    path = workspace.profile_path
    path.write_text(path.read_text().replace("## Voice\n\nDirect\n", "## Voice\n\nDirect, with one idea per sentence.\n")
                    + "\nMy own notes.\n")
    result = save_profile(workspace, audience="Platform engineers", voice="Calm")
    assert set(result.changed) == {"audience", "voice"}
    assert result.kept_sections == ["Voice"]
    text = path.read_text()
    assert "## Audience\n\nPlatform engineers\n" in text
    assert "Direct, with one idea per sentence." in text and "My own notes." in text
    profile = load_profile(workspace)
    assert profile.company == "Railway" and profile.voice == "Calm"


def test_update_with_nothing_new_changes_nothing(workspace):
    save_profile(workspace, company="Railway")
    before = workspace.profile_path.read_text()
    assert save_profile(workspace, company="Railway").changed == []
    assert workspace.profile_path.read_text() == before


def test_urls_must_be_http(workspace):
    with pytest.raises(UsageError, match="--docs-url"):
        save_profile(workspace, docs_url="docs.railway.com")
    assert load_profile(workspace) is None


def test_product_falls_back_to_company(workspace):
    save_profile(workspace, company="Acme")
    assert load_profile(workspace).product == "Acme"


def test_broken_profile_reports_its_line(workspace):
    workspace.profile_path.write_text("---\ncompany: [Acme\n---\n")
    with pytest.raises(FormatError):
        load_profile(workspace)
