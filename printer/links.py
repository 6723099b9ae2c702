"""Links to printers: every read and write has a timeout, every failure a plain message.

A link is opened for one job and closed after it (printers reboot, cables are
pulled, port 9100 serves one client at a time: a fresh connection per slip is the
robust choice). Links that can read back answer ``DLE EOT``; the others (file,
CUPS, preview) report nothing and are trusted once the bytes are handed over.
"""

from __future__ import annotations

import errno
import os
import select
import socket
import subprocess
import time
from pathlib import Path

from PIL import Image

from printer.errors import LinkError, PrinterError
from printer.escpos import STATUS_QUERIES
from printer.status import PrinterStatus, valid_reply
from printer.uri import PrinterURI, parse_uri

CHUNK = 4096  # bytes per write: each chunk gets the full timeout (slow printers drain slowly)


class Link:
    """One open connection to a printer (use as a context manager)."""

    can_status = False

    def __init__(self, uri: PrinterURI, timeout: float) -> None:
        self.uri = uri
        self.timeout = timeout

    def __enter__(self) -> Link:
        self.open()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def open(self) -> None:  # pragma: no cover - overridden where needed
        pass

    def close(self) -> None:  # pragma: no cover - overridden where needed
        pass

    def write(self, data: bytes) -> None:
        raise NotImplementedError

    def read(self, n: int) -> bytes:
        return b""

    def drain(self) -> None:
        """Throw away stale input (e.g. a reply to a status byte pattern inside image data)."""

    def query_status(self) -> PrinterStatus | None:
        """DLE EOT 1/2/4; None where the link cannot read. No reply is an error, never 'OK'."""
        if not (self.can_status and self.uri.wants_status):
            return None
        self.drain()
        replies = []
        for query in STATUS_QUERIES:
            self.write(query)
            reply = self.read(1)
            if len(reply) != 1 or not valid_reply(reply[0]):
                raise LinkError("printer.state.no_reply")
            replies.append(reply[0])
        return PrinterStatus.from_replies(*replies)

    def _timeout_error(self) -> LinkError:
        return LinkError("printer.error.timeout", uri=self.uri.raw)

    def _unreachable(self, exc: BaseException | str) -> LinkError:
        return LinkError("printer.error.unreachable", uri=self.uri.raw, detail=str(exc) or type(exc).__name__)


class TcpLink(Link):
    can_status = True

    def open(self) -> None:
        try:
            self.sock = socket.create_connection((self.uri.host, self.uri.port), timeout=self.timeout)
        except TimeoutError:
            raise self._timeout_error() from None
        except OSError as exc:
            raise self._unreachable(exc.strerror or exc) from None

    def close(self) -> None:
        sock = getattr(self, "sock", None)
        if sock is not None:
            try:
                sock.close()
            finally:
                self.sock = None

    def write(self, data: bytes) -> None:
        try:
            for i in range(0, len(data), CHUNK):
                self.sock.settimeout(self.timeout)
                self.sock.sendall(data[i:i + CHUNK])
        except TimeoutError:
            raise self._timeout_error() from None
        except OSError as exc:
            raise self._unreachable(exc.strerror or exc) from None

    def read(self, n: int) -> bytes:
        try:
            self.sock.settimeout(self.timeout)
            return self.sock.recv(n)
        except TimeoutError:
            return b""
        except OSError as exc:
            raise self._unreachable(exc.strerror or exc) from None

    def drain(self) -> None:
        try:
            self.sock.setblocking(False)
            while self.sock.recv(256):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        except OSError as exc:
            raise self._unreachable(exc.strerror or exc) from None
        finally:
            self.sock.settimeout(self.timeout)


class SerialLink(Link):
    can_status = True

    def open(self) -> None:
        import serial

        p = self.uri.params
        self.baudrate = int(p.get("baudrate", "9600"))
        try:
            self.port = serial.Serial(
                self.uri.path,
                baudrate=self.baudrate,
                bytesize=int(p.get("bytesize", "8")),
                parity=p.get("parity", "N").upper(),
                stopbits={"1": 1, "1.5": 1.5, "2": 2}.get(p.get("stopbits", "1"), 1),
                timeout=self.timeout,
                write_timeout=self.timeout,
                rtscts=p.get("rtscts", "0") in ("1", "true"),
                xonxoff=p.get("xonxoff", "0") in ("1", "true"),
            )
        except (serial.SerialException, ValueError, OSError) as exc:
            raise self._unreachable(exc) from None

    def close(self) -> None:
        port = getattr(self, "port", None)
        if port is not None:
            port.close()
            self.port = None

    def write(self, data: bytes) -> None:
        import serial

        # 10 bits per byte on the wire: a 25 KB raster at 9600 baud takes 26 s by itself.
        self.port.write_timeout = self.timeout + len(data) * 10 / self.baudrate * 1.5
        try:
            self.port.write(data)
            self.port.flush()
        except serial.SerialTimeoutException:
            raise self._timeout_error() from None
        except (serial.SerialException, OSError) as exc:
            raise self._unreachable(exc) from None

    def read(self, n: int) -> bytes:
        import serial

        try:
            return bytes(self.port.read(n))
        except (serial.SerialException, OSError) as exc:
            raise self._unreachable(exc) from None

    def drain(self) -> None:
        self.port.reset_input_buffer()


class UsbLink(Link):
    """pyusb with explicit endpoints; a write timeout of 0 (wait forever) is never used."""

    def open(self) -> None:
        try:
            import usb.core
            import usb.util
        except ImportError as exc:  # pragma: no cover - pyusb is a dependency
            raise LinkError("printer.error.usb_missing", detail=str(exc)) from None
        self._usb = usb
        vid, pid = f"{self.uri.vid:04x}", f"{self.uri.pid:04x}"
        try:
            dev = usb.core.find(idVendor=self.uri.vid, idProduct=self.uri.pid)
        except usb.core.NoBackendError as exc:
            raise LinkError("printer.error.usb_missing", detail=str(exc)) from None
        if dev is None:
            raise LinkError("printer.error.usb_not_found", vid=vid, pid=pid)
        self.dev = dev
        try:
            try:
                if dev.is_kernel_driver_active(0):
                    dev.detach_kernel_driver(0)
            except (NotImplementedError, usb.core.USBError):
                pass
            try:
                dev.set_configuration()
            except usb.core.USBError:
                pass  # already configured (busy)
            intf = dev.get_active_configuration()[(0, 0)]
            p = self.uri.params

            def endpoint(direction: int) -> int | None:
                ep = usb.util.find_descriptor(
                    intf, custom_match=lambda e: usb.util.endpoint_direction(e.bEndpointAddress) == direction)
                return ep.bEndpointAddress if ep is not None else None

            self.out_ep = int(p["out_ep"], 0) if "out_ep" in p else endpoint(usb.util.ENDPOINT_OUT)
            self.in_ep = int(p["in_ep"], 0) if "in_ep" in p else endpoint(usb.util.ENDPOINT_IN)
            if self.out_ep is None:
                raise LinkError("printer.error.usb_not_found", vid=vid, pid=pid)
            self.can_status = self.in_ep is not None
        except usb.core.USBError as exc:
            raise self._unreachable(exc) from None

    @property
    def _ms(self) -> int:
        return max(1, int(self.timeout * 1000))

    def close(self) -> None:
        dev = getattr(self, "dev", None)
        if dev is not None:
            self._usb.util.dispose_resources(dev)
            self.dev = None

    def write(self, data: bytes) -> None:
        usb = self._usb
        try:
            for i in range(0, len(data), CHUNK):
                self.dev.write(self.out_ep, data[i:i + CHUNK], timeout=self._ms)
        except usb.core.USBTimeoutError:
            raise self._timeout_error() from None
        except usb.core.USBError as exc:
            raise self._unreachable(exc) from None

    def read(self, n: int) -> bytes:
        usb = self._usb
        try:
            return bytes(self.dev.read(self.in_ep, 64, timeout=self._ms))[:n]
        except usb.core.USBTimeoutError:
            return b""
        except usb.core.USBError as exc:
            raise self._unreachable(exc) from None

    def drain(self) -> None:
        usb = self._usb
        try:
            while self.dev.read(self.in_ep, 64, timeout=10):
                pass
        except usb.core.USBError:
            pass


class FileLink(Link):
    """A device node (/dev/usb/lp0) or a plain file; non-blocking writes with a deadline."""

    def open(self) -> None:
        try:
            self.fd = os.open(self.uri.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK, 0o644)
        except OSError as exc:
            raise self._unreachable(exc.strerror or exc) from None

    def close(self) -> None:
        fd = getattr(self, "fd", None)
        if fd is not None:
            os.close(fd)
            self.fd = None

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        deadline = time.monotonic() + self.timeout
        while view:
            left = deadline - time.monotonic()
            if left <= 0:
                raise self._timeout_error()
            _r, writable, _x = select.select([], [self.fd], [], left)
            if not writable:
                continue
            try:
                written = os.write(self.fd, view[:CHUNK])
            except BlockingIOError:
                continue
            except OSError as exc:
                if exc.errno == errno.EINTR:
                    continue
                raise self._unreachable(exc.strerror or exc) from None
            view = view[written:]
            deadline = time.monotonic() + self.timeout  # progress: the printer is taking data


class CupsLink(Link):
    """Raw job through CUPS' ``lp`` (CUPS keeps its own queue; we only know it was accepted)."""

    def write(self, data: bytes) -> None:
        try:
            done = subprocess.run(["lp", "-d", self.uri.path, "-o", "raw"], input=data, capture_output=True,
                                  timeout=self.timeout + 10, check=False)
        except FileNotFoundError:
            raise LinkError("printer.error.cups", detail="lp (cups-client) not installed") from None
        except subprocess.TimeoutExpired:
            raise self._timeout_error() from None
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip() or f"lp exit {done.returncode}"
            raise LinkError("printer.error.cups", detail=detail)


class PreviewLink(Link):
    """Writes PNG previews of slips instead of printing (the demo default)."""

    def open(self) -> None:
        self.directory = self.uri.preview_dir()
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._unreachable(exc.strerror or exc) from None

    def write(self, data: bytes) -> None:
        """Raw bytes are not kept; previews come from ``save_image``."""

    def save_image(self, image: Image.Image, name: str) -> Path:
        target = self.directory / f"{name}.png"
        tmp = target.with_suffix(".tmp")
        try:
            image.save(tmp, format="PNG", optimize=True)
            tmp.replace(target)
        except OSError as exc:
            raise self._unreachable(exc.strerror or exc) from None
        return target


LINKS: dict[str, type[Link]] = {
    "tcp": TcpLink, "serial": SerialLink, "usb": UsbLink, "file": FileLink, "cups": CupsLink,
    "preview": PreviewLink,
}


def make_link(uri: str | PrinterURI, timeout: float = 5.0) -> Link:
    """A closed link for the URI (``with make_link(...) as link:`` opens it)."""
    parsed = parse_uri(uri) if isinstance(uri, str) else uri
    if timeout <= 0:
        raise PrinterError("printer.error.bad_uri", uri=parsed.raw, detail="timeout")
    return LINKS[parsed.scheme](parsed, timeout)
