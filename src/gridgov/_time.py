"""Time helpers shared by the modules (private)."""

from __future__ import annotations

from datetime import timedelta, timezone

CST = timezone(timedelta(hours=8), "CST")
"""China Standard Time, UTC+8, as a fixed offset (no tz database is read)."""
