"""What ``loket status`` and the desktop's About box say about this installation."""

from __future__ import annotations

from typing import Any

from loket.services.context import Loket, identity
from loket.services.users import SYSTEM
from loket.storage import migrate
from loket.storage.database import describe_url


def status(loket: Loket) -> dict[str, Any]:
    ident = identity(loket)
    with loket.storage.reading() as store:
        by_status = store.count_by_status()
        # People who sign in: not the command line's own disabled SYSTEM row.
        users = sum(1 for user in store.users() if user.id != SYSTEM.id)
    return {
        "database": {
            "url": describe_url(loket.database.url),
            "engine": loket.database.engine.dialect.name,
            "revision": migrate.current_revision(loket.database),
        },
        "data_dir": str(loket.data_dir),
        "identity": {
            "station": ident.station_code if ident else "-",
            "device": ident.device_id if ident else "-",
            "instance": ident.instance_id if ident else "-",
        },
        "users": users,
        "sops": [
            {"number": s.number, "version": s.version, "name": s.name}
            for s in loket.catalog.latest()
        ],
        "dossiers": {"total": sum(by_status.values()), "by_status": by_status},
    }
