"""Surveys in a real browser: the demo official answers the demo city's needs survey on a 390 px phone — one tap per
question on a big label or scale button, the text typed, one tap to send — and sees the thank-you page; the
training section then opens the survey's results and its half-year summary (with the answer counted), and the
follow-up page of the demo's key class. Screenshots at 1280 and 390 px: tests/e2e/artifacts/surveys-*.png."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.demo_surveys import FOLLOW_UP_CLASS, NEEDS_SURVEY
from courses.models import Survey, SurveyParticipation, SurveyResponse
from kunshan_training.half_years import HalfYear
from organisation import demo
from tests.e2e.conftest import PHONE, Browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def phone(browser: Browser) -> None:
    metrics = {"width": PHONE, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


def test_an_official_answers_the_needs_survey_on_a_phone_and_staff_read_the_results(browser: Browser, roles):
    call_command(
        "load_demo_city", "--officials", "200", "--units", "8", "--records-per-official", "20", "--no-audit",
        stdout=io.StringIO(),
    )  # fmt: skip
    year = timezone.localdate().year
    code = NEEDS_SURVEY.format(year=year)
    survey = Survey.objects.get(code=code)
    before = SurveyResponse.objects.filter(survey=survey).count()

    browser.sign_in(demo.DEMO_OFFICIAL, demo.DEMO_PASSWORD)
    phone(browser)
    browser.go("/training/me/")
    browser.click_and_load(browser.find(f"a[href='/training/surveys/answer/{code}/']"))
    phone(browser)
    cards = browser.find_all("[data-testid=question-card]")
    assert cards, "the answer form shows no question"
    browser.save("surveys-answer-phone", width=PHONE, full_page=False)
    phone(browser)
    taps = 0
    for card in cards:
        labels = card.find_elements("css selector", "label.btn")
        browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", card)
        if labels:
            # One tap: the last option or the scale's 4 (a big label covering the hidden radio or checkbox).
            target = labels[3] if len(labels) == 5 else labels[-1]
            box = browser.driver.execute_script(
                "var r = arguments[0].getBoundingClientRect(); return [r.left, r.right, r.height];", target
            )
            assert box[0] >= 0 and box[1] <= PHONE + 1, f"an option is off the phone's screen: {box}"
            assert box[2] >= 40, f"an option is too small to tap: {box[2]} px high"
            target.click()
            taps += 1
        else:
            card.find_element("css selector", "textarea").send_keys("希望增加案例教学和现场教学")
    width = browser.driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the answer form scrolls sideways on a phone: {width}"
    browser.click_and_load(browser.button("提交答卷"))
    assert browser.path == f"/training/surveys/answer/{code}/thanks/", browser.text[:400]
    assert "谢谢" in browser.text
    browser.save("surveys-thanks-phone", width=PHONE)
    assert taps >= 1
    assert SurveyResponse.objects.filter(survey=survey).count() == before + 1
    assert SurveyParticipation.objects.filter(survey=survey, official__user__username=demo.DEMO_OFFICIAL).exists()
    # Back on the form: already answered.
    browser.go(f"/training/surveys/answer/{code}/")
    assert "您已填写过本问卷" in browser.text
    browser.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.sign_out()

    browser.sign_in(demo.DEMO_ORG_STAFF, demo.DEMO_PASSWORD)
    browser.go("/training/surveys/")
    browser.click_and_load(browser.find(f"a[href='/training/surveys/{code}/']"))
    browser.save("surveys-detail")
    browser.save("surveys-detail-phone", width=PHONE)
    period = HalfYear.of(timezone.localdate())
    browser.go(f"/training/surveys/{code}/results/?period={period}&by=rank")
    answered_now = SurveyResponse.objects.filter(survey=survey, period=str(period)).count()
    assert f"{answered_now} 份答卷" in browser.find("[data-testid=respondents]").text
    assert browser.find_all("[data-testid=question-result]")
    browser.save("surveys-results")
    browser.save("surveys-results-phone", width=PHONE)
    browser.go(f"/training/surveys/{code}/summary/{period}/")
    assert "希望增加案例教学和现场教学" in browser.text  # the free text, listed without a name
    browser.save("surveys-summary")
    browser.go(f"/training/classes/{FOLLOW_UP_CLASS.format(year=year)}/")
    assert "培训评估" in browser.text
    browser.save("surveys-class-evaluation")
    browser.go(f"/training/classes/{FOLLOW_UP_CLASS.format(year=year)}/follow-up/")
    assert "随机种子" in browser.text
    browser.save("surveys-follow-up")
    browser.save("surveys-follow-up-phone", width=PHONE)
    browser.go("/training/follow-up/")
    browser.save("surveys-follow-up-items")
    assert browser.console_errors() == []
