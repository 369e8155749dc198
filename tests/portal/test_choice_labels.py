"""Record labels (kind, category, source, status) come from a dict built once per language instead of Django's
get_FOO_display, which rebuilt the choices on every call (a fifth of 我的学分's CPU): the words must not change."""

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
