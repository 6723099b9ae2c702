"""Give memory the kiosk no longer uses back to the system while nobody is at it.

A kiosk runs for months. Freed text textures and widgets return to glibc's heap, but
glibc keeps freed pages mapped (and llvmpipe's texture copies live in the same heap),
so the resident size stays near the day's high-water mark. ``malloc_trim(0)`` hands
the free pages back; measured on the soak bench (bench/bench_soak.py) it returns
~80 MB after every screen has been shown once. It takes a few to tens of ms, so it
runs only when the kiosk goes idle (nobody is waiting for a frame), never per tap.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging

log = logging.getLogger(__name__)
_libc: ctypes.CDLL | None = None
_tried = False


def _malloc_trim():  # noqa: ANN202
    global _libc, _tried
    if not _tried:
        _tried = True
        try:
            _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _libc.malloc_trim  # noqa: B018 - glibc only; musl and others have none
        except (OSError, AttributeError):
            _libc = None
    return _libc.malloc_trim if _libc is not None else None


def release_unused_memory() -> bool:
    """Collect cycles and return free heap pages to the OS; True if the C library could trim."""
    gc.collect()
    trim = _malloc_trim()
    if trim is None:
        return False
    try:
        trim(0)
    except Exception:  # noqa: BLE001 - never let housekeeping disturb the kiosk
        log.exception("malloc_trim failed")
        return False
    return True
