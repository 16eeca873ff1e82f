"""UUIDv7 keys, made on the client: time-ordered, unique across machines.

The layout of the bulk loader's keys (:func:`loket.storage.rows.uuid7_text`): 48
bits of Unix time in milliseconds, then 74 bits from the operating system's
random source, so two PCs, or two processes forked from one, never make the same
key. Within a process keys only increase (RFC 9562's monotonic random): a key
made in the same millisecond as the last one, or after the clock stepped back,
continues from it by a random step. Queries that break ties by key (attachments
added in one instant, inspections on one date) then keep the order of creation.
"""

from __future__ import annotations

import os
import threading
import time

from loket.storage.rows import uuid7_text

_RANDOM_LIMIT = 1 << 74
_lock = threading.Lock()
_last = [0, 0]  # the last key's millisecond and random part


def new_id() -> str:
    ms = time.time_ns() // 1_000_000
    fresh = int.from_bytes(os.urandom(10))
    with _lock:
        last_ms, last_random = _last
        if ms > last_ms:
            random_part = fresh >> 6
        else:
            # 1 to 2**32 further on: increasing, and still unguessable across forks.
            ms, random_part = last_ms, last_random + 1 + (fresh >> 48)
            if random_part >= _RANDOM_LIMIT:  # 2**42 keys in one millisecond: move on
                ms, random_part = ms + 1, fresh >> 6
        _last[0], _last[1] = ms, random_part
    return uuid7_text(ms, random_part)
