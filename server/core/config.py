"""Server settings: one immutable object built from arguments or the environment.

Every worker process builds the same ``Settings`` from the same environment
(``bianmin server`` exports them before uvicorn forks workers), so nothing a
worker needs is passed through process memory. Secrets that must be identical
across workers and restarts (the ID-number key, the session secret) come from the
environment or from key files in the data directory created once, mode 0600.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet
from pydantic import BaseModel, ConfigDict, Field

from bianmin import paths

ENV_PREFIX = "BIANMIN_"


def default_database_url() -> str:
    return f"sqlite:///{paths.data_dir() / 'server.sqlite3'}"


class Settings(BaseModel):
    """What the server needs to know; env names are BIANMIN_<FIELD upper-case>."""

    model_config = ConfigDict(frozen=True, extra="forbid")

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

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        values: dict[str, object] = {}
        for name in cls.model_fields:
            env = os.environ.get(ENV_PREFIX + name.upper())
            if env is not None and env != "":
                values[name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(values)

    def to_env(self) -> dict[str, str]:
        """The environment that makes ``from_env`` rebuild these settings in a worker process."""
        return {ENV_PREFIX + k.upper(): str(v) for k, v in self.model_dump().items() if v not in ("", None)}

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

    def fernet(self) -> Fernet:
        key = self.id_key or _key_from_file(self.id_key_file or str(paths.data_dir() / "server-id.key"),
                                            lambda: Fernet.generate_key().decode())
        return Fernet(key.encode())

    def signing_secret(self) -> str:
        return self.secret_key or _key_from_file(
            self.secret_key_file or str(paths.data_dir() / "server-secret.key"),
            lambda: secrets.token_urlsafe(48),
        )


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
