"""The kiosk configuration file (TOML), validated with clear messages.

Every section is optional and has sensible defaults, so a fresh install runs as a
demo. A wrong value never produces a traceback: `load_config` raises `ConfigError`
whose message names the file, the key (e.g. ``[kiosk] idle_timeout``) and the
problem, in Chinese and English, for the installer standing at the terminal.
"""

from __future__ import annotations

import tomllib
from datetime import date, time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bianmin import paths
from bianmin.domain.fields import Line
from bianmin.domain.wire import WINDOW_MAX

LANGUAGES = ("zh_CN", "en")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RoomConfig(_Section):
    name: str = Field("巴彦嘎查便民服务室", min_length=1, max_length=40)
    code: str = Field("150121101001", pattern=r"^\d{6,15}$")  # area code + village code
    township: str = "巴彦苏木"
    county: str = "土默特左旗"
    address: str = "巴彦嘎查村委会一楼"
    hours: str = "周一至周五 8:30-12:00, 14:30-17:30"
    complaint_phone: str = "0471-12345"
    supervision_phone: str = "0471-12388"


class KioskConfig(_Section):
    language: Literal["zh_CN", "en"] = "zh_CN"
    idle_timeout: int = Field(90, ge=10, le=3600)  # seconds
    staff_pin_hash: str = ""  # argon2 hash; empty = the demo PIN 1234 (logged as a warning)
    public_base_url: str = "http://127.0.0.1:8000"
    large_text: bool = False  # start in elderly-friendly 大字 mode
    attract_after: int = Field(60, ge=0, le=3600)  # seconds Home waits before cycling now-serving/notices; 0 = never
    speech: bool = True


class PrinterConfig(_Section):
    uri: str = "preview://previews"  # relative paths are inside the data directory
    width: Literal[384, 576] = 384
    mode: Literal["raster", "text"] = "raster"
    timeout: float = Field(5.0, gt=0, le=60)


class ServerConfig(_Section):
    url: str = ""  # empty = not connected (offline only)
    device_token: str = ""
    sync_interval: int = Field(30, ge=5, le=3600)


class QueueLineConfig(_Section):
    prefix: str = Field(pattern=r"^[A-Z]$")
    label: str = Field(min_length=1, max_length=12)
    # Sent with every ticket and stored in a column of WINDOW_MAX characters (one contract).
    window: Line(WINDOW_MAX) = "1"
    hours: list[str] = ["08:30-12:00", "14:30-17:30"]
    weekdays: list[int] = [1, 2, 3, 4, 5]  # ISO weekday numbers
    daily_cap: int = Field(100, ge=1, le=999)
    items: list[str] = []  # service item codes; items of a topic may be listed by topic too
    topics: list[str] = []
    default_service_minutes: int = Field(5, ge=1, le=120)  # wait estimate before there is history

    @field_validator("hours")
    @classmethod
    def _check_hours(cls, value: list[str]) -> list[str]:
        for span in value:
            parse_span(span)
        return value


class QueueConfig(_Section):
    lines: list[QueueLineConfig] = Field(
        default_factory=lambda: [
            # every topic of the shipped catalogue belongs to a line, so a guide can preselect it
            QueueLineConfig(prefix="A", label="证照代办", window="1",
                            topics=["户籍证件", "建房土地", "生育", "证明开具", "市场主体", "交通"]),
            QueueLineConfig(prefix="B", label="社保民政", window="2",
                            topics=["社会保障", "民政救助", "涉农补贴", "医疗保障"]),
            QueueLineConfig(prefix="C", label="咨询", window="3",
                            topics=["法律咨询", "农技信息", "就业信息", "公益服务", "林草", "文化", "民事调解"]),
        ]
    )


class Config(_Section):
    room: RoomConfig = RoomConfig()
    kiosk: KioskConfig = KioskConfig()
    printer: PrinterConfig = PrinterConfig()
    server: ServerConfig = ServerConfig()
    queue: QueueConfig = QueueConfig()
    holidays: list[date] = []  # public holidays, e.g. 2026-10-01 (weekends are skipped anyway)
    workdays: list[date] = []  # make-up working Saturdays/Sundays (调休)

    source: Path | None = Field(default=None, exclude=True)


class ConfigError(Exception):
    """A config problem, worded for the installer."""


def parse_span(span: str) -> tuple[time, time]:
    """Parse '08:30-12:00' into two times; raise ValueError with a plain message."""
    try:
        start_s, end_s = span.split("-")
        start, end = time.fromisoformat(start_s.strip()), time.fromisoformat(end_s.strip())
    except ValueError as exc:
        raise ValueError(f"时间段 {span!r} 应写成 08:30-12:00 / time span must look like 08:30-12:00") from exc
    if end <= start:
        raise ValueError(f"时间段 {span!r} 结束早于开始 / ends before it starts")
    return start, end


def _key_of(loc: tuple) -> str:
    parts = [str(p) for p in loc]
    if len(parts) >= 2:
        return f"[{'.'.join(parts[:-1])}] {parts[-1]}"
    return parts[0] if parts else "?"


def format_validation_error(exc: ValidationError, source: Path | str) -> str:
    lines = [f"配置文件有误 / configuration error in {source}:"]
    for err in exc.errors():
        key = _key_of(err["loc"])
        if err["type"] == "extra_forbidden":
            lines.append(f"  {key}: 未知的配置项 / unknown key")
        else:
            lines.append(f"  {key}: {err['msg']} (值/value: {err.get('input')!r})")
    return "\n".join(lines)


def load_config(path: Path | str | None = None) -> Config:
    """Load and validate the config; a missing file means all defaults."""
    path = Path(path) if path else paths.config_file()
    if not path.exists():
        cfg = Config()
        cfg.source = None
        return cfg
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"配置文件不是合法的 TOML / {path} is not valid TOML: {exc}") from exc
    try:
        cfg = Config.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(exc, path)) from exc
    cfg.source = path
    return cfg


def resolve_data_path(value: str) -> Path:
    """Relative paths in the config are inside the data directory."""
    p = Path(value).expanduser()
    return p if p.is_absolute() else paths.data_dir() / p
