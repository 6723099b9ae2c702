"""A kiosk's sync worker in its own process (killed with SIGKILL by a test).

    python -m tests.sync.kiosk_child STORE_PATH SERVER_URL TOKEN BATCH_SIZE
Syncs until the outbox is empty, then exits 0.
"""

from __future__ import annotations

import sys
import time

from bianmin.local import outbox
from bianmin.store import LocalStore
from server_client.client import ServerClient
from server_client.worker import SyncWorker
from tests.sync import fake_records


def main() -> int:
    store_path, url, token, batch = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    store = LocalStore(store_path)
    fake_records.register()
    worker = SyncWorker(store, ServerClient(url, token, timeout=(2, 10)), batch_size=batch,
                        documents=(), install_catalogue=None, base_backoff=0.05, max_backoff=0.5)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if worker.sync_once() and outbox.pending_count(store) == 0:
            return 0
        time.sleep(worker.next_delay() if worker.failures else 0)
    return 1


if __name__ == "__main__":
    sys.exit(main())
