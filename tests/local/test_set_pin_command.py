"""`bianmin kiosk set-pin` writes an argon2 hash into the config and keeps other settings."""

from __future__ import annotations

import io

from bianmin.cli import main
from bianmin.config import load_config
from bianmin.local.staff_pin import PinGuard
from bianmin.store import LocalStore


def test_set_pin_writes_hash_and_keeps_other_keys(tmp_path, monkeypatch):
    config = tmp_path / "bianmin.toml"
    config.write_text('[room]\nname = "红旗嘎查便民服务室"\n', encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("8642\n"))
    assert main(["--config", str(config), "kiosk", "set-pin", "--pin-stdin"]) == 0
    cfg = load_config(config)
    assert cfg.room.name == "红旗嘎查便民服务室"
    assert cfg.kiosk.staff_pin_hash.startswith("$argon2") and "8642" not in config.read_text()
    guard = PinGuard(LocalStore(tmp_path / "s.sqlite3"), cfg.kiosk.staff_pin_hash)
    assert guard.check("8642").ok and not guard.check("1234").ok
    assert config.stat().st_mode & 0o777 == 0o600  # it may hold the device token from `kiosk enrol`


def test_set_pin_refuses_a_bad_pin(tmp_path, monkeypatch, capsys):
    config = tmp_path / "bianmin.toml"
    monkeypatch.setattr("sys.stdin", io.StringIO("12a\n"))
    assert main(["--config", str(config), "kiosk", "set-pin", "--pin-stdin"]) == 2
    assert not config.exists()
    assert "4 到 8 位数字" in capsys.readouterr().err
