"""Server fixtures for the tracking tests: a migrated database (SQLite, and PostgreSQL
when BIANMIN_TEST_POSTGRES_URL is set), the demo organisation, and the real app."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from tests.server.conftest import TEST_FERNET_KEY, make_postgres_db  # noqa: F401  (shared fixtures)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path, make_postgres_db):  # noqa: F811
    """A fresh migrated database per test: lookup logs and rate limits must not leak between tests."""
    from server.migrate import upgrade

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
        upgrade(url)
        return url
    return make_postgres_db()


@pytest.fixture()
def server_app(db_url, tmp_path):
    from server.core.config import Settings
    from server.db import write_session
    from server.main import create_app
    from server.seed import seed_demo

    settings = Settings(db_url=db_url, id_key=TEST_FERNET_KEY, secret_key="x" * 48,
                        public_base_url="http://testserver", status_settle_seconds=0)
    app = create_app(settings)
    with write_session(app.state.sessions) as session:
        seed_demo(session)
    yield app
    app.state.engine.dispose()


@pytest.fixture()
def client(server_app):
    from fastapi.testclient import TestClient

    with TestClient(server_app, raise_server_exceptions=False) as c:
        yield c


def make_application(sessions, status_path=(), phone="13800138000", name="王秀英", item_name="城乡居民养老保险参保登记",
                     village_code="150121101001", missing=()):
    """Insert an application as a kiosk would have, then walk it through ``status_path``."""
    from sqlalchemy import select

    from bianmin.domain.tracking import new_short_code, new_token
    from server.db import write_session
    from server.models import Application, ApplicationEvent, Village
    from server.services.applications import change_status

    now = datetime.now(UTC)
    with write_session(sessions) as session:
        village = session.execute(select(Village).where(Village.code == village_code)).scalar_one()
        app = Application(
            uuid=str(uuid.uuid4()), village_id=village.id, item_code="ITEM-1", item_name=item_name,
            applicant_name=name, phone=phone, token=new_token(), short_code=new_short_code(),
            promised_days=5, consent_at=now, created_at=now, updated_at=now,
            materials_missing=list(missing), status="submitted",
        )
        session.add(app)
        session.flush()
        session.add(ApplicationEvent(application_id=app.id, village_id=village.id, at=now, actor="kiosk:test",
                                     from_status=None, to_status="submitted"))
        session.flush()
        for step in status_path:
            target, note, materials = (step, "", None) if isinstance(step, str) else step
            change_status(session, app, target, actor="user:test", note=note, missing_materials=materials)
        return {"uuid": app.uuid, "token": app.token, "short_code": app.short_code, "id": app.id}
