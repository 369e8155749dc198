"""Every download is saved under a name in the user's language (``filename*=UTF-8''…``), with an ASCII
``filename=`` for tools that read only that; a character no file system accepts never reaches the name."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from exports.models import ExportJob
from exports.services import ascii_download_name, download_name
from kunshan_training.downloads import content_disposition, safe_filename
from organisation.models import Unit
from tests.conftest import YEAR
from tests.reports.headers import attachment

pytestmark = pytest.mark.django_db


def test_the_import_template_is_named_in_chinese(unit_admin_user, officials):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(unit_admin_user)
    response = client.get(reverse("portal:import-template", args=["activities"]))
    assert response["Content-Disposition"] == attachment("学习记录导入模板.xlsx", "import-activities.xlsx")


def test_workbook_names_follow_the_jobs_language(units):
    city = ExportJob(kind=ExportJob.Kind.REPORT, year=YEAR, language="zh-hans")
    assert download_name(city) == f"{YEAR}年度干部教育培训学分.xlsx"
    assert ascii_download_name(city) == f"training-credits-{YEAR}.xlsx"
    ranking = ExportJob(kind=ExportJob.Kind.RANKINGS, year=YEAR, language="en", unit=units["finance"])
    assert download_name(ranking) == f"{YEAR} training credit rankings (市财政局).xlsx"


def test_a_unit_name_with_slashes_stays_one_file_name(db):
    unit = Unit.objects.create(code="X/1", name='党校/研究室:"一"', kind="department")
    job = ExportJob(kind=ExportJob.Kind.REPORT, year=YEAR, language="zh-hans", unit=unit)
    assert download_name(job) == f"{YEAR}年度干部教育培训学分（党校_研究室_一_）.xlsx"
    assert ascii_download_name(job).startswith(f"training-credits-{YEAR}-X")
    header = content_disposition(download_name(job), ascii_name=ascii_download_name(job))
    assert "/" not in header.split("filename=")[1].split(";")[0]  # the ASCII name: no slash either
    assert safe_filename("..") == "download" and safe_filename("a\x00b.pdf") == "a_b.pdf"
