"""QR input at the kiosk: a USB scanner typing like a keyboard, or a camera.

``WedgeReader`` collects what a keyboard-wedge scanner types — no text field is
shown or focused — and hands the line over when Enter arrives. ``CameraScanner``
copies a frame from a Kivy Camera every half second and decodes it with
zxing-cpp in a worker thread; it is never created when no camera exists.
"""

from __future__ import annotations

import glob
import threading
import time
from collections.abc import Callable

from kivy.clock import Clock, mainthread
from kivy.core.window import Window

from bianmin.local.tracking import decode_qr

KEY_ENTER = (13, 271)  # Return, keypad Enter
KEY_BACKSPACE = 8
MAX_LINE = 300  # a tracking URL is < 100 characters; anything longer is noise
GAP_SECONDS = 1.5  # characters further apart than this start a new line (a person, not a scanner)


class WedgeReader:
    """Buffer Window text input while active; call ``on_line(text)`` on Enter."""

    def __init__(self, on_line: Callable[[str], None]):
        self.on_line = on_line
        self.buffer: list[str] = []
        self._last = 0.0
        self.active = False

    def start(self) -> None:
        if not self.active:
            Window.bind(on_textinput=self._on_text, on_key_down=self._on_key)
            self.active = True
        self.buffer.clear()

    def stop(self) -> None:
        if self.active:
            Window.unbind(on_textinput=self._on_text, on_key_down=self._on_key)
            self.active = False
        self.buffer.clear()

    def _on_text(self, _window: object, text: str) -> None:
        now = time.monotonic()
        if now - self._last > GAP_SECONDS:
            self.buffer.clear()
        self._last = now
        if len(self.buffer) < MAX_LINE:
            self.buffer.append(text)

    def _on_key(self, _window: object, key: int, *_args: object) -> bool:
        if key in KEY_ENTER:
            line = "".join(self.buffer).strip()
            self.buffer.clear()
            if line:
                self.on_line(line)
            return True
        return False


def camera_available() -> bool:
    return bool(glob.glob("/dev/video*"))


class CameraScanner:
    """Decode QR codes from a Kivy Camera's frames off the UI thread."""

    INTERVAL = 0.5

    def __init__(self, camera: object, on_text: Callable[[str], None]):
        self.camera = camera
        self.on_text = on_text
        self._busy = False
        self._event = None

    def start(self) -> None:
        if self._event is None:
            self._event = Clock.schedule_interval(self._grab, self.INTERVAL)

    def stop(self) -> None:
        if self._event is not None:
            self._event.cancel()
            self._event = None

    def _grab(self, _dt: float) -> None:
        texture = getattr(self.camera, "texture", None)
        if texture is None or self._busy:
            return
        pixels, size = bytes(texture.pixels), texture.size  # copied on the UI thread, decoded elsewhere
        self._busy = True
        threading.Thread(target=self._decode, args=(pixels, size), daemon=True).start()

    def _decode(self, pixels: bytes, size: tuple[int, int]) -> None:
        try:
            from PIL import Image

            image = Image.frombytes("RGBA", size, pixels).convert("L")
            texts = decode_qr(image)
        except Exception:  # a bad frame is just skipped
            texts = []
        finally:
            self._busy = False
        if texts:
            self._deliver(texts[0])

    @mainthread
    def _deliver(self, text: str) -> None:
        self.on_text(text)
