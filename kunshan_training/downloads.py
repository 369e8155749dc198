"""Every download's file name: the user's language (Chinese by default, e.g. ``2026年度干部教育培训学分.xlsx``) for
browsers, an ASCII name for tools that read only ``filename=`` (``curl -OJ``, old clients).

``Content-Disposition: attachment; filename="training-credits-2026.xlsx"; filename*=UTF-8''2026%E5%B9%B4…`` (RFC
6266 with RFC 5987's ``filename*``, which browsers prefer when both are present).
"""

from __future__ import annotations

import re
from typing import IO
from urllib.parse import quote

from django.http import FileResponse

# Characters no file system takes in a name (Windows' list, the strictest), and control characters.
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def safe_filename(name: str) -> str:
    """``name`` with characters no file system accepts replaced by ``_`` (a unit called "A/B" stays one name)."""
    return UNSAFE.sub("_", name).strip(" .") or "download"


def content_disposition(name: str, *, ascii_name: str, attachment: bool = True) -> str:
    disposition = "attachment" if attachment else "inline"
    ascii_name = safe_filename(ascii_name).encode("ascii", "replace").decode().replace("?", "_")
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(safe_filename(name), safe='')}"


def download_response(
    content: IO[bytes], *, name: str, ascii_name: str, content_type: str, attachment: bool = True
) -> FileResponse:
    """``content`` streamed as a file saved under ``name`` (``ascii_name`` for tools that cannot read UTF-8 names);
    ``attachment=False`` opens it in the browser (a PDF in its viewer) and still saves under ``name``."""
    response = FileResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name, ascii_name=ascii_name, attachment=attachment)
    return response
