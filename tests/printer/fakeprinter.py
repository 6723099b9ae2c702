"""A fake ESC/POS network printer on 127.0.0.1 (one thread per connection).

It parses the stream command by command, answers ``DLE EOT`` like a real printer
in the current ``mode``, and keeps what it would have printed:

* ``ok`` / ``paper_low``: prints (keeps the job bytes) and answers status;
* ``paper_out`` / ``cover_open`` / ``offline``: answers status, prints nothing;
* ``hang``: accepts connections but never reads nor answers;
* ``silent``: reads and prints but never answers status (empty reply);
* ``reset``: accepts and closes at once.
"""

from __future__ import annotations

import socket
import threading
import time

from printer.decode import command_length

REPLIES = {
    "ok": {1: 0x12, 2: 0x12, 4: 0x12},
    "paper_low": {1: 0x12, 2: 0x12, 4: 0x1E},
    "paper_out": {1: 0x1A, 2: 0x32, 4: 0x72},
    "cover_open": {1: 0x1A, 2: 0x16, 4: 0x12},
    "offline": {1: 0x1A, 2: 0x12, 4: 0x12},
}
PRINTING = ("ok", "paper_low", "silent")


class FakePrinter:
    def __init__(self, mode: str = "ok", port: int = 0) -> None:
        self.mode = mode
        self.server = socket.create_server(("127.0.0.1", port))
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self._printed: dict[int, bytes] = {}  # accept order → bytes printed on that connection
        self.queries = 0
        self.connections = 0
        self._stop = threading.Event()
        self._conns: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def jobs(self) -> list[bytes]:
        """What was printed, one entry per connection that printed something, in connection order."""
        return [data for _n, data in sorted(self._printed.items())]

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            self._conns.append(conn)
            threading.Thread(target=self._handle, args=(conn, self.connections), daemon=True).start()

    def _handle(self, conn: socket.socket, number: int) -> None:
        mode_at_accept = self.mode
        if mode_at_accept == "reset":
            conn.close()
            return
        if mode_at_accept == "hang":
            while not self._stop.is_set() and self.mode == "hang":
                time.sleep(0.02)
            conn.close()
            return
        buf = bytearray()
        printed = bytearray()
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
                        self.queries += 1
                        reply = REPLIES.get(self.mode, {}).get(data[i + 2])
                        if reply is not None:
                            conn.sendall(bytes([reply]))
                    elif self.mode in PRINTING:
                        printed += data[i:i + size]
                    i += size
                del buf[:i]
        except OSError:
            pass
        finally:
            conn.close()
            if printed:
                self._printed[number] = bytes(printed)

    def wait_jobs(self, n: int = 1, timeout: float = 5.0) -> list[bytes]:
        """The printed jobs once ``n`` connections have finished (the handler runs on its own thread)."""
        deadline = time.monotonic() + timeout
        while len(self.jobs) < n and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.jobs

    def close(self) -> None:
        self._stop.set()
        self.server.close()
        for conn in self._conns:
            try:
                conn.close()
            except OSError:
                pass
        self._thread.join(2)

