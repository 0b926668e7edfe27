from pathlib import Path

import pytest

from kurt.config import get_secret, load_config, read_env_file
from kurt.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kurt.toml"
    path.write_text(text)
    return path


def test_missing_file_gives_defaults(tmp_path: Path):
    config = load_config(tmp_path / "kurt.toml")
    assert config.ingest.respect_robots is True and config.index.auto is True


def test_private_addresses_are_refused_unless_allowed(tmp_path: Path):
    assert load_config(tmp_path / "kurt.toml").ingest.allow_private_addresses is False
    config = load_config(write(tmp_path, "[ingest]\nallow_private_addresses = true\n"))
    assert config.ingest.allow_private_addresses is True
    with pytest.raises(ConfigError, match="true or false"):
        load_config(write(tmp_path, "[ingest]\nallow_private_addresses = 'yes'\n"))


def test_the_default_kurt_toml_loads_as_the_defaults(tmp_path: Path):
    from kurt.config import DEFAULT_TOML, Config

    assert load_config(write(tmp_path, DEFAULT_TOML)) == Config()


def test_values_are_typed(tmp_path: Path):
    config = load_config(write(tmp_path, "[ingest]\ntimeout = 5\nuser_agent = 'X'\n"))
    assert config.ingest.timeout == 5.0 and isinstance(config.ingest.timeout, float)
    assert config.ingest.user_agent == "X"


@pytest.mark.parametrize(
    "text, message",
    [
        ("[ingest\n", "fix the TOML syntax"),
        ("[nope]\nx = 1\n", "unknown section"),
        ("[ingest]\ntimout = 3\n", "unknown setting"),
        ("[ingest]\ntimeout = 'fast'\n", "must be a number"),
        ("[ingest]\nrespect_robots = 1\n", "true or false"),
        ("[llm]\napi_key = 'sk-123'\n", "secrets do not belong in kurt.toml"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path: Path, text: str, message: str):
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, text))


def test_secret_from_env_file_and_environment(tmp_path: Path, monkeypatch):
    env = tmp_path / ".env"
    env.write_text("# comment\nexport OPENAI_API_KEY='sk-file'\n")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert get_secret("OPENAI_API_KEY", env) == "sk-file"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    assert get_secret("OPENAI_API_KEY", env) == "sk-env"


def test_analytics_provider_tables(tmp_path: Path):
    config = load_config(write(tmp_path, "[analytics]\nperiod = '7d'\n[analytics.ga4]\nproperty_id = 123456\n"
                                         "[analytics.plausible]\nsite_id = 'docs.example.com'\n"))
    assert config.analytics.period == "7d"
    assert config.analytics.ga4.property_id == "123456"  # a number written without quotes
    assert config.analytics.plausible.site_id == "docs.example.com"
    assert config.analytics.posthog.project_id == ""


@pytest.mark.parametrize("text, message", [
    ("[analytics.ga4]\nproprety_id = '1'\n", "unknown setting \\[analytics.ga4\\] proprety_id"),
    ("[analytics.posthog]\napi_key = 'phx_1'\n", "\\[analytics.posthog\\] api_key: secrets do not belong"),
    ("[analytics]\nga4 = 'x'\n", "\\[analytics.ga4\\] must be a table"),
    ("[research]\nmodel = 3\n", "\\[research\\] model must be a string"),
])
def test_bad_integration_settings_are_clear_errors(tmp_path: Path, text: str, message: str):
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, text))


@pytest.mark.parametrize("line, expected", [
    ("OPENAI_API_KEY=sk-1", {"OPENAI_API_KEY": "sk-1"}),
    ("OPENAI_API_KEY=sk-1 # my key", {"OPENAI_API_KEY": "sk-1"}),  # the comment is not the key
    ("OPENAI_API_KEY=sk-1# no space: part of the value", {"OPENAI_API_KEY": "sk-1# no space: part of the value"}),
    ("OPENAI_API_KEY='sk-1 # quoted'", {"OPENAI_API_KEY": "sk-1 # quoted"}),
    ('OPENAI_API_KEY="sk-1" # after quotes', {"OPENAI_API_KEY": "sk-1"}),
    ('OPENAI_API_KEY="line\\nbreak"', {"OPENAI_API_KEY": "line\nbreak"}),
    ("export OPENAI_API_KEY=sk-1", {"OPENAI_API_KEY": "sk-1"}),
    ("  OPENAI_API_KEY = sk-1  ", {"OPENAI_API_KEY": "sk-1"}),
    ("OPENAI_API_KEY=", {"OPENAI_API_KEY": ""}),
    ("OPENAI_API_KEY", {}),  # no value at all
    ("# OPENAI_API_KEY=sk-commented-out", {}),
    ("BASE=sk\nOPENAI_API_KEY=${BASE}-2", {"BASE": "sk", "OPENAI_API_KEY": "sk-2"}),
    ("not a line of a .env file\nOPENAI_API_KEY=sk-1", {"OPENAI_API_KEY": "sk-1"}),
])
def test_env_file_lines(tmp_path: Path, line: str, expected: dict, capfd):
    env = tmp_path / ".env"
    env.write_text(line + "\n")
    assert read_env_file(env) == expected
    assert capfd.readouterr().err == ""  # an unparsable line is skipped quietly


def test_an_empty_value_in_env_file_is_no_secret(tmp_path: Path, monkeypatch):
    env = tmp_path / ".env"
    env.write_text("OPENAI_API_KEY=\n")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert get_secret("OPENAI_API_KEY", env) is None
    assert read_env_file(tmp_path / "missing.env") == {}


def test_mcp_settings(tmp_path: Path):
    path = tmp_path / "kurt.toml"
    path.write_text('[mcp]\nallowed_roots = ["~/docs", "../team-docs"]\nallow_private_urls = true\n',
                    encoding="utf-8")
    config = load_config(path)
    assert config.mcp.allowed_roots == ["~/docs", "../team-docs"] and config.mcp.allow_private_urls
    assert load_config(tmp_path / "missing.toml").mcp.allowed_roots == []


@pytest.mark.parametrize("text, message", [
    ('[mcp]\nallowed_roots = "~/docs"\n', "must be a list of strings"),
    ("[mcp]\nallow_private_urls = 1\n", "must be true or false"),
    ("[mcp]\nroots = []\n", "unknown setting [mcp] roots"),
])
def test_bad_mcp_settings_are_clear_errors(tmp_path: Path, text: str, message: str):
    path = tmp_path / "kurt.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_config(path)
