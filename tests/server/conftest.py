"""Server fixtures, shared by the sync, console and tracking tests.

- ``db_url`` (session scope, parametrised): a migrated database, once on SQLite
  and once on PostgreSQL. The PostgreSQL run creates a uniquely named database on
  the server in ``BIANMIN_TEST_POSTGRES_URL`` and drops it at the end; without the
  variable those tests skip with a message.
- ``server_settings`` → ``server_app`` (``create_app``) → ``client`` (TestClient);
  ``sessions`` is the app's session factory.
- ``village`` (a fresh village with agents) and ``kiosk`` (a device enrolled for it
  through the API). See tests/server/helpers.py for the helpers behind them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, delete, text
from sqlalchemy.engine import make_url

from server import migrate
from server.core.config import Settings
from tests.server.helpers import EnrolledKiosk, SeededVillage, enrol_device, seed_village

POSTGRES_ENV = "BIANMIN_TEST_POSTGRES_URL"
TEST_FERNET_KEY = Fernet.generate_key().decode()


def postgres_base_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def _skip_postgres() -> None:
    pytest.skip(f"PostgreSQL tests skipped: set {POSTGRES_ENV}=postgresql+psycopg://user@host:5432/db "
                "(a scratch database is created and dropped there)")


@pytest.fixture(scope="session")
def make_postgres_db() -> Iterator:
    """Factory: a new uniquely named, migrated PostgreSQL database; all dropped at session end."""
    base = postgres_base_url()
    created: list[str] = []
    admin = create_engine(make_url(base), isolation_level="AUTOCOMMIT") if base else None

    def make(migrated: bool = True) -> str:
        if admin is None:
            _skip_postgres()
        name = f"bianmin_test_{os.getpid()}_{secrets.token_hex(4)}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        url = make_url(base).set(database=name).render_as_string(hide_password=False)
        if migrated:
            migrate.upgrade(url)
        return url

    yield make
    if admin is not None:
        with admin.connect() as conn:
            for name in created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, make_postgres_db) -> str:
    """A migrated database URL (one per backend per test session)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('serverdb') / 'server.sqlite3'}"
        migrate.upgrade(url)
        return url
    return make_postgres_db()


@pytest.fixture
def server_settings(db_url: str) -> Settings:
    return Settings(db_url=db_url, status_settle_seconds=0, id_key=TEST_FERNET_KEY, secret_key="test-secret",
                    public_base_url="http://testserver", last_seen_resolution_seconds=0,
                    enrol_attempts_per_10min=100_000)


@pytest.fixture
def server_app(server_settings: Settings):  # noqa: ANN201
    from server.main import create_app

    app = create_app(server_settings)
    # Limiter budgets live in the database the whole test session shares: each test starts
    # with none spent, so the order tests run in never decides whether one meets a limit.
    from server.models import RateLimitBucket

    with app.state.engine.begin() as conn:
        conn.execute(delete(RateLimitBucket))
    yield app
    app.state.engine.dispose()


@pytest.fixture
def client(server_app):  # noqa: ANN001, ANN201
    from fastapi.testclient import TestClient

    with TestClient(server_app) as test_client:
        yield test_client


@pytest.fixture
def sessions(server_app):  # noqa: ANN001, ANN201
    return server_app.state.sessions


@pytest.fixture
def village(sessions) -> SeededVillage:  # noqa: ANN001
    return seed_village(sessions)


@pytest.fixture
def kiosk(client, sessions, village: SeededVillage) -> EnrolledKiosk:  # noqa: ANN001
    return enrol_device(client, sessions, village.code)
