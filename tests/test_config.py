"""The kiosk config: defaults, and bad values named by key."""

from __future__ import annotations

from datetime import date

import pytest

from bianmin.config import ConfigError, load_config


def test_missing_file_means_defaults(tmp_path):
    cfg = load_config(tmp_path / "none.toml")
    assert cfg.kiosk.language == "zh_CN" and cfg.kiosk.idle_timeout == 90


def test_values_are_read(tmp_path):
    path = tmp_path / "b.toml"
    path.write_text('[room]\nname = "乌兰嘎查便民服务室"\n[kiosk]\nidle_timeout = 120\nlanguage = "en"\n',
                    encoding="utf-8")
    cfg = load_config(path)
    assert cfg.room.name == "乌兰嘎查便民服务室" and cfg.kiosk.idle_timeout == 120 and cfg.kiosk.language == "en"


def test_holidays_are_dates(tmp_path):
    path = tmp_path / "b.toml"
    path.write_text('holidays = [2026-10-01, "2026-10-02"]\n', encoding="utf-8")
    assert load_config(path).holidays == [date(2026, 10, 1), date(2026, 10, 2)]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[kiosk]\nidle_timeout = 5\n', "[kiosk] idle_timeout"),
        ('[kiosk]\nlanguage = "fr"\n', "[kiosk] language"),
        ('[printer]\nwidth = 500\n', "[printer] width"),
        ('[kiosk]\nidel_timeout = 90\n', "[kiosk] idel_timeout"),
        ('holidays = ["2026-13-01"]\n', "holidays"),
        ('[[queue.lines]]\nprefix = "A"\nlabel = "x"\nhours = ["12:00-08:00"]\n', "hours"),
    ],
)
def test_bad_values_name_the_key(tmp_path, text, named):
    path = tmp_path / "b.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert named in str(err.value)
    assert "配置文件有误" in str(err.value)


def test_not_toml(tmp_path):
    path = tmp_path / "b.toml"
    path.write_text("[kiosk\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "TOML" in str(err.value)
