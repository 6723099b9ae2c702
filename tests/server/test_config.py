"""One settings class: every BIANMIN_* variable the server reads is a typed field of
``server.core.config.Settings``; the ID-number key is read once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from server.core.config import Settings
from server.security import decrypt_id_number, encrypt_id_number

SERVER = Path(__file__).resolve().parents[2] / "server"
READS_ENV = re.compile(r"os\.environ\.get\(|os\.getenv\(|os\.environ\[|environ\.get\(")


def test_no_server_module_reads_the_environment_itself():
    offenders = [str(p.relative_to(SERVER)) for p in SERVER.rglob("*.py")
                 if p.name != "config.py" and READS_ENV.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_settings_come_typed_from_the_environment(monkeypatch):
    monkeypatch.setenv("BIANMIN_FOLLOWUP_DAYS", "7")
    monkeypatch.setenv("BIANMIN_TIMEZONE", "Asia/Urumqi")
    monkeypatch.setenv("BIANMIN_LOOKUP_PER_CODE", "3")
    settings = Settings(db_url="sqlite://")
    assert (settings.followup_days, settings.timezone, settings.lookup_per_code) == (7, "Asia/Urumqi", 3)
    assert Settings.from_env(followup_days=9).followup_days == 9  # CLI options win
    rebuilt = Settings.from_env()
    assert rebuilt.followup_days == 7


@pytest.mark.parametrize(("name", "value"), [("BIANMIN_FOLLOWUP_DAYS", "five"), ("BIANMIN_FOLLOWUP_DAYS", "0"),
                                             ("BIANMIN_TIMEZONE", "Mars/Olympus"),
                                             ("BIANMIN_LOOKUP_PER_ADDRESS", "-1")])
def test_a_bad_value_stops_the_server_at_start(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings(db_url="sqlite://")


def test_a_misspelt_keyword_is_refused():
    with pytest.raises(ValidationError):
        Settings(db_url="sqlite://", followup_dayz=3)


def test_the_id_key_file_is_read_once(tmp_path):
    key_file = tmp_path / "server-id.key"
    key_file.write_text(Fernet.generate_key().decode() + "\n", encoding="ascii")
    settings = Settings(db_url="sqlite://", id_key_file=str(key_file))
    blob = encrypt_id_number(settings.id_cipher, "110101199003071234")
    key_file.unlink()  # a per-request re-read would now fail
    assert settings.fernet() is settings.id_cipher
    assert decrypt_id_number(settings.id_cipher, blob) == "110101199003071234"
    assert decrypt_id_number(Fernet(Fernet.generate_key()), blob) is None  # wrong key: None, never a 500
