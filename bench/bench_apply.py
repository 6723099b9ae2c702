"""Applications: pinyin candidates per keystroke, and tap "confirm" → receipt bytes at a printer.

Goals (issue 5): candidates per keystroke p95 ≤ 30 ms; tap 确认提交 → the receipt's last
byte at an ESC/POS printer on 127.0.0.1 p95 ≤ 300 ms. The second runs the real kiosk
offscreen: the touch goes through Kivy's input dispatch, the application is committed
(SQLite WAL, synchronous=FULL), the receipt is rendered and sent by the print worker
to a fake network printer that answers status queries like a real one.

Run: ``python -m bench.bench_apply`` (or ``make bench``).
"""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("BIANMIN_HOME", tempfile.mkdtemp(prefix="bianmin-bench-apply-"))

from bench.report import percentile, write_section  # noqa: E402

NAMES = ["wangxiuying", "bateer", "qiqige", "wuyun", "narenhua", "eerdun", "zhangjianguo", "liguilan",
         "zhaoyumei", "baoyin", "sirengaowa", "wulantuya", "chenjianhua", "liuguiying", "hasibagen"]
ROUNDS = 30
CUT = b"\x1dVB\x00"
STATUS_OK = {1: 0x12, 2: 0x12, 4: 0x12}


def bench_engine() -> dict[str, float]:
    from bianmin.pinyin_ime import PinyinEngine

    engine = PinyinEngine()
    t0 = time.perf_counter()
    engine.load()
    load_ms = (time.perf_counter() - t0) * 1000
    times = []
    for _ in range(3):
        engine._engine.cache_clear()  # measure the engine's work, not the memo
        for name in NAMES:
            for i in range(1, len(name) + 1):
                t = time.perf_counter()
                engine.candidates(name[:i])
                times.append((time.perf_counter() - t) * 1000)
    return {"load": load_ms, "p50": percentile(times, 50), "p95": percentile(times, 95),
            "max": max(times), "n": len(times)}


class ReceiptPrinter:
    """ESC/POS printer on 127.0.0.1: answers DLE EOT, timestamps each job's cut command."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.cuts: list[float] = []
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.server.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        from printer.decode import command_length

        buf = bytearray()
        conn.settimeout(0.1)
        try:
            while not self._stop.is_set():
                try:
                    chunk = conn.recv(65536)
                except TimeoutError:
                    continue
                if not chunk:
                    break
                buf += chunk
                data = bytes(buf)
                i = 0
                while i < len(data):
                    size = command_length(data, i)
                    if size is None:
                        break
                    if data[i] == 0x10 and data[i + 1] == 0x04:
                        conn.sendall(bytes([STATUS_OK.get(data[i + 2], 0x12)]))
                    elif data[i:i + size] == CUT:
                        self.cuts.append(time.perf_counter())
                    i += size
                del buf[:i]
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self.server.close()


def bench_kiosk() -> dict[str, object]:
    from kiosk import environment

    environment.prepare(headless=True)
    from kivy.base import EventLoop
    from kivy.tests.common import UnitTestTouch

    from bianmin.config import Config, PrinterConfig
    from bianmin.domain.catalogue import Material, Result, ServiceItem, Step, TimeLimit
    from bianmin.store import LocalStore
    from kiosk.app import BianminApp
    from kiosk.screens.apply_common import draft

    fake = ReceiptPrinter()
    home = Path(os.environ["BIANMIN_HOME"])
    config = Config(printer=PrinterConfig(uri=f"tcp://127.0.0.1:{fake.port}", width=576, mode="raster"))
    app = BianminApp(config=config, store=LocalStore(home / "bench.sqlite3"), windowed=False)
    app._run_prepare()

    def pump(n: int = 1) -> None:
        for _ in range(n):
            EventLoop.idle()

    def tap(widget) -> None:  # noqa: ANN001
        x, y = widget.to_window(*widget.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()

    pump(5)
    item = ServiceItem(
        code="150121BENCH001", name="城乡居民基本养老保险参保登记", item_type="proxy", topics=["社会保障"],
        decided_at="township", office="巴彦苏木便民服务大厅", applicants="城乡居民",
        materials=[Material(name="居民身份证", originals=1, copies=1), Material(name="户口簿", originals=1, copies=1)],
        steps=[Step(name="受理")], statutory_limit=TimeLimit(days=20), promised_limit=TimeLimit(days=5),
        result=Result(name="参保登记"), needs_id_number=True,
    )

    # keystrokes on the real PinyinKeyboard widget (engine + candidate bar rebuilt)
    app.go("apply_start", item=item)
    pump(2)
    app.go("apply_who")
    pump(3)
    keyboard = app.screen_manager.get_screen("apply_who").pinyin
    key_times = []
    for name in NAMES:
        keyboard.reset()
        for letter in name:
            t = time.perf_counter()
            keyboard.press(letter)
            key_times.append((time.perf_counter() - t) * 1000)
    app.go_home(clear=True)
    pump(2)

    latencies = []
    failures = 0
    for _ in range(ROUNDS):
        draft.start(item)
        draft.brought = {"居民身份证"}
        draft.name, draft.phone, draft.id_number = "巴特尔", "13800138000", "11010519491231002X"
        draft.give_consent()
        app.go("apply_confirm")
        pump(3)
        button = app.screen_manager.get_screen("apply_confirm").ids.submit_button
        before = len(fake.cuts)
        t0 = time.perf_counter()
        tap(button)
        deadline = t0 + 10
        while len(fake.cuts) == before and time.perf_counter() < deadline:
            pump(1)
            time.sleep(0.001)
        if len(fake.cuts) == before:
            failures += 1
        else:
            latencies.append((fake.cuts[before] - t0) * 1000)
        app.printer.wait_idle(5)
        app.go_home(clear=True)
        pump(2)
    app.stop()
    fake.close()
    return {
        "key_p50": percentile(key_times, 50), "key_p95": percentile(key_times, 95), "key_n": len(key_times),
        "p50": percentile(latencies, 50), "p95": percentile(latencies, 95),
        "max": max(latencies) if latencies else float("nan"), "n": len(latencies), "failures": failures,
    }


def main() -> None:
    engine = bench_engine()
    kiosk = bench_kiosk()
    ok = lambda value, goal: "meets goal" if value <= goal else "**misses goal**"  # noqa: E731
    body = f"""
| what | p50 | p95 | max | n | goal |
|---|---|---|---|---|---|
| pinyin candidates per keystroke, engine + name lexicon | {engine['p50']:.2f} ms | {engine['p95']:.2f} ms | {engine['max']:.2f} ms | {engine['n']} | p95 ≤ 30 ms ({ok(engine['p95'], 30)}) |
| keystroke on the Kivy pinyin keyboard (candidates + candidate bar) | {kiosk['key_p50']:.2f} ms | {kiosk['key_p95']:.2f} ms | | {kiosk['key_n']} | p95 ≤ 30 ms ({ok(kiosk['key_p95'], 30)}) |
| tap 确认提交 → receipt's cut command at a TCP printer on 127.0.0.1 | {kiosk['p50']:.0f} ms | {kiosk['p95']:.0f} ms | {kiosk['max']:.0f} ms | {kiosk['n']} | p95 ≤ 300 ms ({ok(kiosk['p95'], 300)}) |

One-off load of the pinyin engine and lexicon: {engine['load']:.0f} ms (done once per process).
Keystrokes: every prefix of {len(NAMES)} names (王秀英, 巴特尔, 其其格, 斯琴高娃 …), engine memo cleared per pass.
Tap → receipt: the real kiosk offscreen; the touch goes through Kivy's input dispatch; the
application is committed (WAL, synchronous=FULL) in a worker thread, then the receipt is queued,
rendered as a 576-dot raster with QR and sent over TCP to a fake printer that answers `DLE EOT`
status queries. Rounds that never reached the printer: {kiosk['failures']}.
"""
    print(body)
    write_section("apply", "Applications: pinyin input and tap-to-receipt", body)


if __name__ == "__main__":
    main()
