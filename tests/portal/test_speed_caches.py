"""Caches that make 我的学分 cheaper must not change what it shows: record labels from a dict built once per language
(instead of Django's get_FOO_display, a fifth of the page's CPU), and the years chart kept per process by its data."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from credits.models import ActivityRecord, Category, Kind, Source, Status


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_record_labels_are_the_choices_labels_in_the_active_language(language):
    record = ActivityRecord(kind=Kind.ONLINE_HOUR, category=Category.ONLINE, source=Source.DECLARED,
                            status=Status.REJECTED, occurred_on=date(2025, 1, 1), quantity=1)  # fmt: skip
    with translation.override(language):
        assert record.get_kind_display() == str(Kind.ONLINE_HOUR.label)
        assert record.get_category_display() == str(Category.ONLINE.label)
        assert record.get_source_display() == str(Source.DECLARED.label)
        assert record.get_status_display() == str(Status.REJECTED.label)
    with translation.override("zh-hans"):
        assert record.get_status_display() == "已退回"
    with translation.override("en"):
        assert record.get_status_display() == "Rejected"
    record.status = "unknown"
    assert record.get_status_display() == "unknown"  # as Django: an unknown value shows as itself


def test_the_years_chart_kept_per_process_follows_a_changed_score():
    from types import SimpleNamespace

    from portal.templatetags.credits_tags import years_chart

    def rows(total):
        return [SimpleNamespace(year=2024, total=80, grade="good", exempt=False),
                SimpleNamespace(year=2025, total=total, grade="pass", exempt=False)]  # fmt: skip

    with translation.override("en"):
        first = years_chart(rows(61))
        assert years_chart(rows(61)) == first and ">61<" in first
        changed = years_chart(rows(72))
        assert changed != first and ">72<" in changed and ">61<" not in changed
    with translation.override("zh-hans"):
        assert years_chart(rows(61)) != first  # the labels are in the page's language
    assert years_chart([]) == ""
