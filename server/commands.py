"""`bianmin server …`: run the server (migrations first), seed demo data, enrolment codes, revoke.

    bianmin server [--db URL] [--host H] [--port P] [--workers N] [--public-url URL]
    bianmin server seed-demo [--db URL]
    bianmin server enrol-code VILLAGE_CODE [--db URL] [--hours H]
    bianmin server revoke-device DEVICE_ID [--db URL]
    bianmin server migrate [--db URL]
    bianmin server create-user USERNAME --role ROLE --scope CODE [--name NAME] [--db URL]
    bianmin server import-org FILE.csv [--db URL]
"""

from __future__ import annotations

import argparse
import os
import sys


def _db_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument("--db", default=default, metavar="URL",
                        help="database URL (default: $BIANMIN_DB_URL, else SQLite in the data directory; "
                             "production: postgresql+psycopg://user@host/db — put a password in "
                             "BIANMIN_DB_URL or ~/.pgpass, not here: arguments show in `ps`)")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("server", help="run the central server (sync API, console, tracking pages)")
    _db_option(parser, None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (stateless)")
    parser.add_argument("--public-url", help="public base URL printed in QR codes (default http://HOST:PORT)")
    parser.set_defaults(handler=run_server)
    actions = parser.add_subparsers(dest="server_command", metavar="ACTION")
    seed = actions.add_parser("seed-demo", help="create the demo county, villages, agents and an enrolment code")
    _db_option(seed, argparse.SUPPRESS)
    seed.set_defaults(handler=run_seed)
    code = actions.add_parser("enrol-code", help="issue a one-time enrolment code for a village")
    code.add_argument("village_code")
    code.add_argument("--hours", type=int, default=None, help="validity (default 72)")
    _db_option(code, argparse.SUPPRESS)
    code.set_defaults(handler=run_enrol_code)
    revoke = actions.add_parser("revoke-device", help="revoke a kiosk's token (it gets 401 from now on)")
    revoke.add_argument("device_id", type=int)
    _db_option(revoke, argparse.SUPPRESS)
    revoke.set_defaults(handler=run_revoke)
    migrate = actions.add_parser("migrate", help="apply database migrations and exit")
    _db_option(migrate, argparse.SUPPRESS)
    migrate.set_defaults(handler=run_migrate)
    user = actions.add_parser("create-user", help="add a console user (asks for the password)")
    user.add_argument("username")
    user.add_argument("--role", required=True, choices=["village_agent", "township_staff", "county_admin"])
    user.add_argument("--scope", required=True, help="village (12 digits), township (9) or county (6) code")
    user.add_argument("--name", default="", help="display name (default: the user name)")
    user.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    _db_option(user, argparse.SUPPRESS)
    user.set_defaults(handler=run_create_user)
    org = actions.add_parser("import-org", help="add/update the county's townships and villages from a CSV file")
    org.add_argument("file", help="UTF-8 CSV: county_code,county_name,township_code,township_name,"
                                  "village_code,village_name[,township_kind,village_kind]")
    _db_option(org, argparse.SUPPRESS)
    org.set_defaults(handler=run_import_org)


def _settings(args: argparse.Namespace, **extra: object):  # noqa: ANN202
    from server.core.config import Settings

    return Settings.from_env(db_url=getattr(args, "db", None), **extra)


def _prepare(args: argparse.Namespace, **extra: object):  # noqa: ANN202
    """Settings + migrated database + session factory (the schema is made only by Alembic)."""
    from server import migrate
    from server.db import make_engine, make_sessionmaker

    settings = _settings(args, **extra)
    migrate.upgrade(settings.db_url)
    return settings, make_sessionmaker(make_engine(settings.db_url))


def run_migrate(args: argparse.Namespace) -> int:
    settings, _ = _prepare(args)
    print(f"数据库已是最新 / database at head: {_safe_url(settings.db_url)}")
    return 0


def run_server(args: argparse.Namespace) -> int:
    import uvicorn

    configured = _settings(args)
    public = args.public_url or (configured.public_base_url if "public_base_url" in configured.model_fields_set
                                 else f"http://{args.host}:{args.port}")
    settings, _ = _prepare(args, public_base_url=public)
    settings.fernet()  # create key files once, before workers start
    settings.signing_secret()
    os.environ.update(settings.to_env())  # every worker rebuilds the same settings
    print(f"便民服务器 / Bianmin server on http://{args.host}:{args.port} "
          f"(db {_safe_url(settings.db_url)}, {args.workers} worker(s))", flush=True)
    uvicorn.run("server.main:app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers if args.workers > 1 else None, log_level="warning",
                timeout_graceful_shutdown=5)
    return 0


def run_seed(args: argparse.Namespace) -> int:
    from server.db import write_session
    from server.seed import seed_demo, shipped_catalogue

    _settings_, sessions = _prepare(args)
    with write_session(sessions) as session:
        report = seed_demo(session, catalogue=shipped_catalogue())
    print("演示数据已就绪 / demo data ready" + (" (new)" if report.created else " (already there)"))
    for line in report.lines:
        print("  " + line)
    return 0


def run_enrol_code(args: argparse.Namespace) -> int:
    from server.db import write_session
    from server.services.devices import create_enrolment_code, village_by_code

    settings, sessions = _prepare(args)
    with write_session(sessions) as session:
        village = village_by_code(session, args.village_code)
        if village is None:
            print(f"没有这个村/嘎查代码 / no village with code {args.village_code}", file=sys.stderr)
            return 2
        issued = create_enrolment_code(session, village, hours=args.hours or settings.enrol_code_hours)
    print(f"{village.name} ({village.code}) 登记码 / enrolment code: {issued.code}")
    print(f"  有效期至 / valid until {issued.expires_at:%Y-%m-%d %H:%M} UTC; one use only")
    print(f"  在终端上 / on the kiosk: bianmin kiosk enrol --server {settings.public_base_url} --code {issued.code}")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    from server.db import write_session
    from server.services.devices import revoke_device

    _settings_, sessions = _prepare(args)
    with write_session(sessions) as session:
        device = revoke_device(session, args.device_id)
        if device is None:
            print(f"没有这个终端 / no device {args.device_id}", file=sys.stderr)
            return 2
    print(f"终端 {args.device_id} 已停用 / device {args.device_id} revoked")
    return 0


def run_create_user(args: argparse.Namespace) -> int:
    import getpass

    from bianmin.i18n import translate
    from server.console.routes_admin import create_user
    from server.db import write_session

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("密码 / password: ")
        if getpass.getpass("再输一次 / again: ") != password:
            print("两次输入的密码不一致 / passwords differ", file=sys.stderr)
            return 2
    _settings_, sessions = _prepare(args)
    try:
        with write_session(sessions) as session:
            user = create_user(session, args.username, args.name or args.username, args.role, args.scope, password,
                               must_change=False)
            print(f"已创建 / created console user {user.username} ({user.role}, {user.scope_code})")
    except ValueError as exc:
        print(f"{translate(str(exc))} / {translate(str(exc), 'en')}", file=sys.stderr)
        return 2
    return 0


def run_import_org(args: argparse.Namespace) -> int:
    from pathlib import Path

    from server.db import write_session
    from server.org_import import OrgFileError, import_org, read_rows

    try:
        rows = read_rows(Path(args.file))
    except (OrgFileError, OSError, UnicodeDecodeError) as exc:
        print(f"无法导入 / cannot import {args.file}:\n{exc}", file=sys.stderr)
        return 2
    _settings_, sessions = _prepare(args)
    with write_session(sessions) as session:
        report = import_org(session, rows)
    c = report.created
    print(f"已导入 / imported: {c['county']} county, {c['township']} townships, {c['village']} villages new; "
          f"{report.updated} updated")
    return 0


def _safe_url(url: str) -> str:
    """The URL without a password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
