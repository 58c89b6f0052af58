"""Configuration: the trust (``config/trust.yaml``) and where the SQL store is.

Every setting is documented in ``docs/configuration.md``. Nothing here imports Streamlit, so the
command-line tools (``python -m data.demo``) read configuration exactly as the app does.

Where the database URL comes from, first match wins:
1. the environment variable ``EQUALITY_DB_URL``;
2. ``url`` under ``[connections.equality]`` in ``.streamlit/secrets.toml``;
3. the embedded demo store, ``sqlite:///data/demo.db`` (built on first start): *demo mode*.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
import zlib
from dataclasses import dataclass
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TRUST_CONFIG = PROJECT_ROOT / "config" / "trust.yaml"
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"
DEMO_DB_PATH = PROJECT_ROOT / "data" / "demo.db"

DB_URL_ENV = "EQUALITY_DB_URL"
COOKIE_KEY_ENV = "EQUALITY_COOKIE_KEY"
LOGIN_SLEEP_ENV = "EQUALITY_LOGIN_SLEEP_SECONDS"
DEMO_COOKIE_KEY_FILE = PROJECT_ROOT / "data" / "cache" / "demo_cookie_key"
MIN_COOKIE_KEY_BYTES = 32
TRUST_CONFIG_ENV = "EQUALITY_TRUST_CONFIG"
SECRETS_CONNECTION = "equality"


#: The board overview's tiles, in order (ids of reports.headlines.BUILDERS).
DEFAULT_HEADLINES = (
    "mha_detentions_crude_rate",
    "cto_crude_rate",
    "s136_crude_rate",
    "restrictive_interventions_rate",
    "talking_therapies_recovery_pct",
    "referral_route_police_pct",
    "workforce_bme_share_8a_plus",
    "wres_2_shortlisting_relative_likelihood",
)


class ConfigError(ValueError):
    """A configuration file is missing a setting or has a bad value; the message says which."""


@dataclass(frozen=True)
class TrustConfig:
    """The trust this dashboard is for and the settings that shape its figures."""

    name: str
    boroughs: tuple[str, ...]
    reference_group: str = "A"
    suppression_threshold: int = 5
    rounding_base: int = 5
    waiting_standard_days: int = 28
    cache_ttl_seconds: int = 3600
    boundary_file: str | None = None  # the trust's own ONS district boundary file (docs/geography.md)
    msoa_boundary_file: str | None = None  # the trust's own ONS MSOA boundary file (docs/geography.md)
    headline_measures: tuple[str, ...] = DEFAULT_HEADLINES


def load_trust_config(path: str | Path | None = None) -> TrustConfig:
    """Read the trust configuration (``EQUALITY_TRUST_CONFIG`` or ``config/trust.yaml``)."""
    config_path = Path(path or os.environ.get(TRUST_CONFIG_ENV) or DEFAULT_TRUST_CONFIG)
    try:
        raw = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError(
            f"Trust configuration file not found: {config_path}. Copy config/trust.yaml from the repository "
            f"or set {TRUST_CONFIG_ENV} to the file's path"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "a syntax error"
        raise ConfigError(
            f"Trust configuration {config_path} is not valid YAML{where}: {problem}. Fix the file "
            "(compare it with config/trust.yaml in the repository)"
        ) from None
    except OSError as exc:
        raise ConfigError(f"Trust configuration {config_path} cannot be read: {exc.strerror}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("trust") or {}, dict):
        raise ConfigError(
            f"{config_path}: the file must be a mapping with a 'trust:' section holding 'name' and 'boroughs' "
            "(see docs/configuration.md)"
        )

    trust = raw.get("trust") or {}
    name = trust.get("name")
    boroughs = trust.get("boroughs")
    if not name:
        raise ConfigError(f"{config_path}: 'trust.name' is required")
    if not isinstance(boroughs, list) or not boroughs or not all(isinstance(c, str) for c in boroughs):
        raise ConfigError(f"{config_path}: 'trust.boroughs' must be a list of ONS district codes")
    suppression = raw.get("suppression") or {}
    if not isinstance(suppression, dict):
        raise ConfigError(f"{config_path}: 'suppression' must hold 'threshold' and 'rounding_base'")
    boundary_file = raw.get("boundary_file")
    if boundary_file is not None and (not isinstance(boundary_file, str) or not boundary_file.strip()):
        raise ConfigError(f"{config_path}: 'boundary_file' must be the path of a GeoJSON or GeoPackage file")
    msoa_boundary_file = raw.get("msoa_boundary_file")
    if msoa_boundary_file is not None and (
        not isinstance(msoa_boundary_file, str) or not msoa_boundary_file.strip()
    ):
        raise ConfigError(
            f"{config_path}: 'msoa_boundary_file' must be the path of a GeoJSON or GeoPackage file"
        )
    config = TrustConfig(
        name=str(name),
        boroughs=tuple(boroughs),
        reference_group=str(raw.get("reference_group", "A")),
        suppression_threshold=_whole(suppression.get("threshold", 5), "suppression.threshold", config_path),
        rounding_base=_whole(suppression.get("rounding_base", 5), "suppression.rounding_base", config_path),
        waiting_standard_days=_whole(
            raw.get("waiting_standard_days", 28), "waiting_standard_days", config_path
        ),
        cache_ttl_seconds=_whole(raw.get("cache_ttl_seconds", 3600), "cache_ttl_seconds", config_path),
        boundary_file=str(PROJECT_ROOT / boundary_file.strip()) if boundary_file else None,
        msoa_boundary_file=str(PROJECT_ROOT / msoa_boundary_file.strip()) if msoa_boundary_file else None,
        headline_measures=tuple(raw.get("headline_measures") or DEFAULT_HEADLINES),
    )
    if config.suppression_threshold < 1 or config.rounding_base < 1:
        raise ConfigError(f"{config_path}: suppression threshold and rounding_base must be at least 1")
    return config


def _whole(value: object, key: str, config_path: Path) -> int:
    """A whole-number setting, or a ConfigError naming the file, the key and the fix."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{config_path}: '{key}' must be a whole number (e.g. 5), not {value!r}")
    return value


@dataclass(frozen=True)
class StoreSettings:
    """Where the SQL store is, and whether it is the embedded demo store."""

    url: str
    demo: bool
    source: str  # where the URL came from, for messages: "environment", "secrets" or "default"


def store_settings(secrets_file: Path = SECRETS_FILE) -> StoreSettings:
    """Resolve the database URL (see the module docstring for the order)."""
    env_url = os.environ.get(DB_URL_ENV, "").strip()
    if env_url:
        return StoreSettings(url=env_url, demo=False, source="environment")
    secrets_url = _url_from_secrets(secrets_file)
    if secrets_url:
        return StoreSettings(url=secrets_url, demo=False, source="secrets")
    return StoreSettings(url=f"sqlite:///{DEMO_DB_PATH}", demo=True, source="default")


def _read_secrets(secrets_file: Path) -> dict:
    if not secrets_file.exists():
        return {}
    try:
        return tomllib.loads(secrets_file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{secrets_file} is not valid TOML: {exc}") from None


def _url_from_secrets(secrets_file: Path) -> str | None:
    secrets = _read_secrets(secrets_file)
    connection = (secrets.get("connections") or {}).get(SECRETS_CONNECTION) or {}
    url = connection.get("url")
    return str(url).strip() if url else None


@dataclass(frozen=True)
class AuthSettings:
    """Sign-in settings: the session cookie, its lifetimes, and who may grant data access (docs/security.md).

    The cookie holds only a random session id; the store keeps an HMAC of it under ``cookie_key``, so
    changing the key signs everybody out.
    """

    cookie_key: str
    cookie_name: str = "equality_session"
    session_hours: float = 8.0
    idle_minutes: float = 30.0
    #: the header a trusted reverse proxy sets to the client's address (e.g. X-Forwarded-For); empty:
    #: the address of the connection itself
    client_ip_header: str = ""
    #: whether the published demo passwords work: only in the embedded (SQLite) synthetic demo store
    allow_demo_logins: bool = False


#: How an administrator may grant roles that see figures (board, equality lead) or manage logins.
ADMIN_GRANTS = ("second_admin", "never")
ADMIN_GRANTS_ENV = "EQUALITY_ADMIN_GRANTS"
MIN_COOKIE_KEY_BITS = 128


def key_strength_bits(key: str) -> float:
    """Estimated entropy of a key: its length times the Shannon entropy of its characters. A key of
    one repeated character or a repeated word scores under 128, ``secrets.token_urlsafe(48)`` about 340."""
    if not key:
        return 0.0
    counts = [key.count(ch) for ch in set(key)]
    per_char = -sum(c / len(key) * math.log2(c / len(key)) for c in counts)
    # a repeated pattern ("password" * 6) has varied characters but compresses to almost nothing
    compressed = 8 * max(0, len(zlib.compress(key.encode("utf-8"), 9)) - 11)
    return min(per_char * len(key), compressed)


def auth_settings(*, demo: bool, secrets_file: Path = SECRETS_FILE) -> AuthSettings:
    """The sign-in settings, from ``[auth]`` in secrets.toml and the environment.

    ``demo`` is true only for the embedded synthetic demo store (a SQLite file): there a random key is
    generated once and kept in ``data/cache/`` (git-ignored; in memory if data/ is read-only), and the
    published demo logins work. Anywhere else a missing or weak key (under 32 bytes or under 128 bits
    of estimated entropy) is a ConfigError naming the secret to set: the app refuses to start.
    """
    secrets = _read_secrets(secrets_file)
    auth = secrets.get("auth") or {}
    if not isinstance(auth, dict):
        raise ConfigError(f"{secrets_file}: [auth] must be a table of settings")
    key = os.environ.get(COOKIE_KEY_ENV, "").strip() or str(auth.get("cookie_key", "")).strip()
    weak = len(key.encode("utf-8")) < MIN_COOKIE_KEY_BYTES or key_strength_bits(key) < MIN_COOKIE_KEY_BITS
    if weak:
        if not demo:
            raise ConfigError(
                "No login cookie key is set, or it is too weak (it needs at least 32 bytes and 128 bits "
                f"of randomness). Set [auth] cookie_key in .streamlit/secrets.toml or the environment "
                f"variable {COOKIE_KEY_ENV} to a long random value, e.g. the output of: "
                'python -c "import secrets; print(secrets.token_urlsafe(48))"'
            )
        key = _demo_cookie_key()
    return AuthSettings(
        cookie_key=key,
        cookie_name=_auth_text(auth, "cookie_name", "equality_session", secrets_file),
        session_hours=_auth_number(auth, "session_hours", 8.0, secrets_file, 0.1, 24 * 30),
        idle_minutes=_auth_number(auth, "idle_minutes", 30.0, secrets_file, 1, 24 * 60),
        client_ip_header=_auth_text(auth, "client_ip_header", "", secrets_file),
        allow_demo_logins=demo,
    )


def admin_grant_policy(secrets_file: Path = SECRETS_FILE) -> str:
    """``second_admin`` (default): a board, equality-lead or admin login made by one administrator
    waits for a second; ``never``: administrators cannot make them at all (only the command line)."""
    auth = _read_secrets(secrets_file).get("auth") or {}
    value = os.environ.get(ADMIN_GRANTS_ENV, "").strip() or str(auth.get("admin_grants", "second_admin"))
    if value not in ADMIN_GRANTS:
        raise ConfigError(
            f"{secrets_file}: [auth] admin_grants (or {ADMIN_GRANTS_ENV}) must be one of "
            f"{', '.join(ADMIN_GRANTS)}, not {value!r}"
        )
    return value


def _auth_text(auth: dict, key: str, default: str, secrets_file: Path) -> str:
    value = auth.get(key, default)
    if not isinstance(value, str) or (
        key == "cookie_name" and not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value)
    ):
        raise ConfigError(f"{secrets_file}: [auth] {key} must be a short text of letters, digits, - or _")
    return value


def _auth_number(auth: dict, key: str, default: float, secrets_file: Path, low: float, high: float) -> float:
    value = auth.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ConfigError(
            f"{secrets_file}: [auth] {key} must be a number from {low:g} to {high:g}, not {value!r}"
        )
    return float(value)


def _demo_cookie_key() -> str:
    import secrets as token_source

    try:
        if DEMO_COOKIE_KEY_FILE.exists():
            key = DEMO_COOKIE_KEY_FILE.read_text(encoding="utf-8").strip()
            if len(key) >= MIN_COOKIE_KEY_BYTES and key_strength_bits(key) >= MIN_COOKIE_KEY_BITS:
                return key
        key = token_source.token_urlsafe(48)
        DEMO_COOKIE_KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        DEMO_COOKIE_KEY_FILE.write_text(key, encoding="utf-8")
        DEMO_COOKIE_KEY_FILE.chmod(0o600)
        return key
    except OSError:
        return _process_demo_key(token_source.token_urlsafe(48))


_PROCESS_DEMO_KEY: list[str] = []


def _process_demo_key(candidate: str) -> str:
    """A read-only data/ folder: one key per server process (a restart signs demo users out)."""
    if not _PROCESS_DEMO_KEY:
        _PROCESS_DEMO_KEY.append(candidate)
    return _PROCESS_DEMO_KEY[0]
