"""How the store writes times: W&B's wire format, UTC to the second without a zone.

Stored as text in this one format, times compare and sort correctly as strings, which
the run filters and the heartbeat sweep rely on.
"""

from __future__ import annotations

from datetime import datetime, timezone

TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S"


def format_timestamp(moment: datetime) -> str:
    """``moment`` in the stored format (a naive ``moment`` is taken as UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime(TIMESTAMP_FORMAT)


def utc_now() -> str:
    """The current time in the stored format."""
    return format_timestamp(datetime.now(timezone.utc))
