"""Evidence files, handed out only to those who may see the record (never from a public media URL).

Served as the type found by parsing the file when it was stored (``ActivityRecord.evidence_type``), never by its name,
with ``nosniff`` and a sandboxing Content-Security-Policy on every response: even a file that got past the check could
not run script with the viewer's session. Pictures are shown inline (the queue previews them in an <img>); PDFs and
files with no recorded type (stored before the check, until ``manage.py recheck_evidence`` has seen them) are
downloads under a generated name.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from credits.evidence import CONTENT_TYPES, EXTENSIONS, JPEG, PNG
from credits.selectors import records_visible_to

# The response is a document of its own if opened directly: no script, no plugins, no forms, no framing by others.
EVIDENCE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'self'"
INLINE_TYPES = {JPEG, PNG}


@login_required
def record_evidence(request, pk: int):
    record = get_object_or_404(records_visible_to(request.user), pk=pk)
    if not record.evidence:
        raise Http404
    return evidence_response(record.evidence, kind=record.evidence_type, name=f"evidence-{record.pk}")


def evidence_response(stored, *, kind: str, name: str) -> FileResponse:
    """A stored evidence file as its checked type (``kind``), sandboxed: pictures inline, anything else a download
    named ``name`` plus the type's extension. 404 when the file is gone. Every app's evidence goes out this way."""
    try:
        handle = stored.open("rb")
    except (OSError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=CONTENT_TYPES.get(kind, "application/octet-stream"))
    disposition = "inline" if kind in INLINE_TYPES else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}.{EXTENSIONS.get(kind, "bin")}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = EVIDENCE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cache-Control"] = "private, no-store"
    return response
