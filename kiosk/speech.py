"""Offline Mandarin speech (espeak-ng, voice cmn), never on the UI thread.

``Speaker.say`` returns at once; a single worker thread speaks utterances in
order, so a queue call and a read-aloud never talk over each other. The process
runner is injectable: tests fake speech at exactly this boundary. No Kivy here.
"""

from __future__ import annotations

import logging
import queue
import shutil
import subprocess
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bianmin import paths

log = logging.getLogger(__name__)

Runner = Callable[[Sequence[str]], None]
VOICES = {"zh_CN": "cmn", "en": "en"}
CHIME = paths.ASSETS / "sounds" / "chime.wav"


def _run(argv: Sequence[str]) -> None:
    subprocess.run(list(argv), check=False, timeout=60, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@dataclass
class Utterance:
    text: str
    lang: str = "zh_CN"
    repeat: int = 1
    chime: bool = False


class Speaker:
    def __init__(self, runner: Runner | None = None, engine: str | None = None, rate: int = 140) -> None:
        self.engine = engine if engine is not None else (shutil.which("espeak-ng") or "")
        self.player = shutil.which("paplay") or shutil.which("aplay") or shutil.which("play") or ""
        self.runner = runner or _run
        self.rate = rate
        self._queue: queue.Queue[Utterance | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self.spoken: list[Utterance] = []  # history, for the staff panel and tests

    @property
    def available(self) -> bool:
        return bool(self.engine)

    def say(self, text: str, lang: str = "zh_CN", repeat: int = 1, chime: bool = False) -> bool:
        """Queue an utterance; False (and nothing else happens) when no engine is installed."""
        if not self.available or not text.strip():
            return False
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._work, name="speech", daemon=True)
            self._thread.start()
        self._queue.put(Utterance(text, lang, repeat, chime))
        return True

    def commands(self, utt: Utterance) -> list[list[str]]:
        """The processes one utterance runs: optional chime, then the text `repeat` times."""
        cmds: list[list[str]] = []
        if utt.chime and self.player and Path(CHIME).exists():
            cmds.append([self.player, str(CHIME)])
        voice = VOICES.get(utt.lang, "cmn")
        for _ in range(max(1, utt.repeat)):
            cmds.append([self.engine, "-v", voice, "-s", str(self.rate), utt.text])
        return cmds

    def _work(self) -> None:
        while True:
            utt = self._queue.get()
            try:
                if utt is None:
                    return
                for argv in self.commands(utt):
                    self.runner(argv)
                self.spoken.append(utt)
            except Exception:  # speech must never take the kiosk down
                log.exception("speech failed")
            finally:
                self._queue.task_done()

    def wait_idle(self) -> None:
        """Block until queued speech is done (tests and shutdown only)."""
        self._queue.join()

    def stop(self) -> None:
        self._queue.put(None)
