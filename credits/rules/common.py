"""Small pieces more than one policy uses. Pure, like the policies."""

from __future__ import annotations

from credits.rules.types import Note, gettext_noop


def not_counted_notes(explanation) -> list[Note]:
    """Records of kinds the year's policy does not count (RULES §2.1: kept, shown, scoring 0)."""
    return [
        Note(
            gettext_noop("%(kind)s: %(count)s records are kept but not counted under this year's policy."),
            {"kind": kind, "count": line.get("n")},
        )
        for kind, line in ((explanation or {}).get("nc") or {}).items()
    ]
