"""Evidence files are accepted only if they parse in full as PDF, JPEG or PNG, never by their name; they are stored
under a generated name with the type found, and served as that type with nosniff and a sandboxing policy. Every page
carries a Content-Security-Policy and no template holds inline script."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from credits.models import ActivityRecord
from tests.conftest import YEAR, client_for
from tests.evidence_files import jpeg, pdf, png

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def declare(api, upload):
    return api.post(
        "/api/v1/activities/",
        {
            "official": "F001",
            "kind": "study_paper",
            "quantity": "1",
            "occurred_on": f"{YEAR}-04-04",
            "evidence": upload,
        },
        format="multipart",
    )


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_script() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.add_open_action(JavaScript("app.alert(1)"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def jpeg_bomb() -> bytes:
    """A few MB that claim 20,000 × 20,000 pixels (400 million): decoding it would take over a gigabyte."""
    out = io.BytesIO()
    Image.new("L", (20000, 20000)).save(out, "JPEG", quality=1)
    return out.getvalue()


GOOD_PDF = pdf()
NO_PAGES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PAGE = b"<html><script>alert(document.cookie)</script></html>"
BAD_FILES = {
    # The reported attack: a page that starts like a PDF, named .html.
    "html starting with %PDF-": (
        "x.html",
        b"%PDF-1.4\n<html><body><script>fetch('/staff/years/2025/publish/',{method:'POST'})</script></body></html>",
        "web page code",
    ),
    "truncated PDF": ("scan.pdf", GOOD_PDF[: len(GOOD_PDF) // 2], "not a readable PDF"),
    "PDF with an HTML page after its end": ("scan.pdf", GOOD_PDF + b"\n" + PAGE, "web page code"),
    "PNG with a page after its end": ("photo.png", png() + PAGE, "web page code"),
    "PNG with garbage after its end": ("photo.png", png() + b"garbage" * 10, "extra data after the end of the picture"),
    "PNG with garbage inside": ("photo.png", png()[:40] + b"garbage" * 3 + png()[61:], "not a readable PNG"),
    "truncated JPEG": ("photo.jpg", jpeg()[:300], "not a readable JPEG"),
    "JPEG bomb": ("photo.jpg", jpeg_bomb(), "too large"),
    "HTML renamed .png": ("photo.png", b"<!doctype html><html><script>alert(1)</script></html>", "PDF, JPEG or PNG"),
    "program renamed .pdf": ("scan.pdf", b"MZ\x90\0program", "PDF, JPEG or PNG"),
    "encrypted PDF": ("scan.pdf", encrypted_pdf(), "password"),
    "PDF with a script": ("scan.pdf", pdf_with_script(), "scripts"),
    "an old-style PDF with no pages": ("scan.pdf", NO_PAGES, "not a readable PDF"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_a_bad_file_is_refused_in_plain_words_and_nothing_is_stored(case, officials, media):
    name, content, words = BAD_FILES[case]
    response = declare(client_for(officials["zhang"].user), SimpleUploadedFile(name, content))
    assert response.status_code == 400, response.content
    assert words in response.json()["evidence"][0]
    assert not ActivityRecord.objects.exists()
    assert stored_files(media) == []


def test_the_declare_page_refuses_the_html_disguised_as_pdf_in_chinese(client, officials, media):
    client.force_login(officials["zhang"].user)
    attack = SimpleUploadedFile("x.html", b"%PDF-1.4\n<html><script>alert(1)</script></html>")
    page = client.post(
        "/me/declare/",
        {"kind": "study_paper", "quantity": "1", "occurred_on": f"{YEAR}-04-04", "evidence": attack},
    ).content.decode()
    assert "佐证材料含有网页代码" in page
    assert not ActivityRecord.objects.exists() and stored_files(media) == []


def test_an_oversized_file_is_refused(officials, settings, media):
    settings.EVIDENCE_MAX_BYTES = 1024
    response = declare(client_for(officials["zhang"].user), SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 2048))
    assert response.status_code == 400 and "larger than" in response.json()["evidence"][0]
    assert not ActivityRecord.objects.exists()


GOOD = {"pdf": ("结业证书.pdf", GOOD_PDF), "jpeg": ("photo.jpeg", jpeg()), "png": ("心得.png", png())}


@pytest.mark.parametrize("kind", GOOD)
def test_a_good_file_is_stored_under_a_generated_name_and_served_as_its_type(kind, officials, staff_user, client):
    name, content = GOOD[kind]
    response = declare(client_for(officials["zhang"].user), SimpleUploadedFile(name, content))
    assert response.status_code == 201, response.content
    record = ActivityRecord.objects.get()
    extension = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}[kind]
    assert record.evidence_type == kind
    assert re.fullmatch(rf"evidence/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.{extension}", record.evidence.name)

    client.force_login(staff_user)
    served = client.get(f"/records/{record.pk}/evidence/")
    assert served.status_code == 200 and b"".join(served.streaming_content) == content
    assert served["Content-Type"] == {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}[kind]
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"] and "default-src 'none'" in served["Content-Security-Policy"]
    disposition = "attachment" if kind == "pdf" else "inline"
    assert served["Content-Disposition"] == f'{disposition}; filename="evidence-{record.pk}.{extension}"'


def test_a_real_pdf_named_html_is_stored_and_served_as_a_pdf_download(officials, staff_user, client):
    response = declare(client_for(officials["zhang"].user), SimpleUploadedFile("x.html", GOOD_PDF))
    assert response.status_code == 201
    record = ActivityRecord.objects.get()
    assert record.evidence.name.endswith(".pdf") and "x.html" not in record.evidence.name
    client.force_login(staff_user)
    served = client.get(f"/records/{record.pk}/evidence/")
    assert served["Content-Type"] == "application/pdf" and served["Content-Disposition"].startswith("attachment")


def test_a_file_stored_before_the_check_is_a_download_of_unknown_type(officials, staff_user, client, media):
    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "old.html").write_bytes(b"%PDF-<script>alert(1)</script>")
    record = ActivityRecord.objects.create(
        official=officials["zhang"], kind="study_paper", category="self_study", quantity=1,
        occurred_on=f"{YEAR}-04-04", evidence="evidence/old.html",
    )  # fmt: skip
    client.force_login(staff_user)
    served = client.get(f"/records/{record.pk}/evidence/")
    assert served["Content-Type"] == "application/octet-stream"
    assert served["Content-Disposition"] == f'attachment; filename="evidence-{record.pk}.bin"'
    assert served["X-Content-Type-Options"] == "nosniff" and "sandbox" in served["Content-Security-Policy"]


# -- the Content-Security-Policy on pages --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/accounts/login/", "/me/", "/staff/", "/staff/years/", "/api/docs/"])
def test_every_page_has_a_content_security_policy_without_inline_script(path, client, officials, staff_user):
    client.force_login(officials["zhang"].user if path == "/me/" else staff_user)
    response = client.get(path)
    assert response.status_code == 200
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'" and policy["frame-ancestors"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert "<script>" not in response.content.decode()


def test_the_csrf_cookie_is_out_of_reach_of_script(client):
    response = client.get("/accounts/login/")
    assert response.cookies["csrftoken"]["httponly"] is True


SCRIPT_WITH_BODY = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"""<[^>]*\son[a-z]+\s*=""", re.IGNORECASE | re.DOTALL)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def test_no_template_holds_inline_script_or_event_handlers():
    offenders = []
    for template in sorted(Path(django_settings.BASE_DIR, "templates").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for pattern in (SCRIPT_WITH_BODY, EVENT_HANDLER, JAVASCRIPT_URL):
            offenders += [f"{template.name}: {match.group(0)[:60]}" for match in pattern.finditer(text)]
    assert offenders == []


# -- manage.py recheck_evidence ------------------------------------------------------------------------------------


def old_record(official, name: str, content: bytes, media: Path) -> ActivityRecord:
    """A record whose evidence was stored before the full check (no type recorded)."""
    path = media / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return ActivityRecord.objects.create(
        official=official, kind="study_paper", category="self_study", quantity=1, occurred_on=f"{YEAR}-04-04",
        evidence=name,
    )  # fmt: skip


def test_recheck_reports_bad_files_and_records_the_type_of_good_ones(officials, media, settings, tmp_path):
    from django.core.management import call_command

    settings.EVIDENCE_QUARANTINE_ROOT = tmp_path / "quarantine"
    good = old_record(officials["zhang"], "evidence/2024/01/scan.png", png(), media)
    attack = old_record(officials["li"], "evidence/2024/01/x.html", b"%PDF-1.4\n<script>alert(1)</script>", media)
    out = io.StringIO()
    call_command("recheck_evidence", stdout=out)
    report = out.getvalue()
    assert f"record {attack.pk} · F002 李娜 · evidence/2024/01/x.html: 佐证材料含有网页代码" in report
    assert "2 evidence files checked: 1 good, 1 bad (run with --quarantine" in report
    good.refresh_from_db()
    attack.refresh_from_db()
    assert good.evidence_type == "png"
    assert attack.evidence.name == "evidence/2024/01/x.html" and attack.evidence_type == ""  # only reported
    assert (media / "evidence/2024/01/x.html").exists()


def test_recheck_quarantines_bad_files_logs_it_and_is_idempotent(
    officials, media, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from audit.models import ChangeLog

    settings.EVIDENCE_QUARANTINE_ROOT = tmp_path / "quarantine"
    good = old_record(officials["zhang"], "evidence/2024/01/scan.pdf", GOOD_PDF, media)
    attack = old_record(officials["li"], "evidence/2024/01/x.html", b"%PDF-1.4\n<script>alert(1)</script>", media)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # the original is deleted once the change is committed
        call_command("recheck_evidence", "--quarantine", stdout=out)
    assert f"record {attack.pk} · F002 李娜" in out.getvalue() and "quarantined to" in out.getvalue()

    attack.refresh_from_db()
    assert attack.evidence.name == "" and attack.evidence_type == ""
    assert not (media / "evidence/2024/01/x.html").exists()
    moved = tmp_path / "quarantine" / f"record-{attack.pk}-x.html"
    assert moved.read_bytes() == b"%PDF-1.4\n<script>alert(1)</script>"
    log = ChangeLog.objects.get(object_id=str(attack.pk), action="update")
    assert log.reason.startswith("佐证材料已隔离：佐证材料含有网页代码")
    good.refresh_from_db()
    assert good.evidence_type == "pdf" and (media / "evidence/2024/01/scan.pdf").exists()

    again = io.StringIO()
    call_command("recheck_evidence", "--quarantine", stdout=again)
    assert again.getvalue().strip() == "1 evidence files checked: 1 good, 0 bad"
    assert ChangeLog.objects.filter(object_id=str(attack.pk)).count() == 1


def test_the_api_reads_evidence_back_as_the_url_that_serves_it_with_its_type(officials):
    api = client_for(officials["zhang"].user)
    created = declare(api, SimpleUploadedFile("证书.jpg", jpeg())).json()
    assert created["evidence_type"] == "jpeg"
    assert created["evidence"] == f"http://testserver/records/{created['id']}/evidence/"
    listed = api.get("/api/v1/activities/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert rows[0]["evidence"] == created["evidence"] and rows[0]["evidence_type"] == "jpeg"
