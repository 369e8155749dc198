"""Evidence files: PDF, JPEG or PNG up to a size limit, recognised by parsing the whole file, never by its name.

A file is accepted only if it *is* one of the three: Pillow decodes every pixel of an image (after checking the
declared size against a pixel limit, so a small file cannot claim a huge picture), pypdf reads the trailer, every
object of the cross-reference table and the page tree of a PDF (with a cap on objects and pages and a deadline).
Anything before the format's own start or after its end, markup a browser would run, encryption or scripts inside a
PDF are refused in plain words. The type found here is what the file is served as (``ActivityRecord.evidence_type``).
"""

from __future__ import annotations

import io
import logging
import re
import time
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PDF, JPEG, PNG = "pdf", "jpeg", "png"
CONTENT_TYPES = {PDF: "application/pdf", JPEG: "image/jpeg", PNG: "image/png"}
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
SIGNATURES = {b"%PDF-": PDF, b"\xff\xd8\xff": JPEG, b"\x89PNG\r\n\x1a\n": PNG}

# Markup a browser would render or run if it ever took the file for a page: refused anywhere in the file.
MARKUP = re.compile(rb"<\s*(script|html|body|iframe|svg|object|embed|meta|!doctype)[\s>/]", re.IGNORECASE)
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
PDF_SCRIPT_KEYS = ("/JavaScript", "/JS", "/Launch", "/EmbeddedFiles", "/RichMedia", "/XFA")


def _limit(name: str, default):
    return getattr(settings, name, default)


def _refuse(message: str):
    raise ValidationError(message, code="evidence")


def _not_a_file_of_its_kind(kind: str):
    names = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
    _refuse(
        _("The evidence file is not a readable %(kind)s file (it is damaged or only looks like one).")
        % {"kind": names[kind]}
    )


def read_upload(upload) -> bytes:
    """The whole upload as bytes, refusing one over the size limit without reading more than the limit."""
    limit = settings.EVIDENCE_MAX_BYTES
    too_big = _("The evidence file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        _refuse(too_big)
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        _refuse(too_big)
    return data


def sniff(data: bytes) -> str:
    """The type of the evidence in ``data`` (pdf, jpeg or png) after checking the whole file, or ValidationError."""
    kind = next((kind for magic, kind in SIGNATURES.items() if data.startswith(magic)), None)
    if kind is None:
        _refuse(_("The evidence file must be a PDF, JPEG or PNG file."))
    if MARKUP.search(data):
        _refuse(_("The evidence file contains web page code; only a plain PDF, JPEG or PNG file is accepted."))
    if kind == PDF:
        _check_pdf(data)
    else:
        _check_image(data, kind)
    return kind


def check_evidence(upload) -> str:
    """Return the upload's type (pdf, jpeg or png), or raise ValidationError in plain words."""
    return sniff(read_upload(upload))


def stored_name(kind: str) -> str:
    """A generated name for a checked file, <uuid>.<extension of the sniffed type>; the field's upload_to puts it
    under evidence/<year>/<month>/. The sender's file name is never used: it could say .html."""
    return f"{uuid.uuid4().hex}.{EXTENSIONS[kind]}"


def replace_stored_file(field_file, *, data: bytes, kind: str) -> None:
    """Put checked ``data`` (of the sniffed ``kind``) into a row's file field under a generated name; the file it
    replaces is deleted once the transaction commits (never before: a rollback keeps the row's old file). The
    caller saves the row."""
    from django.core.files.base import ContentFile
    from django.db import transaction

    previous = field_file.name if field_file else ""
    field_file.save(stored_name(kind), ContentFile(data), save=False)
    if previous:
        storage = field_file.storage
        transaction.on_commit(lambda: storage.delete(previous))


# -- images --------------------------------------------------------------------------------------------------------


def _check_image(data: bytes, kind: str) -> None:
    from PIL import Image, UnidentifiedImageError

    max_pixels = _limit("EVIDENCE_MAX_PIXELS", 30_000_000)
    formats = ["PNG"] if kind == PNG else ["JPEG"]
    too_large = _("The picture is too large; send one of at most %(mp)d megapixels.") % {"mp": max_pixels // 1_000_000}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=formats) as image:
                width, height = image.size
                if width * height > max_pixels:
                    _refuse(too_large)
                image.verify()  # structure and checksums (PNG chunk CRCs)
            with Image.open(io.BytesIO(data), formats=formats) as image:
                if kind == JPEG:
                    # Decoded at 1/8 scale: every block of the file is still read, in 1/64 of the memory.
                    image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
                image.load()  # every pixel decoded: a truncated or damaged picture fails here
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(too_large)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Warning) as error:
        logger.info("evidence image refused: %s", error)
        _not_a_file_of_its_kind(kind)
    if kind == PNG and not data.endswith(PNG_END):
        _refuse(_("The evidence file has extra data after the end of the picture."))
    if kind == JPEG and not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        _refuse(_("The evidence file has extra data after the end of the picture."))


# -- PDF -----------------------------------------------------------------------------------------------------------


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import IndirectObject

    if b"%%EOF" not in data[-1024:]:
        _not_a_file_of_its_kind(PDF)
    deadline = time.monotonic() + _limit("EVIDENCE_PDF_SECONDS", 10)
    max_objects = _limit("EVIDENCE_PDF_MAX_OBJECTS", 100_000)
    max_pages = _limit("EVIDENCE_PDF_MAX_PAGES", 2_000)
    too_complex = _("The PDF is too complex to check; print it to a new PDF or scan it and send that.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                _refuse(_("The PDF is protected by a password or encrypted; send one that opens without a password."))
            trailer = reader.trailer
            if "/Root" not in trailer:
                _not_a_file_of_its_kind(PDF)
            # Every object the cross-reference table names must parse.
            count = 0
            for generation, numbers in reader.xref.items():
                for number in numbers:
                    count += 1
                    if count > max_objects:
                        _refuse(too_complex)
                    if count % 256 == 0 and time.monotonic() > deadline:
                        _refuse(too_complex)
                    if reader.get_object(IndirectObject(number, generation, reader)) is None:
                        _not_a_file_of_its_kind(PDF)
            if count > max_objects:
                _refuse(too_complex)
            catalog = reader.trailer["/Root"].get_object()
            if _has_script(catalog):
                _refuse(_("The PDF contains scripts or embedded files; send a plain PDF (print it to a new PDF)."))
            pages = len(reader.pages)  # walks the page tree
            if pages == 0:
                _not_a_file_of_its_kind(PDF)
            if pages > max_pages:
                _refuse(too_complex)
            for page in reader.pages:
                if time.monotonic() > deadline:
                    _refuse(too_complex)
                page.mediabox  # noqa: B018 - a page without a usable box is broken
                if _has_script(page):
                    _refuse(_("The PDF contains scripts or embedded files; send a plain PDF (print it to a new PDF)."))
                contents = page.get_contents()
                if contents is not None:
                    contents.get_data()  # decoded (pypdf caps each stream's output)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError) as error:
        logger.info("evidence PDF refused: %r", error)
        _not_a_file_of_its_kind(PDF)
    except Exception as error:  # noqa: BLE001 - a parser's surprise on hostile input is still a bad file
        logger.warning("evidence PDF refused on an unexpected parser error: %r", error)
        _not_a_file_of_its_kind(PDF)


def _has_script(dictionary) -> bool:
    """Whether a catalog or page names scripts, launch actions or embedded files (directly or in its actions)."""
    if "/AA" in dictionary or "/OpenAction" in dictionary and _is_script_action(dictionary["/OpenAction"]):
        return True
    names = dictionary.get("/Names")
    if names is not None and any(key in names.get_object() for key in PDF_SCRIPT_KEYS):
        return True
    if any(key in dictionary for key in ("/AcroForm",)) and "/XFA" in dictionary["/AcroForm"].get_object():
        return True
    annotations = dictionary.get("/Annots")
    for annotation in annotations.get_object() if annotations is not None else []:
        annotation = annotation.get_object()
        if "/AA" in annotation or ("/A" in annotation and _is_script_action(annotation["/A"])):
            return True
    return False


def _is_script_action(action) -> bool:
    action = action.get_object()
    if not hasattr(action, "get"):
        return False  # an explicit destination (a page and a view), not an action
    return action.get("/S") in ("/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute", "/SubmitForm")
