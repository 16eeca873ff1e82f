"""UUIDv7 keys, made on the client: stamped with the millisecond, unique across machines.

The same layout as the bulk loader's keys (:func:`loket.storage.rows.uuid7_text`):
48 bits of Unix time in milliseconds, then 74 random bits from the operating
system, so two PCs, or two processes forked from one, never make the same key.
Keys of one millisecond are not ordered among themselves: nothing orders rows
by key (the sync design orders by sequence numbers, never by client clocks).
"""

from __future__ import annotations

import os
import time

from loket.storage.rows import uuid7_text


def new_id() -> str:
    return uuid7_text(time.time_ns() // 1_000_000, int.from_bytes(os.urandom(10)) >> 6)
