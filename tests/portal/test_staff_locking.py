"""Issue 9 (1, 2) on the training section's pages: a published year's write controls are disabled with the reason;
publishing lists what waits; bulk and irreversible actions ask with counts; vetoes and exemptions start with no
reason; an approved record is revoked or corrected with a reason; a removed decision is restored."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest

from audit.models import ChangeLog
from credits import services
from credits.models import ActivityRecord, Exemption, PublishedYear, RecomputeJob, Veto
from tests.conftest import YEAR
from tests.portal.test_staff import browser, messages_of, record, score, text

pytestmark = pytest.mark.django_db
LOCKED = f"The results of {YEAR} are published and locked; the training section must reopen the year first."


@pytest.fixture
def staff(staff_user):
    return browser(staff_user)


def confirm_of(html: str, marker: str) -> str:
    """The data-confirm text of the form whose opening tag contains ``marker``."""
    tag = next(t for t in re.findall(r"<form [^>]*>", html) if marker in t)
    return unescape(re.search(r'data-confirm="([^"]*)"', tag).group(1))


# ---------------------------------------------------------------------------------------------------
# Publishing with waiting records


def test_the_years_page_lists_what_waits_and_offers_publishing_anyway_with_a_reason(staff, officials):
    score(officials["zhang"])
    score(officials["li"])
    record(officials["zhang"])
    record(officials["li"])
    html = text(staff.get("/staff/years/"))
    waiting = html.split('data-testid="publish-waiting"')[1].split("</div>")[0]
    assert f"{YEAR} cannot be published yet:" in waiting and "2 records waiting for review" in waiting
    assert f'href="/staff/?year={YEAR}"' in waiting and 'name="override_reason"' in waiting
    assert confirm_of(html, f"/staff/years/{YEAR}/publish/") == (
        f"Publish {YEAR} although 2 records waiting for review? 2 results will be locked."
    )
    assert "Publish (lock)" not in html  # the plain button is not offered while something waits


def test_publishing_with_waiting_records_is_refused_then_done_with_a_reason(staff, officials):
    record(officials["zhang"])
    response = staff.post(f"/staff/years/{YEAR}/publish/", follow=True)
    assert messages_of(response) == [
        f"{YEAR} cannot be published yet: 1 record waiting for review. Clear them first, or publish anyway and give "
        "the reason."
    ]
    assert not PublishedYear.objects.exists()
    response = staff.post(f"/staff/years/{YEAR}/publish/", {"override_reason": " "}, follow=True)
    assert messages_of(response) == ["Give the reason for publishing while something still waits."]
    assert not PublishedYear.objects.exists()
    response = staff.post(f"/staff/years/{YEAR}/publish/", {"override_reason": "交下一年度处理"}, follow=True)
    assert f"{YEAR} is published" in messages_of(response)[0]
    assert ChangeLog.objects.get(model="credits.publishedyear", action="create").reason == "交下一年度处理"


def test_a_year_with_nothing_waiting_asks_with_the_count_of_results(staff, officials):
    score(officials["zhang"])
    html = text(staff.get("/staff/years/"))
    assert confirm_of(html, f"/staff/years/{YEAR}/publish/") == (
        f"Publish {YEAR}? 1 result will be locked with its records and decisions."
    )
    assert staff.post(f"/staff/years/{YEAR}/publish/").status_code == 302 and PublishedYear.objects.exists()


# ---------------------------------------------------------------------------------------------------
# A published year: every write control disabled, with the reason


def test_a_published_year_disables_recompute_and_asks_before_reopening(staff, staff_user, officials):
    score(officials["zhang"])
    services.publish_year(by=staff_user, year=YEAR)
    html = text(staff.get("/staff/years/"))
    card = html.split(f'data-year="{YEAR}"')[1].split("</section>")[0]
    assert LOCKED in card and re.search(r"<button[^>]*disabled[^>]*>Recompute</button>", card)
    assert f"/staff/years/{YEAR}/recompute/" not in card
    assert confirm_of(html, f"/staff/years/{YEAR}/reopen/") == (
        f"Reopen {YEAR}? Its 1 result can be changed again until it is published again."
    )
    response = staff.post(f"/staff/years/{YEAR}/recompute/", follow=True)
    assert messages_of(response) == [LOCKED] and not RecomputeJob.objects.exists()


def test_a_published_year_disables_the_decision_forms_and_record_actions(staff, staff_user, officials):
    zhang = officials["zhang"]
    approved = record(zhang, "study_paper", status="approved")
    Veto.objects.create(official=zhang, year=YEAR, reason="discipline")
    services.publish_year(by=staff_user, year=YEAR)
    html = text(staff.get("/staff/officials/F001/", {"year": YEAR}))
    assert html.count("<fieldset disabled") == 3  # exemption, veto, discretionary points
    assert html.count('data-testid="locked-reason"') == 3 and LOCKED in html
    assert re.search(r'<button type="submit" class="btn btn-outline-danger btn-sm" disabled>Remove</button>', html)
    assert f"/records/{approved.pk}/revoke/" not in html and 'aria-disabled="true"' in html
    page = text(staff.get(f"/staff/officials/F001/records/{approved.pk}/revoke/"))
    assert "<fieldset disabled>" in page and LOCKED in page
    response = staff.post(f"/staff/officials/F001/records/{approved.pk}/revoke/", {"reason": "x"})
    assert response.status_code == 200 and LOCKED in text(response)
    assert ActivityRecord.objects.get(pk=approved.pk).status == "approved"


def test_the_queue_shows_a_locked_years_records_with_disabled_buttons(staff, staff_user, officials):
    locked = record(officials["zhang"])
    services.publish_year(by=staff_user, year=YEAR, override_reason="test")
    open_one = record(officials["li"], on=date(YEAR - 1, 3, 1))
    html = text(staff.get("/staff/"))
    row = html.split(f'id="record-{locked.pk}"')[1].split("</tr>")[0]
    assert "disabled>Approve</button>" in row and LOCKED in row and 'name="record_ids"' not in row
    assert f"/staff/records/{locked.pk}/approve/" not in row
    other = html.split(f'id="record-{open_one.pk}"')[1].split("</tr>")[0]
    assert 'name="record_ids"' in other and f"/staff/records/{open_one.pk}/approve/" in other


# ---------------------------------------------------------------------------------------------------
# Confirmations with counts; no preselected reason


def test_bulk_approval_asks_with_the_number_of_ticked_records(staff, officials):
    record(officials["zhang"])
    html = text(staff.get("/staff/"))
    tag = re.search(r'<form id="bulk-form"[^>]*>', html).group(0)
    assert "Approve {count} selected records?" in unescape(tag) and "Approve 1 selected record?" in unescape(tag)
    assert 'data-confirm-count=\'input[name="record_ids"][form="bulk-form"]:checked\'' in tag


def test_the_veto_and_exemption_forms_start_with_no_reason_and_ask_first(staff, officials):
    html = text(staff.get("/staff/officials/F001/", {"year": YEAR}))
    for name in ("veto-form", "exemption-form"):
        form = html.split(f'data-testid="{name}"')[1].split("</form>")[0]
        select = form.split('<select name="reason"')[1].split("</select>")[0]
        assert "required" in select.split(">")[0]
        first = re.search(r"<option[^>]*>", select).group(0)
        assert first in ('<option value="" selected>', '<option value="">')
        assert "selected" not in select.replace('<option value="" selected>', "")
    assert (
        confirm_of(html, "/vetoes/")
        == f"Record a veto for 张伟 in {YEAR}? 张伟's grade becomes “fail” whatever the total."
    )
    assert confirm_of(html, "/exemptions/") == (
        f"Exempt 张伟 from the {YEAR} assessment? 张伟 gets no grade and no rank for {YEAR}."
    )


def test_a_veto_without_a_chosen_reason_is_refused_in_plain_words(staff, officials):
    response = staff.post("/staff/officials/F001/vetoes/", {"year": YEAR, "note": ""})
    assert response.status_code == 200 and "Choose the reason for the veto." in text(response)
    response = staff.post("/staff/officials/F001/exemptions/", {"year": YEAR})
    assert "Choose the reason for the exemption." in text(response)
    assert not Veto.objects.exists() and not Exemption.objects.exists()


def test_removing_a_veto_asks_and_can_be_undone_from_the_page(staff, staff_user, officials):
    zhang = officials["zhang"]
    veto = services.record_veto(by=staff_user, official=zhang, year=YEAR, reason="discipline")
    html = text(staff.get("/staff/officials/F001/", {"year": YEAR}))
    assert confirm_of(html, f"/vetoes/{veto.pk}/remove/").startswith(f"Remove the veto of 张伟 for {YEAR} (")
    staff.post(f"/staff/officials/F001/vetoes/{veto.pk}/remove/")
    html = text(staff.get("/staff/officials/F001/", {"year": YEAR}))
    removed = html.split('data-testid="removed-decisions"')[1]
    entry = ChangeLog.objects.get(model="credits.veto", action="delete")
    assert f"/staff/officials/F001/decisions/{entry.pk}/restore/" in removed
    response = staff.post(f"/staff/officials/F001/decisions/{entry.pk}/restore/", follow=True)
    assert messages_of(response)[0].startswith(f"Restored: veto of {YEAR}")
    assert Veto.objects.filter(official=zhang, year=YEAR, reason="discipline").exists()
    assert 'data-testid="removed-decisions"' not in text(response)
    assert staff.post(f"/staff/officials/F002/decisions/{entry.pk}/restore/").status_code == 404  # another's


# ---------------------------------------------------------------------------------------------------
# Revoke and correct an approved record


def test_revoking_an_approval_on_the_page(staff, officials):
    zhang = officials["zhang"]
    approved = record(zhang, "study_paper", status="approved", on=date(YEAR, 5, 1))
    html = text(staff.get("/staff/officials/F001/", {"year": YEAR}))
    assert f"/staff/officials/F001/records/{approved.pk}/revoke/" in html
    page = text(staff.get(f"/staff/officials/F001/records/{approved.pk}/revoke/"))
    assert "The record will no longer count" in page and f"{YEAR}-05-01" in page
    response = staff.post(f"/staff/officials/F001/records/{approved.pk}/revoke/", {"reason": ""})
    assert response.status_code == 200 and "Give the reason for revoking the approval." in text(response)
    response = staff.post(
        f"/staff/officials/F001/records/{approved.pk}/revoke/", {"reason": "论文未经审核"}, follow=True
    )
    assert "is revoked" in messages_of(response)[0]
    approved.refresh_from_db()
    assert (approved.status, approved.reject_reason) == ("rejected", "论文未经审核")
    assert staff.get(f"/staff/officials/F001/records/{approved.pk}/revoke/").status_code == 404  # not approved now
    assert staff.get(f"/staff/officials/F002/records/{approved.pk}/correct/").status_code == 404


def test_correcting_an_approved_record_on_the_page(staff, officials):
    zhang = officials["zhang"]
    approved = record(zhang, "menu_city_lecture", status="approved", quantity=2, on=date(YEAR, 5, 1))
    page = text(staff.get(f"/staff/officials/F001/records/{approved.pk}/correct/"))
    assert f'value="{YEAR}-05-01"' in page and 'name="quantity"' in page and 'name="points"' not in page
    response = staff.post(f"/staff/officials/F001/records/{approved.pk}/correct/",
                          {"quantity": "3", "occurred_on": f"{YEAR}-05-01", "note": "", "reason": ""})  # fmt: skip
    assert "Give the reason for correcting the record." in text(response)
    response = staff.post(f"/staff/officials/F001/records/{approved.pk}/correct/",
                          {"quantity": "3", "occurred_on": f"{YEAR}-05-01", "note": "", "reason": "签到表为3次"},
                          follow=True)  # fmt: skip
    assert "is corrected" in messages_of(response)[0]
    approved.refresh_from_db()
    assert approved.quantity == 3 and approved.status == "approved"
    assert ChangeLog.objects.filter(object_id=str(approved.pk), reason="签到表为3次").exists()


def test_every_page_that_writes_records_names_the_locked_years(staff, staff_user, officials, unit_admin_user):
    services.publish_year(by=staff_user, year=YEAR)
    PublishedYear.objects.create(year=YEAR - 1)
    note = f"{YEAR}, {YEAR - 1} are published and locked: records dated in them cannot be declared"
    pages = [
        (officials["zhang"].user, "/me/declare/"),
        (unit_admin_user, "/unit/declare/"),
        (unit_admin_user, "/unit/sessions/new/"),
        (staff_user, "/imports/"),
    ]
    for user, url in pages:
        response = browser(user).get(url)
        assert response.status_code == 200 and note in text(response), url
    PublishedYear.objects.all().delete()
    assert 'data-testid="locked-years"' not in text(browser(unit_admin_user).get("/unit/declare/"))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_date_inputs_of_the_decision_forms_carry_iso_dates(staff_user, officials, language):
    """Regression: the 酌情赋分 form rendered value="2025/12/31" in Chinese, which browsers drop (always empty)."""
    approved = record(officials["zhang"], "study_paper", status="approved", on=date(YEAR, 5, 1))
    client = browser(staff_user, language)
    html = text(client.get("/staff/officials/F001/", {"year": YEAR}))
    assert re.findall(r'<input type="date" name="occurred_on" value="([^"]*)"', html) == [f"{YEAR}-12-31"]
    html = text(client.get(f"/staff/officials/F001/records/{approved.pk}/correct/"))
    assert re.findall(r'<input type="date" name="occurred_on" value="([^"]*)"', html) == [f"{YEAR}-05-01"]
