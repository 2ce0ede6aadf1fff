"""Parse publication dates from front matter, JSON records and HTML metadata."""

from __future__ import annotations

from datetime import UTC, date, datetime


def parse_published(value: object) -> datetime | None:
    """A timezone-aware datetime from a date, datetime, epoch number or date string.

    Naive values are taken as UTC; an unreadable value gives None, never an error,
    because a missing date must not cost the article.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            from dateutil import parser

            try:
                parsed = parser.parse(text)
            except (ValueError, OverflowError):
                return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None
