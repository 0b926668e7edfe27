from pathlib import Path

import pytest

from kurt.config import get_secret, load_config
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
