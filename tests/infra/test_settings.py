"""Settings refuse to start on a missing or malformed value, and name the variable."""

import pytest

from infra.settings import SettingsError, load

GOOD = {
    "SAMSPEL_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/samspel",
    "SAMSPEL_REDIS_URL": "redis://127.0.0.1:6379/0",
    "SAMSPEL_SECRET_KEY": "x" * 32,
}


def test_defaults_for_ports_language_and_base_url():
    s = load(GOOD)
    assert (s.port, s.idp_port, s.default_language) == (8000, 8001, "nb")
    assert s.base_url == "http://127.0.0.1:8000"
    assert not s.secure_cookies


def test_one_admin_url_derives_the_owner_and_app_urls():
    s = load(GOOD)
    assert s.owner_database_url.startswith("postgresql://samspel_owner:")
    assert s.app_database_url.startswith("postgresql://samspel_app:")
    assert s.app_database_url.endswith("@127.0.0.1:5432/samspel")


def test_separate_owner_and_app_urls_are_used_as_given():
    env = {k: v for k, v in GOOD.items() if k != "SAMSPEL_DATABASE_URL"}
    env["SAMSPEL_OWNER_DATABASE_URL"] = "postgresql://o:p@db/samspel"
    env["SAMSPEL_APP_DATABASE_URL"] = "postgresql://a:q@db/samspel"
    s = load(env)
    assert (s.database_url, s.owner_database_url, s.app_database_url) == (
        None,
        "postgresql://o:p@db/samspel",
        "postgresql://a:q@db/samspel",
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SAMSPEL_DATABASE_URL", None),
        ("SAMSPEL_DATABASE_URL", "mysql://x@y/z"),
        ("SAMSPEL_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432"),
        ("SAMSPEL_REDIS_URL", None),
        ("SAMSPEL_REDIS_URL", "http://localhost"),
        ("SAMSPEL_SECRET_KEY", None),
        ("SAMSPEL_SECRET_KEY", "short"),
        ("SAMSPEL_PORT", "eighty"),
        ("SAMSPEL_PORT", "70000"),
        ("SAMSPEL_IDP_PORT", "-1"),
        ("SAMSPEL_DEFAULT_LANGUAGE", "sv"),
        ("SAMSPEL_BASE_URL", "ftp://example"),
        ("SAMSPEL_ACR_VALUES", "idporten-loa-low"),
        ("SAMSPEL_RATE_LIMIT_PER_MINUTE", "0"),
        ("SAMSPEL_RATE_LIMIT_PER_MINUTE", "many"),
        ("SAMSPEL_METRICS_TOKEN", "guessable"),
    ],
)
def test_a_missing_or_malformed_value_names_the_variable(name, value):
    env = dict(GOOD)
    if value is None:
        env.pop(name)
    else:
        env[name] = value
    with pytest.raises(SettingsError, match=name):
        load(env)


def test_https_base_url_means_secure_cookies():
    assert load({**GOOD, "SAMSPEL_BASE_URL": "https://samspel.example"}).secure_cookies


def test_the_metrics_token_is_off_unless_set():
    assert load(GOOD).metrics_token is None
    assert load({**GOOD, "SAMSPEL_METRICS_TOKEN": "m" * 32}).metrics_token == "m" * 32
