"""Issue 9 (1, 2): publishing refuses while something of the year waits (or is overridden with an audited reason);
every API write into a published year is a 409 with the pages' words; the training section revokes or corrects an
approved record with a reason (audited, scores recomputed); a removed exemption or veto can be restored."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from audit.models import ChangeLog
from credits import services
from credits.models import ActivityRecord, AnnualScore, Exemption, PublishedYear, StaleScore, Veto
from credits.scoring import refresh_stale
from imports.models import ImportJob
from notifications.models import Notification
from tests.conftest import YEAR, client_for

pytestmark = pytest.mark.django_db
LOCKED = f"The results of {YEAR} are published and locked; the training section must reopen the year first."


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def entered(by, official, kind="study_paper", **extra):
    return services.create_record(by=by, official=official, kind=kind, quantity=extra.pop("quantity", 1),
                                  occurred_on=extra.pop("occurred_on", date(YEAR, 5, 1)), **extra)  # fmt: skip


def total_of(official) -> Decimal:
    refresh_stale()
    return AnnualScore.objects.get(official=official, year=YEAR).total


# ---------------------------------------------------------------------------------------------------
# Publishing lists what waits


def test_publishing_refuses_and_lists_what_still_waits(staff_user, officials):
    zhang = officials["zhang"]
    entered(zhang.user, zhang, kind="class_reflection")  # waits for review
    entered(zhang.user, zhang, kind="class_reflection", occurred_on=date(YEAR, 6, 1))
    ImportJob.objects.create(kind="activities", year=YEAR, dry_run=False, status="running")
    ImportJob.objects.create(kind="activities", year=YEAR, dry_run=True, status="running")  # a dry run writes nothing
    ImportJob.objects.create(kind="activities", year=YEAR - 1, dry_run=False, status="pending")  # another year
    StaleScore.objects.create(official=zhang, year=YEAR)
    with pytest.raises(ValidationError) as refused:
        services.publish_year(by=staff_user, year=YEAR)
    message = refused.value.message_dict["year"][0]
    assert message == (
        f"{YEAR} cannot be published yet: 2 records waiting for review; 1 import not finished; 1 score waiting to be "
        "updated. Clear them first, or publish anyway and give the reason."
    )
    assert not PublishedYear.objects.exists()


def test_publishing_anyway_needs_a_reason_and_the_audit_keeps_what_waited(staff_user, officials):
    zhang = officials["zhang"]
    entered(zhang.user, zhang, kind="class_reflection")
    with pytest.raises(ValidationError):
        services.publish_year(by=staff_user, year=YEAR, override_reason="   ")
    services.publish_year(by=staff_user, year=YEAR, override_reason="the waiting record belongs to next year")
    entry = ChangeLog.objects.get(model="credits.publishedyear", action="create")
    assert entry.reason == "the waiting record belongs to next year" and entry.actor == staff_user
    assert entry.new["waiting"] == {"waiting": 1, "imports": 0, "stale": 0}


def test_a_year_with_nothing_waiting_publishes_without_a_reason(staff_user, officials):
    StaleScore.objects.create(official=officials["zhang"], year=YEAR - 1)  # another year's stale score
    services.publish_year(by=staff_user, year=YEAR)
    assert ChangeLog.objects.get(model="credits.publishedyear", action="create").reason == ""


# ---------------------------------------------------------------------------------------------------
# The API: 409 with the same words


def test_every_api_write_into_a_published_year_is_a_409_with_the_pages_words(staff_user, officials):
    zhang = officials["zhang"]
    approved = entered(staff_user, zhang)
    waiting = entered(zhang.user, zhang, kind="class_reflection")
    veto = Veto.objects.create(official=zhang, year=YEAR, reason="discipline")
    services.publish_year(by=staff_user, year=YEAR, override_reason="test")
    api = client_for(staff_user)
    before = (ActivityRecord.objects.count(), Veto.objects.count(), Exemption.objects.count())
    writes = [
        (
            "post",
            "/api/v1/activities/",
            {"official": "F001", "kind": "study_paper", "quantity": "1", "occurred_on": f"{YEAR}-05-02"},
        ),  # fmt: skip
        ("patch", f"/api/v1/activities/{approved.pk}/", {"quantity": "2"}),
        ("delete", f"/api/v1/activities/{approved.pk}/", None),
        ("post", f"/api/v1/activities/{waiting.pk}/approve/", None),
        ("post", f"/api/v1/activities/{waiting.pk}/reject/", {"reason": "no"}),
        ("post", f"/api/v1/activities/{approved.pk}/revoke/", {"reason": "wrong class"}),
        ("post", f"/api/v1/activities/{approved.pk}/correct/", {"reason": "typo", "quantity": "2"}),
        ("post", "/api/v1/vetoes/", {"official": "F001", "year": YEAR, "reason": "absent_from_dispatch"}),
        ("delete", f"/api/v1/vetoes/{veto.pk}/", None),
        ("post", "/api/v1/exemptions/", {"official": "F001", "year": YEAR, "reason": "retiring"}),
        ("post", f"/api/v1/years/{YEAR}/recompute/", None),
    ]
    for method, url, data in writes:
        response = getattr(api, method)(url, data, format="json")
        assert response.status_code == 409, (method, url, response.status_code, response.content)
        assert response.json() == {"detail": LOCKED}, url
    assert (ActivityRecord.objects.count(), Veto.objects.count(), Exemption.objects.count()) == before
    assert ActivityRecord.objects.get(pk=waiting.pk).status == "submitted"


def test_the_409_is_in_chinese_for_a_chinese_client(staff_user, officials):
    services.publish_year(by=staff_user, year=YEAR)
    response = client_for(staff_user, "zh-hans").post(f"/api/v1/years/{YEAR}/recompute/")
    assert response.status_code == 409 and f"{YEAR} 年度结果已发布并锁定" in response.json()["detail"]


def test_the_schema_documents_409_on_the_writes_that_land_in_a_year(staff_api):
    schema = staff_api.get("/api/schema/", {"format": "json"}).json()
    activities = schema["paths"]["/api/v1/activities/"]
    assert "409" in activities["post"]["responses"] and "409" not in activities["get"]["responses"]
    assert "409" in schema["paths"]["/api/v1/activities/{id}/revoke/"]["post"]["responses"]
    assert "409" in schema["paths"]["/api/v1/years/{year}/recompute/"]["post"]["responses"]
    assert "published and locked" in activities["post"]["responses"]["409"]["description"]


# ---------------------------------------------------------------------------------------------------
# Revoke and correct an approved record


def test_revoking_an_approval_needs_a_reason_is_audited_recomputes_and_tells_the_official(staff_user, officials):
    zhang = officials["zhang"]
    paper = entered(staff_user, zhang)
    entered(staff_user, zhang, kind="class_speech")
    assert total_of(zhang) == Decimal("7.0")
    with pytest.raises(ValidationError, match="reason"):
        services.revoke_record(by=staff_user, record=paper, reason=" ")
    revoked = services.revoke_record(by=staff_user, record=paper, reason="the paper was not reviewed")
    assert (revoked.status, revoked.reject_reason) == ("rejected", "the paper was not reviewed")
    assert total_of(zhang) == Decimal("5.0")
    entry = ChangeLog.objects.filter(model="credits.activityrecord", object_id=str(paper.pk)).latest("id")
    assert entry.reason == "the paper was not reviewed" and entry.old["status"] == "approved"
    assert Notification.objects.filter(recipient=zhang.user).exists()
    with pytest.raises(ValidationError, match="Only an approved record can be revoked"):
        services.revoke_record(by=staff_user, record=paper, reason="again")


def test_correcting_an_approved_record_recomputes_both_years_touched(staff_user, officials):
    zhang = officials["zhang"]
    lectures = entered(staff_user, zhang, kind="menu_city_lecture", quantity=2)
    assert total_of(zhang) == Decimal("10.0")
    with pytest.raises(ValidationError, match="reason"):
        services.correct_record(by=staff_user, record=lectures, reason="", quantity=3)
    services.correct_record(by=staff_user, record=lectures, reason="the sign-in sheet shows 3", quantity=3)
    assert total_of(zhang) == Decimal("15.0")
    entry = ChangeLog.objects.filter(model="credits.activityrecord", object_id=str(lectures.pk)).latest("id")
    assert entry.reason == "the sign-in sheet shows 3" and entry.old == {"quantity": "2.0"}
    with pytest.raises(ValidationError, match="Nothing was changed"):
        services.correct_record(by=staff_user, record=lectures, reason="again", quantity=3)
    services.correct_record(by=staff_user, record=lectures, reason="it was last year",
                            occurred_on=date(YEAR - 1, 12, 1))  # fmt: skip
    assert total_of(zhang) == Decimal("0.0")
    assert AnnualScore.objects.get(official=zhang, year=YEAR - 1).total == Decimal("15.0")


def test_only_staff_revoke_or_correct_and_only_approved_records(staff_user, officials, unit_admin_user):
    zhang = officials["zhang"]
    approved = entered(staff_user, zhang)
    for user in (zhang.user, unit_admin_user):
        with pytest.raises(PermissionDenied):
            services.revoke_record(by=user, record=approved, reason="x")
        with pytest.raises(PermissionDenied):
            services.correct_record(by=user, record=approved, reason="x", quantity=2)
    waiting = entered(zhang.user, zhang, kind="class_reflection")
    with pytest.raises(ValidationError, match="Only an approved record can be corrected"):
        services.correct_record(by=staff_user, record=waiting, reason="x", quantity=2)
    assert ActivityRecord.objects.get(pk=approved.pk).status == "approved"


def test_revoke_and_correct_through_the_api(staff_user, officials):
    zhang = officials["zhang"]
    approved = entered(staff_user, zhang, kind="menu_other_lecture")
    api = client_for(staff_user)
    assert api.post(f"/api/v1/activities/{approved.pk}/correct/", {"quantity": "2"}).json() == {
        "reason": ["Give the reason for correcting the record."]
    }
    response = api.post(f"/api/v1/activities/{approved.pk}/correct/", {"quantity": "2", "reason": "typo"})
    assert response.status_code == 200 and response.json()["quantity"] == 2.0
    assert api.post(f"/api/v1/activities/{approved.pk}/revoke/", {}).status_code == 400
    response = api.post(f"/api/v1/activities/{approved.pk}/revoke/", {"reason": "not attended"})
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert client_for(zhang.user).post(f"/api/v1/activities/{approved.pk}/revoke/", {"reason": "x"}).status_code == 403


# ---------------------------------------------------------------------------------------------------
# Undo: a removed exemption or veto is restored


def test_a_removed_veto_can_be_restored_once_within_a_day(staff_user, officials):
    zhang = officials["zhang"]
    veto = services.record_veto(by=staff_user, official=zhang, year=YEAR, reason="discipline", note="通报")
    services.remove_decision(by=staff_user, decision=veto)
    [entry] = services.removed_decisions(official=zhang, year=YEAR)
    restored = services.restore_decision(by=staff_user, entry=entry)
    assert (restored.reason, restored.note, restored.year) == ("discipline", "通报", YEAR)
    assert services.removed_decisions(official=zhang, year=YEAR) == []  # it is back: nothing to offer
    with pytest.raises(ValidationError, match="already on record"):
        services.restore_decision(by=staff_user, entry=entry)
    assert Veto.objects.count() == 1


def test_an_old_removal_is_not_offered_and_cannot_be_restored(staff_user, officials):
    zhang = officials["zhang"]
    exemption = services.record_exemption(by=staff_user, official=zhang, year=YEAR, reason="retiring")
    services.remove_decision(by=staff_user, decision=exemption)
    entry = ChangeLog.objects.get(model="credits.exemption", action="delete")
    ChangeLog.objects.filter(pk=entry.pk).update(at=timezone.now() - timedelta(days=2))
    entry.refresh_from_db()
    assert services.removed_decisions(official=zhang, year=YEAR) == []
    with pytest.raises(ValidationError, match="too old"):
        services.restore_decision(by=staff_user, entry=entry)
    assert not Exemption.objects.exists()
