"""Settings: `<SERVICE>_` beats `JIUZHU_` beats plain variables; no secret has a default, and weak ones are refused in
every environment."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from libs.kernel.settings import Environment, Role
from services.intake.config import IntakeSettings

STRONG = "s" * 16 + "0123456789abcdef"  # 32 characters
STRONG_PII = "p" * 16 + "fedcba9876543210"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what a test sets: the session stack exports DATABASE_URL, JIUZHU_ENVIRONMENT and friends."""
    for name in ("LOG_LEVEL", "ENVIRONMENT", "INTERNAL_TOKEN_SECRET", "PII_KEY", "DATABASE_URL", "PORT"):
        for prefix in ("", "JIUZHU_", "INTAKE_", "CASEWORK_"):
            monkeypatch.delenv(prefix + name, raising=False)
    # The secrets a deployment must give; tests that are about them take them away again.
    monkeypatch.setenv("JIUZHU_INTERNAL_TOKEN_SECRET", STRONG)
    monkeypatch.setenv("JIUZHU_PII_KEY", STRONG_PII)


def test_the_service_prefix_beats_jiuzhu_which_beats_the_plain_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "ERROR")
    monkeypatch.setenv("JIUZHU_LOG_LEVEL", "WARNING")
    monkeypatch.setenv("INTAKE_LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("CASEWORK_LOG_LEVEL", "CRITICAL")  # another service's: never read by intake
    assert IntakeSettings().log_level == "DEBUG"

    monkeypatch.delenv("INTAKE_LOG_LEVEL")
    assert IntakeSettings().log_level == "WARNING"

    monkeypatch.delenv("JIUZHU_LOG_LEVEL")
    assert IntakeSettings().log_level == "ERROR"

    monkeypatch.delenv("LOG_LEVEL")
    assert IntakeSettings().log_level == "INFO"


def test_one_plain_variable_serves_every_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://jiuzhu@db.internal:5432/jiuzhu")
    monkeypatch.setenv("INTAKE_PORT", "9101")

    settings = IntakeSettings()

    assert settings.database_url == "postgresql://jiuzhu@db.internal:5432/jiuzhu"
    assert (settings.service_name, settings.port) == ("intake", 9101)


def test_values_are_validated_whatever_source_they_come_from(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_PORT", "not-a-port")
    with pytest.raises(ValidationError, match="port"):
        IntakeSettings()


@pytest.mark.parametrize("environment", list(Environment))
@pytest.mark.parametrize("missing", ["JIUZHU_INTERNAL_TOKEN_SECRET", "JIUZHU_PII_KEY"])
def test_no_environment_starts_without_its_secrets(
    monkeypatch: pytest.MonkeyPatch, environment: Environment, missing: str
) -> None:
    monkeypatch.delenv(missing)
    with pytest.raises(ValidationError, match=missing.removeprefix("JIUZHU_").lower()):
        IntakeSettings(environment=environment)


def test_an_unset_environment_is_production() -> None:
    assert IntakeSettings().environment is Environment.production


@pytest.mark.parametrize("environment", list(Environment))
@pytest.mark.parametrize(
    ("secret", "pii_key", "refused"),
    [
        ("short-but-not-empty", STRONG_PII, "internal_token_secret"),
        (STRONG, STRONG[:-1], "pii_key"),  # 31 characters
        (STRONG, STRONG, "differ"),  # one leaked secret would give away both
    ],
    ids=["short-token-secret", "pii-key-31-chars", "same-secret-twice"],
)
def test_weak_secrets_are_refused_in_every_environment(
    environment: Environment, secret: str, pii_key: str, refused: str
) -> None:
    with pytest.raises(ValidationError, match=refused):
        IntakeSettings(environment=environment, internal_token_secret=SecretStr(secret), pii_key=SecretStr(pii_key))


def test_a_secondary_secret_for_a_rotation_is_held_to_the_same_rule() -> None:
    with pytest.raises(ValidationError, match="internal_token_secondary_secret"):
        IntakeSettings(internal_token_secondary_secret=SecretStr("too-short"))
    assert IntakeSettings(internal_token_secondary_secret=SecretStr("r" * 40)).internal_token_secondary_secret


def test_secrets_read_from_the_environment_never_show_in_the_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_PII_KEY", "q" * 40)
    settings = IntakeSettings()
    assert settings.internal_token_secret.get_secret_value() == STRONG
    assert settings.pii_key.get_secret_value() == "q" * 40
    assert STRONG not in repr(settings)
    assert "q" * 40 not in repr(settings)


@pytest.mark.parametrize(
    "given",
    [
        "postgresql://app:pw@db:5432/jiuzhu",
        "postgres://app:pw@db:5432/jiuzhu",
        "postgresql+asyncpg://app:pw@db:5432/jiuzhu",
    ],
)
def test_the_database_url_is_converted_for_sqlalchemy_and_for_raw_asyncpg(given: str) -> None:
    settings = IntakeSettings(database_url=given)

    assert settings.async_database_url == "postgresql+asyncpg://app:pw@db:5432/jiuzhu"
    assert settings.plain_database_url == "postgresql://app:pw@db:5432/jiuzhu"


def test_a_url_naming_postgresql_inside_it_is_converted_only_at_the_scheme() -> None:
    settings = IntakeSettings(database_url="postgresql://postgresql:pw@postgresql.svc:5432/postgresql")

    assert settings.async_database_url == "postgresql+asyncpg://postgresql:pw@postgresql.svc:5432/postgresql"
    assert settings.plain_database_url == "postgresql://postgresql:pw@postgresql.svc:5432/postgresql"


def test_topics_take_the_deployment_prefix() -> None:
    assert IntakeSettings().topic("case-decided") == "case-decided"
    assert IntakeSettings(kafka_topic_prefix="prov33.").topic("case-decided") == "prov33.case-decided"


def test_overrides_are_validated_like_every_other_source() -> None:
    # `cli.main` passes `--role worker` through `with_overrides`; tests pass roles and secrets the same way.
    settings = IntakeSettings().with_overrides(role="worker", port="9100")

    assert settings.role is Role.worker
    assert settings.port == 9100
    with pytest.raises(ValidationError, match="pii_key"):
        IntakeSettings().with_overrides(pii_key="short")
