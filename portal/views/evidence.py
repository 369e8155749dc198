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
    kind = record.evidence_type
    try:
        handle = record.evidence.open("rb")
    except OSError:
        raise Http404 from None
    content_type = CONTENT_TYPES.get(kind, "application/octet-stream")
    extension = EXTENSIONS.get(kind, "bin")
    response = FileResponse(handle, content_type=content_type)
    filename = f"evidence-{record.pk}.{extension}"
    disposition = "inline" if kind in INLINE_TYPES else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = EVIDENCE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cache-Control"] = "private, no-store"
    return response
