"""The print queue against a fake network printer: faults never lose a job, never block submit."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
import zxingcpp

from bianmin.config import PrinterConfig, RoomConfig
from printer.decode import parse
from printer.samples import sample, sample_receipt, sample_url
from printer.service import JobNotFound, PrintService
from printer.status import PrinterState
from tests.printer.fakeprinter import FakePrinter

FAST = {"retry_delays": (0.05, 0.2), "idle_probe": 0}


def wait_for(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def service(store, uri: str, mode: str = "raster", width: int = 384, timeout: float = 0.3) -> PrintService:
    cfg = PrinterConfig(uri=uri, width=width, mode=mode, timeout=timeout)
    return PrintService(cfg, store, RoomConfig(), **FAST)


@pytest.fixture
def states():
    return []


def test_preview_writes_png_with_readable_qr(store, tmp_path) -> None:
    svc = service(store, f"preview://{tmp_path / 'previews'}")
    svc.start()
    try:
        job_id = svc.submit(sample_receipt())
        assert svc.wait_idle(10)
    finally:
        svc.stop()
    job = svc.job(job_id)
    assert job.status == "printed" and job.preview_path.endswith(f"{job_id:06d}-receipt.png")
    from PIL import Image

    codes = zxingcpp.read_barcodes(Image.open(job.preview_path).convert("L"))
    assert [c.text for c in codes] == [sample_url()]
    assert svc.state.kind == "ready" and svc.state.pending == 0


def test_network_printer_prints_a_receipt_whose_qr_reads_back(store, fake_printer) -> None:
    svc = service(store, fake_printer.uri)
    svc.start()
    try:
        job_id = svc.submit(sample_receipt())
        assert svc.wait_idle(10)
    finally:
        svc.stop()
    assert svc.job(job_id).status == "printed"
    assert len(fake_printer.wait_jobs(1)) == 1
    image = parse(fake_printer.jobs[0]).image(384)
    assert [c.text for c in zxingcpp.read_barcodes(image.convert("L"))] == [sample_url()]
    assert fake_printer.queries >= 6  # status before and after the job


@pytest.mark.parametrize("fault,kind,key", [
    ("paper_out", "paper_out", "printer.state.paper_out"),
    ("cover_open", "offline", "printer.state.cover_open"),
    ("offline", "offline", "printer.state.offline"),
    ("hang", "offline", "printer.state.no_reply"),
    ("silent", "offline", "printer.state.no_reply"),  # an empty reply is never "paper OK"
    ("reset", "offline", "printer.state.no_reply"),
])
def test_fault_keeps_the_job_queued_then_it_prints_once(store, fake_printer, fault, kind, key) -> None:
    fake_printer.mode = fault
    svc = service(store, fake_printer.uri)
    seen: list[PrinterState] = []
    svc.add_listener(seen.append)
    svc.start()
    try:
        job_id = svc.submit(sample("ticket"))
        assert wait_for(lambda: svc.state.kind == kind and svc.state.key == key), svc.state
        assert svc.job(job_id).status == "queued"
        assert svc.state.pending == 1
        assert svc.state.message()  # plain words for the screen
        printed_during_fault = len(fake_printer.jobs)
        fake_printer.mode = "ok"
        assert svc.wait_idle(10)
    finally:
        svc.stop()
    assert printed_during_fault == 0 or fault == "silent"
    job = svc.job(job_id)
    assert job.status == "printed" and job.attempts >= 2
    assert svc.state.kind == "ready" and svc.state.pending == 0
    assert any(s.kind == kind for s in seen) and seen[-1].kind == "ready"


def test_submit_returns_while_the_worker_is_stuck_on_a_hung_printer(store, fake_printer) -> None:
    fake_printer.mode = "hang"
    svc = service(store, fake_printer.uri, timeout=2.0)
    svc.start()
    try:
        svc.submit(sample("ticket"))
        assert wait_for(lambda: fake_printer.connections >= 1)
        time.sleep(0.1)  # the worker now waits up to 2 s for a status reply
        started = time.monotonic()
        second = svc.submit(sample_receipt())
        assert time.monotonic() - started < 1.0
        assert svc.job(second).status == "queued"
    finally:
        fake_printer.mode = "ok"
        svc.stop()


def test_unreachable_printer_then_it_comes_back(store) -> None:
    fake = FakePrinter()
    port = fake.port
    fake.close()  # nothing listens on the port any more
    svc = service(store, f"tcp://127.0.0.1:{port}")
    svc.start()
    try:
        job_id = svc.submit(sample("ticket"))
        assert wait_for(lambda: svc.state.kind == "offline")
        assert "127.0.0.1" in svc.state.detail
        fake = FakePrinter(port=port)
        assert svc.wait_idle(10)
    finally:
        svc.stop()
        fake.close()
    assert svc.job(job_id).status == "printed" and len(fake.wait_jobs(1)) == 1


def test_status_check_can_be_switched_off_for_mute_printers(store, fake_printer) -> None:
    fake_printer.mode = "silent"
    svc = service(store, fake_printer.uri + "?status=0")
    svc.start()
    try:
        svc.submit(sample("ticket"))
        assert svc.wait_idle(5)
    finally:
        svc.stop()
    assert len(fake_printer.wait_jobs(1)) == 1 and fake_printer.queries == 0


def test_paper_low_still_prints_and_warns(store, fake_printer) -> None:
    fake_printer.mode = "paper_low"
    svc = service(store, fake_printer.uri)
    svc.start()
    try:
        svc.submit(sample("ticket"))
        assert svc.wait_idle(5)
    finally:
        svc.stop()
    assert len(fake_printer.wait_jobs(1)) == 1 and svc.state.kind == "paper_low"


def test_jobs_print_in_order_and_survive_a_restart(store, fake_printer) -> None:
    fake_printer.mode = "paper_out"
    first = service(store, fake_printer.uri, mode="text")
    first.start()
    ids = [first.submit(sample("ticket").__class__(**{**sample("ticket").__dict__, "number_text": f"A00{i}"}))
           for i in range(1, 4)]
    assert wait_for(lambda: first.state.kind == "paper_out")
    first.stop()  # the kiosk is switched off with three slips waiting
    assert [first.job(i).status for i in ids] == ["queued"] * 3

    fake_printer.mode = "ok"
    second = service(store, fake_printer.uri, mode="text")
    assert second.state.pending == 3
    second.start()
    try:
        assert second.wait_idle(10)
    finally:
        second.stop()
    numbers = []
    for job in fake_printer.wait_jobs(3):
        lines = parse(job).lines
        numbers.append(next(line.strip() for line in lines if line.strip().startswith("A00")))
    assert numbers == ["A001", "A002", "A003"]


def test_reprint_and_cancel(store, tmp_path) -> None:
    svc = service(store, f"preview://{tmp_path}")
    first = svc.submit(sample_receipt())
    again = svc.reprint(first)
    assert again != first and svc.job(again).reprint_of == first
    assert svc.job(again).slip() == svc.job(first).slip()
    assert svc.last_job_id() == again
    assert svc.cancel(again) and not svc.cancel(again)
    with pytest.raises(JobNotFound):
        svc.reprint(999_999)
    svc.start()
    try:
        assert svc.wait_idle(10)
    finally:
        svc.stop()
    assert [j.status for j in svc.jobs(2)] == ["cancelled", "printed"]


def test_stale_ticket_is_not_printed_hours_later(store, tmp_path) -> None:
    svc = service(store, f"preview://{tmp_path}")
    job_id = svc.submit(sample("ticket"))
    old = (datetime.now() - timedelta(hours=5)).isoformat(timespec="seconds")
    with store.transaction() as conn:
        conn.execute("UPDATE print_jobs SET created_at = ? WHERE id = ?", (old, job_id))
    receipt = svc.submit(sample_receipt())
    svc.start()
    try:
        assert svc.wait_idle(10)
    finally:
        svc.stop()
    assert svc.job(job_id).status == "expired" and svc.job(receipt).status == "printed"


def test_bad_printer_address_is_reported_and_the_job_kept(store) -> None:
    svc = service(store, "lpt://printer")
    svc.start()
    try:
        job_id = svc.submit(sample("ticket"))
        assert wait_for(lambda: svc.state.kind == "error" and svc.state.pending == 1)
    finally:
        svc.stop()
    assert svc.state.key == "printer.error.unknown_scheme"
    assert "lpt://printer" in svc.state.message()
    assert svc.job(job_id).status == "queued"


def test_room_fills_empty_room_name_and_listener_errors_are_contained(store, tmp_path) -> None:
    svc = service(store, f"preview://{tmp_path}")
    svc.add_listener(lambda _s: 1 / 0)
    receipt = sample_receipt().__class__(**{**sample_receipt().__dict__, "room_name": "", "complaint_phone": ""})
    job_id = svc.submit(receipt)
    assert svc.job(job_id).slip().room_name == RoomConfig().name
    assert svc.job(job_id).slip().complaint_phone == RoomConfig().complaint_phone
    svc.start()
    try:
        assert svc.wait_idle(10)
    finally:
        svc.stop()
    assert svc.job(job_id).status == "printed"


def test_idle_probe_reports_paper_out_before_anyone_prints(store, fake_printer) -> None:
    fake_printer.mode = "paper_out"
    cfg = PrinterConfig(uri=fake_printer.uri, timeout=0.3)
    svc = PrintService(cfg, store, RoomConfig(), retry_delays=(0.05, 0.2), idle_probe=0.05)
    svc.start()
    try:
        assert wait_for(lambda: svc.state.kind == "paper_out")
        fake_printer.mode = "ok"
        assert wait_for(lambda: svc.state.kind == "ready")
    finally:
        svc.stop()
    assert fake_printer.jobs == [] and svc.state.pending == 0
