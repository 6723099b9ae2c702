"""`bianmin kiosk enrol --server URL --code CODE`: exchange a one-time code for a device token.

The token, the server URL and the village code the server assigned are written
into the kiosk's config file (other settings are kept as they are), so the
kiosk's records carry the village the server will accept.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import sys
import tomllib
from pathlib import Path

import tomli_w

from bianmin import paths
from server_client.client import BadRequest, ServerClient, SyncError, Unreachable


def write_enrolment(config_path: Path, server_url: str, reply: dict) -> None:
    """Merge the enrolment into the TOML config, atomically."""
    data: dict = {}
    if config_path.exists():
        data = tomllib.loads(config_path.read_text(encoding="utf-8"))
    server = data.setdefault("server", {})
    server["url"] = server_url.rstrip("/")
    server["device_token"] = reply["token"]
    room = data.setdefault("room", {})
    room["code"] = reply["village_code"]
    if reply.get("room_name"):
        room.setdefault("name", reply["room_name"])
    room.setdefault("township", reply.get("township_name", ""))
    room.setdefault("county", reply.get("county_name", ""))
    config_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = config_path.with_name(config_path.name + ".tmp")
    with open(tmp, "wb") as fh:
        tomli_w.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o600)  # the token is a credential
    os.replace(tmp, config_path)


def enrolment_key(config_path: Path) -> str:
    """This kiosk's own enrolment key, made once and kept next to the config (mode 0600).

    Sent with the code; if the reply is lost, running the same command again sends the
    same key and the server returns the same device instead of refusing a used code.
    """
    path = config_path.with_name(config_path.name + ".enrol-key")
    if path.exists():
        key = path.read_text(encoding="ascii").strip()
        if 32 <= len(key) <= 64:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
        fh.flush()
        os.fsync(fh.fileno())
    return key


def enrol(server_url: str, code: str, config_path: Path, name: str = "") -> dict:
    client = ServerClient(server_url)
    try:
        reply = client.enrol(code, name=name or socket.gethostname(), key=enrolment_key(config_path))
    finally:
        client.close()
    write_enrolment(config_path, server_url, reply)
    return reply


def run(args: argparse.Namespace) -> int:
    config_path = Path(args.config) if getattr(args, "config", None) else paths.config_file()
    try:
        reply = enrol(args.server, args.code, config_path, name=args.name or "")
    except Unreachable as exc:
        print(f"无法连接服务器 {args.server} / cannot reach the server: {exc}", file=sys.stderr)
        return 3
    except BadRequest as exc:
        print(f"登记失败 / enrolment refused: {exc}", file=sys.stderr)
        return 2
    except SyncError as exc:
        print(f"登记失败 / enrolment failed: {exc}", file=sys.stderr)
        return 2
    print(f"终端已登记 / kiosk enrolled: {reply['county_name']} {reply['township_name']} "
          f"{reply['village_name']} ({reply['village_code']}), device {reply['device_id']}")
    print(f"  配置已写入 / written to {config_path}")
    return 0


def register_action(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser("enrol", help="enrol this kiosk with the central server")
    parser.add_argument("--server", required=True, metavar="URL", help="e.g. https://bianmin.example.gov.cn")
    parser.add_argument("--code", required=True, help="one-time enrolment code (XXXX-XXXX-XXXX)")
    parser.add_argument("--name", default="", help="a label for this kiosk (default: hostname)")
    parser.set_defaults(handler=run)
