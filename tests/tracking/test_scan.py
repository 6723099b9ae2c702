"""Reading what a QR scanner types and decoding camera frames (zxing-cpp)."""

from __future__ import annotations

import random

import pytest
import qrcode
from PIL import Image, ImageDraw, ImageFilter

from bianmin.domain.tracking import new_short_code, new_token, tracking_url
from bianmin.local.tracking import decode_qr, short_code_from_scan, token_from_scan

TOKEN = "q3Jx8vK2mN5pR7tW9yZ1aB"


@pytest.mark.parametrize(
    "text",
    [
        f"https://bianmin.example.cn/t/{TOKEN}",
        f"http://127.0.0.1:8000/t/{TOKEN}/",
        f"https://bianmin.example.cn/t/{TOKEN}?from=wechat#top",
        f"  https://bianmin.example.cn/t/{TOKEN}\r\n",
        TOKEN,
    ],
)
def test_token_is_taken_from_the_scanned_url(text):
    assert token_from_scan(text) == TOKEN


@pytest.mark.parametrize(
    "text",
    ["", "hello", "https://bianmin.example.cn/t/short", "https://evil.example/x/" + TOKEN + "/more",
     "https://bianmin.example.cn/t/" + TOKEN + "<script>"],
)
def test_other_scans_give_no_token(text):
    assert token_from_scan(text) is None


def test_short_code_scan():
    code = new_short_code()
    assert short_code_from_scan(code[:4] + "-" + code[4:8] + "-" + code[8:]) == code
    assert short_code_from_scan("ABCD-EFGH") is None


def _qr(data: str, box: int = 8) -> Image.Image:
    img = qrcode.make(data, box_size=box, border=4)
    return img.convert("L")


def test_decode_clean_qr():
    url = tracking_url("https://bianmin.example.cn", new_token())
    assert decode_qr(_qr(url)) == [url]


def photographed(img: Image.Image, seed: int = 7) -> Image.Image:
    """Make a clean QR look like a phone/camera photo: on a desk, tilted, soft, grainy, dim."""
    rng = random.Random(seed)
    canvas = Image.new("L", (img.width + 240, img.height + 200), 150)
    draw = ImageDraw.Draw(canvas)
    for _ in range(40):  # table clutter
        x, y = rng.randrange(canvas.width), rng.randrange(canvas.height)
        draw.line((x, y, x + rng.randrange(-60, 60), y + rng.randrange(-60, 60)), fill=rng.randrange(90, 200), width=2)
    canvas.paste(img, (120, 90))
    canvas = canvas.rotate(17, resample=Image.BICUBIC, expand=True, fillcolor=140)
    # A slight perspective: the slip is not parallel to the lens.
    w, h = canvas.size
    canvas = canvas.transform((w, h), Image.QUAD, (30, 10, 10, h - 20, w - 5, h - 40, w - 40, 0), Image.BICUBIC)
    canvas = canvas.filter(ImageFilter.GaussianBlur(1.6))
    noise = Image.effect_noise(canvas.size, 28)
    canvas = Image.blend(canvas, noise, 0.18)
    canvas = canvas.point(lambda v: int(v * 0.75 + 20))  # dim, low contrast
    return canvas.resize((w * 2 // 3, h * 2 // 3), Image.BILINEAR)


def test_decode_photographed_looking_qr(tmp_path):
    url = tracking_url("https://bianmin.example.cn", new_token())
    photo = photographed(_qr(url, box=6))
    photo.save(tmp_path / "photo.png")
    assert decode_qr(photo) == [url]
    assert decode_qr(photo.convert("RGB")) == [url]  # colour camera frames too


def test_decode_upside_down_rgba_camera_frame():
    """Kivy camera textures arrive as RGBA bytes, often mirrored or upside down."""
    url = tracking_url("https://bianmin.example.cn", new_token())
    frame = _qr(url).rotate(180).transpose(Image.FLIP_LEFT_RIGHT).convert("RGBA")
    as_bytes = Image.frombytes("RGBA", frame.size, frame.tobytes())
    assert decode_qr(as_bytes.convert("L")) == [url]


def test_decode_nothing():
    assert decode_qr(Image.new("L", (320, 240), 200)) == []
    assert decode_qr(photographed(Image.new("L", (200, 200), 255))) == []
