"""The screenshot tour's receipt slip: what the configured printer would print, one PNG per language."""

from __future__ import annotations

import zxingcpp
from PIL import Image

from bianmin import i18n
from bianmin.config import Config, KioskConfig, PrinterConfig
from kiosk.tour import write_slip_previews
from printer.samples import sample_url


def test_tour_writes_the_receipt_slip_in_each_language_at_the_printer_width(tmp_path):
    base = "https://bianmin.example.gov.cn"
    config = Config(kiosk=KioskConfig(public_base_url=base), printer=PrinterConfig(width=576))

    written = write_slip_previews(config, tmp_path)

    assert sorted(p.name for p in written) == sorted(f"slip-receipt-{lang}.png" for lang in i18n.LANGUAGES)
    for path in written:
        image = Image.open(path)
        assert image.width == 576
        assert image.height > image.width  # a slip, not a blank strip
        assert [c.text for c in zxingcpp.read_barcodes(image.convert("L"))] == [sample_url(base)]
