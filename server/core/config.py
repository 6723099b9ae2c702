"""Server settings: ONE pydantic-settings class holding every ``BIANMIN_*`` variable the server reads.

Why pydantic-settings: it reads, types and validates environment variables with the
same models as the rest of the code, so a typo such as ``BIANMIN_FOLLOWUP_DAYS=five``
stops the server at start with a clear message instead of surfacing as a 500 later,
and no module reads ``os.environ`` on its own (grep for ``BIANMIN_`` finds them all here).

Every worker process builds the same ``Settings`` from the same environment
(``bianmin server`` exports them before uvicorn forks workers), so nothing a
worker needs is passed through process memory. Secrets that must be identical
across workers and restarts (the ID-number key, the session secret) come from the
environment or from key files in the data directory created once, mode 0600; the
ID-number key is read once per process (``id_cipher``), never per request.

Variables outside the server (``BIANMIN_HOME``, ``BIANMIN_CONFIG``, ``BIANMIN_FONT_DIR``,
``BIANMIN_CACHE``) belong to the kiosk and tools and live in ``bianmin.paths``.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta, timezone, tzinfo
from functools import cached_property, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cryptography.fernet import Fernet
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bianmin import paths

ENV_PREFIX = "BIANMIN_"
DEFAULT_TIMEZONE = "Asia/Shanghai"


def default_database_url() -> str:
    return f"sqlite:///{paths.data_dir() / 'server.sqlite3'}"


class Settings(BaseSettings):
    """What the server needs to know; env names are BIANMIN_<FIELD upper-case>."""

    # extra="forbid": a misspelt keyword is an error; other BIANMIN_* variables (the kiosk's,
    # the tests') are not fields and are left alone.
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_ignore_empty=True, frozen=True,
                                      extra="forbid")

    db_url: str = Field(default_factory=default_database_url)
    public_base_url: str = "http://127.0.0.1:8000"
    max_body_bytes: int = Field(2 * 1024 * 1024, ge=1024)  # a full batch of 200 records is ~400 KB
    # Fernet key for ID numbers at rest; empty = read/create `id_key_file`.
    id_key: str = ""
    id_key_file: str = ""  # default: <data dir>/server-id.key
    # Secret for signing console sessions etc.; empty = read/create `secret_key_file`.
    secret_key: str = ""
    secret_key_file: str = ""  # default: <data dir>/server-secret.key
    status_page_size: int = Field(500, ge=1, le=5000)
    # Status events younger than this are held back from pulls so that a transaction
    # that took a lower event id but committed later is never skipped by a cursor.
    status_settle_seconds: float = Field(1.0, ge=0, le=60)
    enrol_code_hours: int = Field(72, ge=1, le=24 * 90)
    enrol_attempts_per_10min: int = Field(20, ge=1)
    last_seen_resolution_seconds: int = Field(60, ge=0)
    # Local time of the county: dates on pages, promised dates, "today" (IANA name).
    timezone: str = DEFAULT_TIMEZONE
    # Working days a supervisor has to answer a 差评 or a complaint.
    followup_days: int = Field(5, ge=1, le=60)
    # Short-code lookups (查询进度 by code + last four phone digits), failed guesses per window:
    lookup_window_minutes: int = Field(15, ge=1, le=24 * 60)
    lookup_per_address: int = Field(30, ge=1)  # one IP or one kiosk (villagers behind one NAT share it)
    lookup_per_code: int = Field(10, ge=1)  # one short code, from anywhere, per code window:
    lookup_code_window_hours: int = Field(24, ge=1, le=24 * 30)  # … so guessing 4 digits stays hopeless
    lookup_overall: int = Field(2000, ge=1)  # everyone together: caps code enumeration from many addresses
    # Where limiter state lives: empty = the database; redis://host:port/db = Redis (shared by all hosts).
    redis_url: str = ""

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (an IANA name such as Asia/Shanghai)") from exc
        return value

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """The environment's settings with explicit values (CLI options) taking precedence."""
        return cls(**{k: v for k, v in overrides.items() if v is not None})

    def to_env(self) -> dict[str, str]:
        """The environment that makes ``from_env`` rebuild these settings in a worker process."""
        return {ENV_PREFIX + k.upper(): str(v) for k, v in self.model_dump().items() if v not in ("", None)}

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

    @property
    def tz(self) -> tzinfo:
        return ZoneInfo(self.timezone)


    def fernet(self) -> Fernet:
        """The ID-number cipher; the key file is read once per Settings object."""
        return self.id_cipher

    @cached_property
    def id_cipher(self) -> Fernet:
        key = self.id_key or _key_from_file(self.id_key_file or str(paths.data_dir() / "server-id.key"),
                                            lambda: Fernet.generate_key().decode())
        return Fernet(key.encode())

    def signing_secret(self) -> str:
        return self.secret_key or _key_from_file(
            self.secret_key_file or str(paths.data_dir() / "server-secret.key"),
            lambda: secrets.token_urlsafe(48),
        )


@lru_cache(maxsize=1)
def process_settings() -> Settings:
    """The environment's settings, for code without a request at hand (use ``app.state.settings``
    where there is one). Every worker has the same environment, hence the same values."""
    return Settings()


def process_timezone() -> tzinfo:
    """The configured local time zone for date helpers without a request (console deadlines).

    UTC+8 if the environment cannot be read, so a date helper never fails; a broken
    environment is reported when the server starts, by ``Settings.from_env``.
    """
    try:
        return process_settings().tz
    except Exception:  # noqa: BLE001
        return timezone(timedelta(hours=8))


def _key_from_file(path: str, make: object) -> str:
    """Read a key file, creating it atomically (0600) on first use; racing workers agree."""
    file = Path(path)
    if file.exists():
        return file.read_text(encoding="ascii").strip()
    file.parent.mkdir(parents=True, exist_ok=True)
    value = make()  # type: ignore[operator]
    try:
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker won the race: use its key
        return file.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(value + "\n")
    return value
