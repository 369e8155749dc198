"""The scorecards' pages (issue 12 item 6): the training section's board, review page, rankings and printed card; the
unit study administrator's cards and self-check page; officials none. Every page for its role, the others' 403, a
card outside the scope 404, form errors in plain words, and the board's query count bounded whatever the units."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments.models import CardStatus, ItemEvidence, Scorecard, ScorecardTemplate
from assessments.services import cards as services
from organisation.models import Unit
from tests.conftest import YEAR, make_user
from tests.evidence_files import pdf, png

pytestmark = pytest.mark.django_db

BENXI, ORG, TEAM = "benxi-2010", "daxinganling-org-2010", "daxinganling-team-2010"


def page_client(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def template(code: str) -> ScorecardTemplate:
    return ScorecardTemplate.objects.get(code=code)


@pytest.fixture
def cards(staff_user, units):
    """A Benxi card for finance and one for education; a Daxinganling team card for finance (YEAR)."""
    return {
        "finance": services.create_card(by=staff_user, template=template(BENXI), unit=units["finance"], year=YEAR),
        "education": services.create_card(by=staff_user, template=template(BENXI), unit=units["education"], year=YEAR),
        "team": services.create_card(by=staff_user, template=template(TEAM), unit=units["finance"], year=YEAR),
    }


@pytest.fixture
def staff(staff_user):
    return page_client(staff_user)


@pytest.fixture
def unit_admin(unit_admin_user):
    return page_client(unit_admin_user)


@pytest.fixture
def official(officials):
    return page_client(officials["zhang"].user)


def url(name: str, card: Scorecard | None = None) -> str:
    from django.urls import reverse

    return reverse(f"assessments:{name}", args=[card.pk] if card is not None else [])


# -- who may open what


def test_the_board_shows_every_unit_and_template_with_status_total_tier(staff, cards):
    answer = staff.get(url("board") + f"?year={YEAR}")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert 'data-unit="B01"' in html and 'data-unit="B02"' in html and 'data-unit="CITY"' in html
    assert html.count("data-total") == 3  # three cards; the others are dashes
    # A Benxi card with nothing entered scores 0: not completed (the template's Chinese tier title).
    assert "未完成" in html
    # Both Benxi reports of a past year are overdue, shown in words.
    assert html.count("data-overdue") == 3
    assert "Units by tier" in html or "units by tier" in html
    assert html.count('data-testid="tier-chart"') == ScorecardTemplate.objects.filter(active=True).count()


def test_the_board_is_for_the_training_section_only(unit_admin, official, cards, client):
    assert unit_admin.get(url("board")).status_code == 302  # to their unit's cards
    assert unit_admin.get(url("board"), follow=True).redirect_chain[-1][0] == url("unit-cards")
    assert official.get(url("board")).status_code == 403
    assert official.get(url("unit-cards")).status_code == 403
    assert official.get(url("rankings")).status_code == 403
    assert unit_admin.get(url("rankings")).status_code == 403
    assert client.get(url("board")).status_code == 302  # to sign in
    assert "/accounts/login/" in client.get(url("board"))["Location"]


def test_an_account_without_a_role_gets_403(roles, cards):
    nobody = page_client(make_user("nobody"))
    for path in (url("board"), url("unit-cards"), url("self-check", cards["finance"]), url("card", cards["finance"])):
        assert nobody.get(path).status_code == 403


def test_the_review_page_is_the_training_sections(staff, unit_admin, official, cards):
    card = cards["finance"]
    assert staff.get(url("card", card)).status_code == 200
    assert unit_admin.get(url("card", card)).status_code == 403
    assert official.get(url("card", card)).status_code == 403
    for action in ("card-return", "card-finalise", "card-reopen", "card-appraisal"):
        assert unit_admin.post(url(action, card), {"reason": "x"}).status_code == 403


def test_a_unit_administrator_sees_only_their_units_cards(unit_admin, cards):
    answer = unit_admin.get(url("unit-cards") + f"?year={YEAR}")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert url("self-check", cards["finance"]) in html and url("self-check", cards["team"]) in html
    assert url("self-check", cards["education"]) not in html
    assert unit_admin.get(url("self-check", cards["finance"])).status_code == 200
    # Another unit's card does not exist for them: 404, for every page and action.
    other = cards["education"]
    assert unit_admin.get(url("self-check", other)).status_code == 404
    assert unit_admin.get(url("card-print", other)).status_code == 404
    assert unit_admin.post(url("self-check", other), {"item": "A1", "self-A1-points": "3"}).status_code == 404


def test_officials_have_no_scorecard_pages(official, cards):
    card = cards["finance"]  # zhang's own unit
    for path in (url("self-check", card), url("card-print", card), url("unit-cards")):
        assert official.get(path).status_code == 403


def test_a_card_that_does_not_exist_is_404(staff):
    assert staff.get("/assessments/cards/999999/").status_code == 404


def test_the_nav_has_unit_scorecards_for_staff_and_unit_administrators(staff, unit_admin, official, cards):
    assert 'href="/assessments/"' in staff.get("/training/classes/").content.decode()
    assert 'href="/assessments/unit/"' in unit_admin.get("/training/seats/").content.decode()
    assert "/assessments/" not in official.get("/me/").content.decode()


# -- the self-check


def test_the_unit_fills_in_the_self_check_with_evidence_and_submits_it(unit_admin, cards, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    card = cards["finance"]
    page = url("self-check", card)
    answer = unit_admin.post(page, {"item": "A1", "self-A1-points": "4.5", "self-A1-text": "方案已印发"})
    assert answer.status_code == 302 and answer["Location"].endswith("#item-A1")
    item = card.items.get(code="A1")
    assert item.self_value == {"points": 4.5} and item.self_note == "方案已印发" and item.self_score == Decimal("4.5")
    # C2 is a choice, D1 a percentage ladder.
    unit_admin.post(page, {"item": "C2", "self-C2-choice": "leave"})
    unit_admin.post(page, {"item": "D1", "self-D1-percent": "75"})
    assert card.items.get(code="C2").self_score == 4 and card.items.get(code="D1").self_score == 4

    upload = SimpleUploadedFile("签到表.png", png(), content_type="image/png")
    answer = unit_admin.post(page, {"item": "A1", "upload": "1", "evidence-A1-file": upload})
    assert answer.status_code == 302
    evidence = ItemEvidence.objects.get(item__card=card)
    html = unit_admin.get(page).content.decode()
    assert f'<img src="/assessments/evidence/{evidence.pk}/"' in html
    picture = unit_admin.get(f"/assessments/evidence/{evidence.pk}/")
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    assert picture["Content-Disposition"].startswith("inline") and picture["X-Content-Type-Options"] == "nosniff"

    answer = unit_admin.post(page, {"submit": "1", "period": "half_year"})
    assert answer.status_code == 302
    card.refresh_from_db()
    assert card.status == CardStatus.SUBMITTED
    # The full-year report is still to come: the self-check stays open for it; after it, read only.
    assert 'name="self-A1-points"' in unit_admin.get(page).content.decode()
    assert unit_admin.post(page, {"submit": "1", "period": "full_year"}).status_code == 302
    html = unit_admin.get(page).content.decode()
    assert 'name="self-A1-points"' not in html and "Submitted" in html
    assert "handed in" in html


def test_a_pdf_is_a_download_never_a_page(unit_admin, staff, cards, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    card = cards["finance"]
    upload = SimpleUploadedFile("report.pdf", pdf(), content_type="application/pdf")
    unit_admin.post(url("self-check", card), {"item": "B2", "upload": "1", "evidence-B2-file": upload})
    evidence = ItemEvidence.objects.get(item__card=card)
    html = staff.get(url("card", card)).content.decode()
    assert f'href="/assessments/evidence/{evidence.pk}/" download' in html
    answer = staff.get(f"/assessments/evidence/{evidence.pk}/")
    assert answer["Content-Disposition"].startswith("attachment") and answer["Content-Type"] == "application/pdf"
    assert "sandbox" in answer["Content-Security-Policy"]
    # Another unit's administrator, or an official, never gets it.
    other = make_user("edu_admin", "unit_admins")
    from organisation.models import StudyAdministrator

    StudyAdministrator.objects.create(user=other, unit=Unit.objects.get(code="B02"))
    assert page_client(other).get(f"/assessments/evidence/{evidence.pk}/").status_code == 404


def test_form_errors_are_in_plain_words(unit_admin, cards, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    card = cards["finance"]
    page = url("self-check", card)
    answer = unit_admin.post(page, {"item": "A1", "self-A1-points": "7"})  # A1 is worth 5
    assert answer.status_code == 200
    assert "The points are a number from 0 to 5, in half points." in answer.content.decode()
    answer = unit_admin.post(page, {"item": "A1", "self-A1-points": "2.3"})
    assert answer.status_code == 200 and "Points of A1 go in halves" in answer.content.decode()
    answer = unit_admin.post(page, {"item": "D1", "self-D1-percent": "150"})
    assert "The percentage is a number from 0 to 100." in answer.content.decode()
    answer = unit_admin.post(page, {"item": "C2", "self-C2-choice": "nonsense"})
    assert "Choose one of the options." in answer.content.decode()
    bad = SimpleUploadedFile("x.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    answer = unit_admin.post(page, {"item": "A1", "upload": "1", "evidence-A1-file": bad})
    assert answer.status_code == 200 and "PDF, JPEG or PNG" in answer.content.decode()
    assert unit_admin.post(page, {"item": "ZZ", "self-ZZ-points": "1"}).status_code == 404
    assert card.items.get(code="A1").self_value is None


def test_a_submitted_self_check_is_read_only_until_returned(unit_admin, staff, cards):
    card = cards["team"]  # one report (full year): nothing left to report on once submitted
    page = url("self-check", card)
    unit_admin.post(page, {"item": "T2", "self-T2-shortfalls": "1"})
    assert unit_admin.post(page, {"submit": "1", "period": "full_year"}).status_code == 302
    html = unit_admin.get(page).content.decode()
    assert 'name="self-T2-shortfalls"' not in html
    answer = unit_admin.post(page, {"item": "T2", "self-T2-shortfalls": "3"}, follow=True)
    assert answer.status_code == 200 and "returns the card" in answer.content.decode()
    assert card.items.get(code="T2").self_value == {"shortfalls": 1}

    answer = staff.post(url("card-return", card), {"return-reason": ""})
    assert answer.status_code == 200 and "Give the reason (the unit reads it)." in answer.content.decode()
    staff.post(url("card-return", card), {"return-reason": "T2 缺少佐证材料"})
    card.refresh_from_db()
    assert card.status == CardStatus.RETURNED
    html = unit_admin.get(page).content.decode()
    assert "T2 缺少佐证材料" in html and 'name="self-T2-shortfalls"' in html


# -- the review


def test_the_reviewer_sets_final_values_and_finalises(staff, cards):
    card = cards["finance"]
    page = url("card", card)
    for code, field, value in (("A1", "points", "5"), ("B6", "points", "14.5"), ("D1", "percent", "85")):
        answer = staff.post(page, {"item": code, f"final-{code}-{field}": value, f"final-{code}-text": "核实"})
        assert answer.status_code == 302
    staff.post(page, {"item": "C2", "final-C2-choice": "full"})
    staff.post(page, {"item": "E1", "final-E1-awarded": "on"})
    card.refresh_from_db()
    assert card.total == Decimal("39.5")  # 5 + 14.5 + 5 + 5 + bonus 10
    html = staff.get(page).content.decode()
    assert 'data-testid="total">39.5<' in html and "未完成" in html
    answer = staff.post(page, {"item": "B6", "final-B6-points": "16"})
    assert answer.status_code == 200 and "from 0 to 15" in answer.content.decode()

    assert staff.post(url("card-finalise", card)).status_code == 302
    card.refresh_from_db()
    assert card.status == CardStatus.FINAL
    html = staff.get(page).content.decode()
    assert 'name="final-A1-points"' not in html and "Reopen" in html
    answer = staff.post(url("card-reopen", card), {"reopen-reason": ""})
    assert answer.status_code == 200 and "Give the reason" in answer.content.decode()
    staff.post(url("card-reopen", card), {"reopen-reason": "复核更正 B6"})
    card.refresh_from_db()
    assert card.status != CardStatus.FINAL


def test_the_team_appraisal_is_entered_on_the_team_card(staff, cards):
    card = cards["team"]
    html = staff.get(url("card", card)).content.decode()
    assert 'name="appraisal"' in html
    assert staff.post(url("card-appraisal", card), {"appraisal": "good"}).status_code == 302
    card.refresh_from_db()
    assert card.team_appraisal == "good"
    answer = staff.post(url("card-appraisal", card), {"appraisal": "splendid"})
    assert answer.status_code == 200 and "Choose one of the appraisals." in answer.content.decode()
    assert 'name="appraisal"' not in staff.get(url("card", cards["finance"])).content.decode()


def test_computed_shortfalls_show_as_facts(staff, cards):
    html = staff.get(url("card", cards["team"])).content.decode()
    assert "data-computed" in html and "below 110 study hours" in html  # T8
    assert "Central-group study sessions: 0 of the 12 required" in html


def test_creating_the_years_cards_from_the_board(staff, cards, units):
    answer = staff.post(url("create-year-cards"), {"template": ORG, "year": str(YEAR)})
    assert answer.status_code == 302
    assert Scorecard.objects.filter(template__code=ORG, year=YEAR).count() == Unit.objects.count()
    answer = staff.post(url("create-year-cards"), {"template": "nonsense", "year": str(YEAR)}, follow=True)
    assert "Choose a template." in answer.content.decode()


def test_rankings_share_a_rank_on_equal_totals(staff, cards, units):
    city = Unit.objects.get(code="CITY")
    third = services.create_card(by=make_user("s2", "org_staff"), template=template(BENXI), unit=city, year=YEAR)
    for card, points in ((cards["finance"], "5"), (cards["education"], "5"), (third, "3")):
        services.set_final_value(by=third.created_by, card=card, code="A1", value={"points": points})
    answer = staff.get(url("rankings") + f"?template={BENXI}&year={YEAR}")
    html = answer.content.decode()
    ranks = [part.split("<")[0] for part in html.split("data-rank>")[1:]]
    assert ranks == ["1", "1", "3"]
    assert page_client(staff_user_from(staff)).get(url("rankings") + "?template=nope&year=abc").status_code == 200


def staff_user_from(client: Client):
    from django.contrib.auth.models import User

    return User.objects.get(pk=client.session["_auth_user_id"])


def test_the_printed_card_has_every_item_total_and_tier(staff, unit_admin, cards):
    card = cards["finance"]
    html = staff.get(url("card-print", card)).content.decode()
    assert "@page { size: A4" in html and 'data-testid="print-items"' in html
    assert html.count("<tr>") >= 21 and "未完成" in html
    assert unit_admin.get(url("card-print", card)).status_code == 200


def test_the_pages_are_in_chinese_by_default(staff_user, cards):
    client = page_client(staff_user, language="zh-hans")
    html = client.get(url("board") + f"?year={YEAR}").content.decode()
    assert "单位考评" in html


# -- speed


def test_the_board_does_not_query_per_card(staff, staff_user):
    """400 units × 3 templates: the same number of queries as for 3 units."""
    Unit.objects.bulk_create(Unit(code=f"Q{i:03d}", name=f"单位{i:03d}", kind="department") for i in range(3))
    for code in (BENXI, ORG, TEAM):
        services.create_year_cards(by=staff_user, template=template(code), year=YEAR)
    with CaptureQueriesContext(connection) as small:
        assert staff.get(url("board") + f"?year={YEAR}").status_code == 200
    Unit.objects.bulk_create(Unit(code=f"R{i:03d}", name=f"单位R{i:03d}", kind="department") for i in range(397))
    for code in (BENXI, ORG, TEAM):
        services.create_year_cards(by=staff_user, template=template(code), year=YEAR)
    assert Scorecard.objects.filter(year=YEAR).count() == 3 * Unit.objects.count()
    with CaptureQueriesContext(connection) as big:
        answer = staff.get(url("board") + f"?year={YEAR}")
    assert answer.status_code == 200 and answer.content.decode().count("data-total") == 3 * Unit.objects.count()
    assert len(big) == len(small) and len(big) <= 15, [q["sql"][:120] for q in big.captured_queries]


def test_the_board_reads_each_template_once(staff_user, units, monkeypatch):
    """Regression: board() parsed the template of every card (1,200 parses, 4 s for 400 units)."""
    from assessments import engine
    from assessments.selectors.cards import board

    for code in (BENXI, ORG, TEAM):
        services.create_year_cards(by=staff_user, template=template(code), year=YEAR)
    parses = []
    real = engine.template_from_data
    monkeypatch.setattr(engine, "template_from_data", lambda data: parses.append(1) or real(data))
    rows = board(year=YEAR)
    assert sum(1 for row in rows for card in row.cards.values() if card) == 3 * Unit.objects.count()
    assert len(parses) <= 3
