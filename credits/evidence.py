"""Evidence files: PDF, JPEG or PNG up to a size limit, recognised by their content, not their name."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SIGNATURES = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpeg", b"\x89PNG\r\n\x1a\n": "png"}


def check_evidence(upload) -> str:
    """Return the file type, or raise ValidationError in plain words."""
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The evidence file is larger than %(mb)d MB.") % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for magic, kind in SIGNATURES.items():
        if head.startswith(magic):
            return kind
    raise ValidationError(_("The evidence file must be a PDF, JPEG or PNG file."))
