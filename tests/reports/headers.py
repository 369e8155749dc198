"""The Content-Disposition every download carries: the name in the user's language for browsers (``filename*``)
and an ASCII name for tools that read only ``filename=`` (``curl -OJ``)."""

from __future__ import annotations

from urllib.parse import quote


def attachment(name: str, ascii_name: str, disposition: str = "attachment") -> str:
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def inline(name: str, ascii_name: str) -> str:
    return attachment(name, ascii_name, "inline")
