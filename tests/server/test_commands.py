"""`bianmin server seed-demo | enrol-code | revoke-device | migrate` against a SQLite file."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bianmin.cli import main
from server import migrate
from server.db import make_engine, make_sessionmaker
from server.models import Device, EnrolmentCode, Village


@pytest.fixture
def db(tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setenv("BIANMIN_HOME", str(tmp_path))
    return f"sqlite:///{tmp_path / 'server.sqlite3'}"


def test_seed_enrol_code_and_revoke(db, capsys):  # noqa: ANN001
    assert main(["server", "seed-demo", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "150121101001" in out and re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", out)
    assert migrate.current_heads(db)  # migrated by the command

    assert main(["server", "enrol-code", "150121100002", "--db", db, "--hours", "2"]) == 0
    out = capsys.readouterr().out
    assert "讨思浩村" in out and "bianmin kiosk enrol" in out
    assert main(["server", "enrol-code", "999999999999", "--db", db]) == 2
    assert "no village" in capsys.readouterr().err

    engine = make_engine(db)
    with make_sessionmaker(engine)() as s:
        village = s.execute(select(Village).where(Village.code == "150121100002")).scalar_one()
        assert s.execute(select(EnrolmentCode).where(EnrolmentCode.village_id == village.id)).scalars().all()
        s.add(Device(village_id=village.id, token_hash="0" * 64))
        s.commit()
        device_id = s.execute(select(Device.id)).scalar_one()
    assert main(["server", "revoke-device", str(device_id), "--db", db]) == 0
    with make_sessionmaker(engine)() as s:
        assert s.get(Device, device_id).revoked
    engine.dispose()
    assert main(["server", "revoke-device", "4242", "--db", db]) == 2


def test_migrate_command_reaches_head(db, capsys):  # noqa: ANN001
    assert main(["server", "migrate", "--db", db]) == 0
    assert "database at head" in capsys.readouterr().out
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(migrate.alembic_config(db)).get_heads())
    assert migrate.current_heads(db) == heads
