"""Printer addresses in the config: one URI names the link and its options.

    usb://0416:5011?in_ep=0x81&out_ep=0x03   USB (endpoints found automatically if omitted)
    tcp://192.168.1.87[:9100]                network printer, raw port 9100
    serial:///dev/ttyUSB0?baudrate=115200    serial (also bytesize, parity, stopbits, rtscts, xonxoff)
    file:///dev/usb/lp0                      a device node or a file (bytes appended)
    cups://QUEUE                             a CUPS queue, sent raw with ``lp``
    preview://previews                       PNG previews (relative = inside the data directory)

``?status=0`` turns off the ``DLE EOT`` status check for a printer that never answers it;
``?font=gbk`` (text mode) says the printer's Chinese font has only the 2-byte GBK range, so
lines with other characters (Mongolian script, rare ideographs, ¥) go as raster lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from bianmin.config import resolve_data_path
from printer.errors import PrinterError

SCHEMES = ("usb", "tcp", "serial", "file", "cups", "preview")
DEFAULT_TCP_PORT = 9100


@dataclass(frozen=True)
class PrinterURI:
    scheme: str
    raw: str
    host: str = ""
    port: int = 0
    path: str = ""
    vid: int = 0
    pid: int = 0
    params: dict[str, str] = field(default_factory=dict)

    @property
    def wants_status(self) -> bool:
        return self.params.get("status", "1") not in ("0", "no", "false", "off")

    def preview_dir(self) -> Path:
        return resolve_data_path(self.path or "previews")


def _bad(uri: str, detail: str) -> PrinterError:
    return PrinterError("printer.error.bad_uri", uri=uri, detail=detail)


def _int(uri: str, value: str, what: str, base: int = 10) -> int:
    try:
        return int(value, base)
    except ValueError:
        raise _bad(uri, f"{what} {value!r}") from None


def parse_uri(uri: str) -> PrinterURI:
    """Parse a printer URI; raise ``PrinterError`` with a translation key on anything wrong."""
    uri = (uri or "").strip()
    if "://" not in uri:
        raise PrinterError("printer.error.unknown_scheme", uri=uri)
    scheme, rest = uri.split("://", 1)
    scheme = scheme.lower()
    if scheme not in SCHEMES:
        raise PrinterError("printer.error.unknown_scheme", uri=uri)
    parts = urlsplit(uri)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    if scheme == "tcp":
        host = parts.hostname or ""
        if not host:
            raise _bad(uri, "host")
        try:
            port = parts.port or DEFAULT_TCP_PORT
        except ValueError:
            raise _bad(uri, "port") from None
        return PrinterURI(scheme, uri, host=host, port=port, params=params)
    if scheme == "usb":
        ids = rest.split("?", 1)[0].strip("/")
        if ids.count(":") != 1:
            raise _bad(uri, "usb://VID:PID")
        vid_s, pid_s = ids.split(":")
        vid, pid = _int(uri, vid_s, "VID", 16), _int(uri, pid_s, "PID", 16)
        if not (0 <= vid <= 0xFFFF and 0 <= pid <= 0xFFFF):
            raise _bad(uri, "VID/PID")
        for key in ("in_ep", "out_ep"):
            if key in params:
                _int(uri, params[key], key, 0)
        return PrinterURI(scheme, uri, vid=vid, pid=pid, params=params)
    if scheme == "serial":
        path = parts.path
        if not path:
            raise _bad(uri, "serial:///dev/ttyUSB0")
        if "baudrate" in params:
            _int(uri, params["baudrate"], "baudrate")
        return PrinterURI(scheme, uri, path=path, params=params)
    if scheme == "file":
        if not parts.path:
            raise _bad(uri, "file:///path")
        return PrinterURI(scheme, uri, path=parts.path, params=params)
    if scheme == "cups":
        queue = (parts.netloc + parts.path).strip("/")
        if not queue:
            raise _bad(uri, "cups://QUEUE")
        return PrinterURI(scheme, uri, path=queue, params=params)
    # preview://DIR: the rest is the directory, relative to the data directory unless absolute
    directory = rest.split("?", 1)[0]
    return PrinterURI(scheme, uri, path=directory or "previews", params=params)
