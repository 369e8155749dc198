"""Evidence files are recognised by their content, not their name, and limited in size."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credits.models import ActivityRecord
from tests.conftest import YEAR, client_for

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


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


def test_an_official_declares_with_a_png(officials, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = declare(client_for(officials["zhang"].user), SimpleUploadedFile("心得.png", PNG))
    assert response.status_code == 201, response.content
    record = ActivityRecord.objects.get()
    assert record.status == "submitted" and record.evidence.name.endswith(".png")


def test_a_renamed_program_is_refused(officials, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = declare(client_for(officials["zhang"].user), SimpleUploadedFile("scan.pdf", b"MZ\x90\0program"))
    assert response.status_code == 400 and "PDF, JPEG or PNG" in response.json()["evidence"][0]
    assert not ActivityRecord.objects.exists()


def test_an_oversized_file_is_refused(officials, settings, tmp_path):
    settings.MEDIA_ROOT, settings.EVIDENCE_MAX_BYTES = tmp_path, 1024
    response = declare(client_for(officials["zhang"].user), SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 2048))
    assert response.status_code == 400 and "larger than" in response.json()["evidence"][0]
    assert not ActivityRecord.objects.exists()
