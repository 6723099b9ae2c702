"""Printer URIs and links: every scheme parses, every failure is a plain, translated message."""

from __future__ import annotations

import os
import pty
import threading
import tty

import pytest

from printer.decode import command_length, parse
from printer.errors import LinkError, PrinterError
from printer.links import CupsLink, FileLink, PreviewLink, SerialLink, TcpLink, UsbLink, make_link
from printer.samples import sample
from printer.send import send_slip
from printer.uri import parse_uri


def test_parse_every_scheme() -> None:
    tcp = parse_uri("tcp://192.168.1.87")
    assert (tcp.host, tcp.port, tcp.wants_status) == ("192.168.1.87", 9100, True)
    assert parse_uri("tcp://printer.local:9101?status=0").port == 9101
    assert not parse_uri("tcp://printer.local:9101?status=0").wants_status
    usb = parse_uri("usb://0416:5011?in_ep=0x81&out_ep=0x03")
    assert (usb.vid, usb.pid, usb.params["in_ep"]) == (0x0416, 0x5011, "0x81")
    serial = parse_uri("serial:///dev/ttyUSB0?baudrate=115200")
    assert (serial.path, serial.params["baudrate"]) == ("/dev/ttyUSB0", "115200")
    assert parse_uri("file:///dev/usb/lp0").path == "/dev/usb/lp0"
    assert parse_uri("cups://Xprinter_XP58").path == "Xprinter_XP58"
    preview = parse_uri("preview://previews")
    assert preview.preview_dir().name == "previews" and preview.preview_dir().is_absolute()
    assert str(parse_uri("preview:///tmp/slips").preview_dir()) == "/tmp/slips"
    kinds = {"tcp://h": TcpLink, "usb://1:2": UsbLink, "serial:///dev/x": SerialLink, "file:///x": FileLink,
             "cups://q": CupsLink, "preview://p": PreviewLink}
    for uri, cls in kinds.items():
        assert type(make_link(uri)) is cls


@pytest.mark.parametrize("uri,key", [
    ("lpt://printer", "printer.error.unknown_scheme"),
    ("192.168.1.87", "printer.error.unknown_scheme"),
    ("", "printer.error.unknown_scheme"),
    ("tcp://", "printer.error.bad_uri"),
    ("tcp://host:99999", "printer.error.bad_uri"),
    ("usb://xyz", "printer.error.bad_uri"),
    ("usb://0416:zz", "printer.error.bad_uri"),
    ("usb://0416:5011?out_ep=seven", "printer.error.bad_uri"),
    ("serial://", "printer.error.bad_uri"),
    ("serial:///dev/ttyS0?baudrate=fast", "printer.error.bad_uri"),
    ("cups://", "printer.error.bad_uri"),
])
def test_bad_uris_have_clear_messages(uri: str, key: str) -> None:
    with pytest.raises(PrinterError) as info:
        parse_uri(uri)
    assert info.value.key == key
    zh, en = info.value.message("zh_CN"), info.value.message("en")
    assert "{" not in zh and "{" not in en and zh != en


def test_file_link_writes_bytes_and_reports_a_bad_path(tmp_path) -> None:
    target = tmp_path / "out.bin"
    with make_link(f"file://{target}", 1.0) as link:
        result = send_slip(link, sample("ticket"), 384, "text")
    assert result.status is None and target.stat().st_size == result.nbytes
    assert "B012" in "".join(parse(target.read_bytes()).lines)
    with pytest.raises(LinkError) as info:
        with make_link(f"file://{tmp_path}/missing/dir/out.bin", 1.0):
            pass
    assert "missing/dir" in info.value.message()


def test_refused_tcp_connection_is_plain(fake_printer) -> None:
    port = fake_printer.port
    fake_printer.close()
    with pytest.raises(LinkError) as info:
        with make_link(f"tcp://127.0.0.1:{port}", 0.5):
            pass
    assert info.value.key == "printer.error.unreachable"
    assert f"127.0.0.1:{port}" in info.value.message()


def test_usb_printer_absent_is_plain() -> None:
    with pytest.raises(LinkError) as info:
        with make_link("usb://0fe6:811e", 0.5):
            pass
    assert info.value.key in ("printer.error.usb_not_found", "printer.error.usb_missing")
    assert "{" not in info.value.message()


def test_cups_failure_is_plain() -> None:
    link = make_link("cups://no_such_queue", 0.5)
    with pytest.raises(LinkError) as info:
        link.write(b"\x1b@")
    assert info.value.key == "printer.error.cups"


def test_serial_printer_on_a_pty_answers_status_and_prints() -> None:
    master, slave = pty.openpty()
    tty.setraw(slave)
    received = bytearray()
    stop = threading.Event()

    def printer() -> None:
        buf = bytearray()
        while not stop.is_set():
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            buf += chunk
            data, i = bytes(buf), 0
            while i < len(data):
                size = command_length(data, i)
                if size is None:
                    break
                if data[i] == 0x10 and data[i + 1] == 0x04:
                    os.write(master, b"\x12")
                else:
                    received.extend(data[i:i + size])
                i += size
            del buf[:i]

    thread = threading.Thread(target=printer, daemon=True)
    thread.start()
    try:
        with make_link(f"serial://{os.ttyname(slave)}?baudrate=115200", 2.0) as link:
            result = send_slip(link, sample("ticket"), 384, "text")
        assert result.status is not None and result.status.can_print
    finally:
        stop.set()
        os.close(slave)
        os.close(master)
    assert "B012" in "".join(parse(bytes(received)).lines)
