"""`bianmin print-sample {ticket,receipt,notice,guide} --printer URI` — the installer's test print.

Prints synchronously (no queue) and says plainly what happened; exit code 0 when
the printer took the slip, 1 when it could not (message says why), 2 on bad
arguments. Without ``--printer`` it uses the configured printer.
"""

from __future__ import annotations

import argparse
import sys

from bianmin.i18n import DEFAULT_LANGUAGE, translate

KINDS = ("ticket", "receipt", "notice", "guide")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("print-sample", help="print a sample slip (installer's test print)")
    p.add_argument("kind", choices=KINDS, help="which slip")
    p.add_argument("--printer", metavar="URI", help="usb://VID:PID, tcp://HOST[:9100], serial:///dev/ttyUSB0?baudrate=115200, "
                   "file:///path, cups://QUEUE or preview://DIR (default: the configured printer)")
    p.add_argument("--width", type=int, help="paper width in dots: 384 (58 mm) or 576 (80 mm)")
    p.add_argument("--mode", help="raster (image, every printer) or text (GB18030 text, printers with a Chinese font)")
    p.add_argument("--timeout", type=float, help="seconds to wait for the printer")
    p.add_argument("--lang", default=DEFAULT_LANGUAGE, help="slip language (zh_CN or en)")
    p.set_defaults(handler=run)


def print_sample(kind: str, uri: str, width: int, mode: str, timeout: float = 5.0,
                 lang: str = DEFAULT_LANGUAGE, config_path: str | None = None) -> tuple[int, str]:
    """Print one sample slip now; (exit code, message for the terminal)."""
    from bianmin.config import load_config
    from printer.errors import PrinterError
    from printer.links import make_link
    from printer.raster import check_width
    from printer.samples import SAMPLE_BASE_URL, sample
    from printer.send import check_mode, send_slip

    try:
        check_width(width)
        check_mode(mode)
        link = make_link(uri, timeout)
        try:
            cfg = load_config(config_path)
            room, base_url = cfg.room, cfg.kiosk.public_base_url
        except Exception:  # a broken config must not stop a test print
            room, base_url = None, SAMPLE_BASE_URL
        slip = sample(kind, room, base_url)  # its QR points at this kiosk's tracking pages
        with link:
            result = send_slip(link, slip, width, mode, lang, name=f"sample-{kind}-{width}-{mode}")
    except PrinterError as exc:
        return 1, translate("printer.sample.failed", lang, message=exc.message(lang))
    if result.preview is not None:
        return 0, translate("printer.sample.preview", lang, path=result.preview)
    return 0, translate("printer.sample.printed", lang, what=translate(f"printer.sample.{kind}", lang),
                        bytes=result.nbytes, mode=mode, width=width)


def run(args: argparse.Namespace) -> int:
    from bianmin.config import ConfigError, PrinterConfig, load_config
    from printer.errors import PrinterError
    from printer.raster import check_width
    from printer.send import check_mode

    try:
        cfg = load_config(getattr(args, "config", None)).printer
    except ConfigError:
        cfg = PrinterConfig()
    width = args.width if args.width is not None else cfg.width
    mode = args.mode or cfg.mode
    try:
        check_width(width)
        check_mode(mode)
    except PrinterError as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 2
    timeout = args.timeout if args.timeout is not None else cfg.timeout
    code, message = print_sample(args.kind, args.printer or cfg.uri, width, mode, timeout, args.lang,
                                 getattr(args, "config", None))
    print(message, file=sys.stdout if code == 0 else sys.stderr)
    return code
