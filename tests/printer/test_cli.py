"""`bianmin print-sample`: prints synchronously, says what happened, exit code tells the installer."""

from __future__ import annotations

import zxingcpp
from PIL import Image

from bianmin.cli import main
from printer.decode import parse
from printer.samples import sample_url


def test_receipt_on_a_network_printer_has_a_readable_qr(fake_printer, capsys) -> None:
    assert main(["print-sample", "receipt", "--printer", fake_printer.uri]) == 0
    assert "样张已打印" in capsys.readouterr().out
    image = parse(fake_printer.wait_jobs(1)[0]).image(384)
    assert [c.text for c in zxingcpp.read_barcodes(image.convert("L"))] == [sample_url()]


def test_text_mode_at_576(fake_printer) -> None:
    assert main(["print-sample", "notice", "--printer", fake_printer.uri, "--width", "576", "--mode", "text"]) == 0
    parsed = parse(fake_printer.wait_jobs(1)[0])
    assert parsed.chinese_mode and parsed.qr_payloads == [sample_url().encode()]


def test_preview_writes_a_png(tmp_path, capsys) -> None:
    assert main(["print-sample", "ticket", "--printer", f"preview://{tmp_path}"]) == 0
    out = capsys.readouterr().out
    png = next(tmp_path.glob("*.png"))
    assert str(png) in out and Image.open(png).width == 384


def test_faults_and_bad_arguments_exit_non_zero_with_a_message(fake_printer, capsys) -> None:
    fake_printer.mode = "paper_out"
    assert main(["print-sample", "ticket", "--printer", fake_printer.uri, "--timeout", "0.5"]) == 1
    assert "缺纸" in capsys.readouterr().err
    assert main(["print-sample", "ticket", "--printer", "lpt://x"]) == 1
    assert "不支持的打印机地址" in capsys.readouterr().err
    assert main(["print-sample", "ticket", "--width", "500"]) == 2
    assert "384" in capsys.readouterr().err
    assert main(["print-sample", "ticket", "--mode", "pdf"]) == 2
    assert "raster" in capsys.readouterr().err


def test_text_mode_preview_emulates_the_printer_font_and_native_qr(tmp_path) -> None:
    assert main(["print-sample", "receipt", "--printer", f"preview://{tmp_path}", "--mode", "text"]) == 0
    image = Image.open(next(tmp_path.glob("*text.png")))
    assert image.width == 384
    assert [c.text for c in zxingcpp.read_barcodes(image.convert("L"))] == [sample_url()]


def test_sample_qr_points_at_the_configured_tracking_server(fake_printer, tmp_path) -> None:
    config = tmp_path / "bianmin.toml"
    config.write_text('[kiosk]\npublic_base_url = "https://bianmin.tmzq.gov.cn"\n', encoding="utf-8")
    assert main(["--config", str(config), "print-sample", "receipt", "--printer", fake_printer.uri]) == 0
    image = parse(fake_printer.wait_jobs(1)[0]).image(384)
    assert [c.text for c in zxingcpp.read_barcodes(image.convert("L"))] == [sample_url("https://bianmin.tmzq.gov.cn")]
