"""courses/survey_rules.py, the pure rules of questionnaires (RULES §5 需求调查): exact boundaries and properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from courses import survey_rules as sr
from courses.survey_rules import AnswerValue, QuestionSpec

SINGLE = QuestionSpec(1, sr.SINGLE, ("讲授", "研讨", "现场教学"))
MULTIPLE = QuestionSpec(2, sr.MULTIPLE, ("政治理论", "业务知识", "法律法规", "心理健康"))
SCALE = QuestionSpec(3, sr.SCALE)
TEXT = QuestionSpec(4, sr.TEXT, required=False)
FORM = [SINGLE, MULTIPLE, SCALE, TEXT]


@pytest.fixture(autouse=True)
def _english():
    # The messages are compared in the source language (the Chinese ones are the translation tables' business).
    with translation.override("en"):
        yield


# ---------------------------------------------------------------------------------------------------
# Writing a question


def test_a_choice_question_has_two_to_twenty_distinct_options():
    assert sr.check_question(kind=sr.SINGLE, text="最希望的方式？", choices=["讲授", "研讨"]) == {}
    assert "choices" in sr.check_question(kind=sr.SINGLE, text="最希望的方式？", choices=["讲授"])
    assert "choices" in sr.check_question(kind=sr.MULTIPLE, text="内容？", choices=[str(n) for n in range(21)])
    assert sr.check_question(kind=sr.MULTIPLE, text="内容？", choices=[str(n) for n in range(20)]) == {}
    assert "choices" in sr.check_question(kind=sr.SINGLE, text="方式？", choices=["讲授", " 讲授 "])
    assert "choices" in sr.check_question(kind=sr.SINGLE, text="方式？", choices=["讲授", "  "])
    assert "choices" in sr.check_question(kind=sr.SINGLE, text="方式？", choices=["讲授", "x" * 101])
    assert sr.check_question(kind=sr.SINGLE, text="方式？", choices=["讲授", "x" * 100]) == {}


def test_only_a_choice_question_has_options_and_every_question_has_words_and_a_known_kind():
    assert "choices" in sr.check_question(kind=sr.SCALE, text="满意度", choices=["1", "2"])
    assert sr.check_question(kind=sr.TEXT, text="建议", choices=[]) == {}
    assert "text" in sr.check_question(kind=sr.TEXT, text="   ", choices=[])
    assert "text" in sr.check_question(kind=sr.TEXT, text="问" * 301, choices=[])
    assert sr.check_question(kind=sr.TEXT, text="问" * 300, choices=[]) == {}
    assert "kind" in sr.check_question(kind="ranking", text="排序", choices=[])


# ---------------------------------------------------------------------------------------------------
# Reading a filled questionnaire


def test_a_complete_questionnaire_gives_one_row_per_chosen_option():
    answers, errors = sr.check_answers(FORM, {"q1": 2, "q2": [3, 0, 3], "q3": "5", "q4": "  多安排现场教学  "})
    assert errors == {}
    assert answers == [
        AnswerValue(1, choice=2),
        AnswerValue(2, choice=0),
        AnswerValue(2, choice=3),
        AnswerValue(3, value=5),
        AnswerValue(4, text="多安排现场教学"),
    ]


@pytest.mark.parametrize(("value", "ok"), [(0, False), (1, True), (5, True), (6, False), ("3", True), (True, False)])
def test_a_scale_takes_1_to_5_only(value, ok):
    answers, errors = sr.check_answers([SCALE], {"q3": value})
    assert (errors == {}) is ok
    assert bool(answers) is ok
    if not ok:
        assert errors["q3"] == "Choose a value from 1 to 5."


@pytest.mark.parametrize("index", [-1, 3, "a", 1.5, None])
def test_an_option_out_of_range_is_refused_and_nothing_is_kept(index):
    answers, errors = sr.check_answers(FORM, {"q1": index, "q2": [0], "q3": 3})
    assert answers == [] and "q1" in errors
    answers, errors = sr.check_answers(FORM, {"q1": 0, "q2": [0, 4], "q3": 3})
    assert answers == [] and errors == {"q2": "Choose among the options."}


def test_required_questions_must_be_answered_optional_ones_may_be_left_empty():
    _answers, errors = sr.check_answers(FORM, {})
    assert set(errors) == {"q1", "q2", "q3"}  # q4 is optional
    assert errors["q1"] == "Answer this question."
    answers, errors = sr.check_answers(FORM, {"q1": 0, "q2": [1], "q3": 1, "q4": "   "})
    assert errors == {} and all(a.question_id != 4 for a in answers)


def test_unknown_keys_and_overlong_or_non_text_answers_are_errors_not_dropped():
    _answers, errors = sr.check_answers(FORM, {"q1": 0, "q2": [1], "q3": 1, "q99": 1})
    assert errors == {"q99": "This is not a question of this questionnaire."}
    _answers, errors = sr.check_answers(FORM, {"q1": 0, "q2": [1], "q3": 1, "q4": "字" * 2001})
    assert "q4" in errors
    answers, errors = sr.check_answers(FORM, {"q1": 0, "q2": [1], "q3": 1, "q4": "字" * 2000})
    assert errors == {} and answers[-1].text == "字" * 2000
    _answers, errors = sr.check_answers(FORM, {"q1": 0, "q2": [1], "q3": 1, "q4": 12})
    assert errors == {"q4": "Write the answer as text."}


def test_a_per_session_question_is_answered_once_per_session():
    teaching = QuestionSpec(7, sr.SCALE, sessions=(40, 41))
    assert sr.answer_key(7) == "q7" and sr.answer_key(7, 40) == "q7s40"
    answers, errors = sr.check_answers([teaching], {"q7s40": 5, "q7s41": 3})
    assert errors == {}
    assert answers == [AnswerValue(7, value=5, session_id=40), AnswerValue(7, value=3, session_id=41)]
    _answers, errors = sr.check_answers([teaching], {"q7s40": 5, "q7": 3})
    assert set(errors) == {"q7s41", "q7"}


# ---------------------------------------------------------------------------------------------------
# Who is asked, what may be shown


def test_an_empty_target_asks_everyone_units_and_ranks_both_narrow():
    assert sr.eligible(unit_id=3, rank="section", units=[], ranks=[])
    assert sr.eligible(unit_id=3, rank="section", units=[3, 4], ranks=[])
    assert not sr.eligible(unit_id=5, rank="section", units=[3, 4], ranks=[])
    assert not sr.eligible(unit_id=3, rank="section", units=[3], ranks=["division"])
    assert sr.eligible(unit_id=3, rank="division", units=[3], ranks=["division"])


def test_four_answers_are_not_broken_down_five_are():
    assert sr.MIN_GROUP_SIZE == 5
    assert not sr.shown(4) and sr.shown(5) and not sr.shown(0)
    hidden = sr.question_result(SINGLE, respondents=4, choice_counts={0: 4})
    assert hidden.shown is False and hidden.choices == [] and hidden.mean is None
    texts = sr.question_result(TEXT, respondents=4, texts=["a", "b", "c", "d"])
    assert texts.shown is False and texts.texts == []  # not even the free texts of a small group
    shown = sr.question_result(SINGLE, respondents=5, choice_counts={0: 3, 2: 2})
    assert shown.shown and [(c.label, c.count, c.share) for c in shown.choices] == [
        ("讲授", 3, Decimal("60.0")),
        ("研讨", 0, Decimal("0.0")),
        ("现场教学", 2, Decimal("40.0")),
    ]


def test_a_scale_result_counts_each_value_and_its_mean_to_two_places():
    result = sr.question_result(SCALE, respondents=6, scale_counts={5: 4, 4: 1, 1: 1})
    assert [c.count for c in result.choices] == [1, 0, 0, 1, 4]
    assert result.mean == Decimal("4.17")  # 25 / 6 = 4.1666…
    assert sr.question_result(SCALE, respondents=5, scale_counts={}).mean is None


def test_free_texts_are_listed_sorted_never_in_the_order_they_came():
    result = sr.question_result(TEXT, respondents=5, texts=["乙", "甲", "丙", "甲", "丁"])
    assert result.texts == sorted(["乙", "甲", "丙", "甲", "丁"])


def test_percent_mean_and_change_round_half_up_and_say_nothing_without_data():
    assert sr.percent(1, 3) == Decimal("33.3") and sr.percent(2, 3) == Decimal("66.7")
    assert sr.percent(1, 8) == Decimal("12.5") and sr.percent(1, 16) == Decimal("6.3")  # 6.25 → 6.3
    assert sr.percent(3, 0) == Decimal(0)
    assert sr.mean(9, 2) == Decimal("4.50") and sr.mean(0, 0) is None
    assert sr.change(Decimal("4.20"), Decimal("3.95")) == Decimal("0.25")
    assert sr.change(None, Decimal("3")) is None and sr.change(Decimal("3"), None) is None


@given(st.lists(st.integers(min_value=0, max_value=2), min_size=5, max_size=60))
def test_shares_of_a_single_choice_add_up_to_about_100(chosen):
    counts = {i: chosen.count(i) for i in set(chosen)}
    result = sr.question_result(SINGLE, respondents=len(chosen), choice_counts=counts)
    assert sum(c.count for c in result.choices) == len(chosen)
    assert abs(sum(c.share for c in result.choices) - 100) <= Decimal("0.15")


@given(st.dictionaries(st.sampled_from(["q1", "q2", "q3", "q4", "q5", "x"]), st.none() | st.integers(-3, 8)))
def test_with_any_error_nothing_is_stored(sent):
    answers, errors = sr.check_answers(FORM, sent)
    assert not (answers and errors)
