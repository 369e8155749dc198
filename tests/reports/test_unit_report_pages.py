"""The printed unit report's structure (the browser test prints it): the summary first, then the officials in
sections of 40, each with the table header and its page number."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from credits.scoring import rank_year, refresh_stale
from organisation.models import Official
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def test_the_unit_report_is_a_summary_then_pages_of_40_officials(units, officials, unit_admin_user):
    Official.objects.bulk_create(
        Official(staff_no=f"P{n:03d}", name=f"干部{n:03d}", unit=units["finance"], rank="section_chief")
        for n in range(82)
    )
    refresh_stale()
    rank_year(year=YEAR)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(unit_admin_user)

    page = client.get(f"/unit/report/?year={YEAR}").content.decode()

    assert "@page { size: A4 landscape" in page and "break-before: page" in page
    summary = page.index('data-testid="report-summary"')
    sections = page.split('data-testid="report-page"')[1:]
    assert summary < page.index('data-testid="report-page"') and len(sections) == 3
    assert [len(re.findall(r">P\d{3}<|>F00\d<", section)) for section in sections] == [40, 40, 4]
    assert all("<thead" in section and "工号" in section for section in sections)
    assert "干部 84 人 · 第 1 / 3 页" in sections[0] and "第 3 / 3 页" in sections[2]
    assert page.index("单位（盖章）") < page.index('data-testid="report-page"')  # signed on the summary page
