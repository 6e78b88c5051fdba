"""Configuration: production refuses to start without its secrets; development makes a local one."""
import pytest

import config
from app import create_app


def test_production_requires_secret_key(monkeypatch):
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config.ProductionConfig)


def test_production_requires_database_url(monkeypatch):
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "x" * 32)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app(config.ProductionConfig)


def test_development_secret_is_created_once_and_private(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    monkeypatch.setattr(config.DevelopmentConfig, "SECRET_KEY", None)
    config.DevelopmentConfig.prepare()
    first = config.DevelopmentConfig.SECRET_KEY
    assert len(first) == 64 and (tmp_path / "dev_secret_key").stat().st_mode & 0o077 == 0
    monkeypatch.setattr(config.DevelopmentConfig, "SECRET_KEY", None)
    config.DevelopmentConfig.prepare()
    assert config.DevelopmentConfig.SECRET_KEY == first


def test_unknown_app_env_is_refused(monkeypatch):
    monkeypatch.setenv("APP_ENV", "staging")
    with pytest.raises(RuntimeError, match="APP_ENV"):
        config.config_from_env()


def test_production_and_development_hash_passwords_with_scrypt(monkeypatch):
    """Only the test configuration trades the hash's cost for speed (core/auth/passwords.py)."""
    from core.auth import passwords

    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "x" * 32)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    for cfg in (config.ProductionConfig, config.DevelopmentConfig):
        with create_app(cfg).app_context():
            stored = passwords.hash_password("Passw0rd!x")
            assert stored.startswith("scrypt:32768:8:1$") and passwords.matches(stored, "Passw0rd!x")
            assert passwords.dummy_hash().startswith("scrypt:32768:8:1$")
            assert not passwords.matches(stored, "Passw0rd!y")
