"""Evidence files, handed out only to those who may see the record (never from a public media URL)."""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.clickjacking import xframe_options_sameorigin

from credits.selectors import records_visible_to


@xframe_options_sameorigin  # the approval queue previews PDFs in a frame of its own page
@login_required
def record_evidence(request, pk: int):
    record = get_object_or_404(records_visible_to(request.user), pk=pk)
    if not record.evidence:
        raise Http404
    content_type = mimetypes.guess_type(record.evidence.name)[0] or "application/octet-stream"
    response = FileResponse(record.evidence.open("rb"), content_type=content_type)
    # Shown inline (preview in the queue); the file was checked by content when uploaded.
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response
