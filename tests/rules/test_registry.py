"""The policy registry in credits.rules. No Django needed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import credits.rules as rules
from credits.rules import kunshan_2020

PROJECT = Path(__file__).resolve().parents[2]


def test_default_policy_is_kunshan_2020():
    assert rules.DEFAULT_POLICY == "kunshan-2020"
    assert rules.POLICIES["kunshan-2020"] is kunshan_2020.POLICY
    assert rules.get_policy() is kunshan_2020.POLICY
    assert rules.get_policy("kunshan-2020") is kunshan_2020.POLICY


def test_unknown_policy_is_a_value_error():
    with pytest.raises(ValueError, match="Unknown credit policy"):
        rules.get_policy("baoji-2099")


def test_types_are_re_exported():
    from credits.rules import types

    for name in ("ActivityLine", "Assessment", "CategoryResult", "OfficialYear"):
        assert getattr(rules, name) is getattr(types, name)


@pytest.mark.parametrize("policy", list(rules.POLICIES.values()))
def test_policy_interface(policy):
    """Every policy implements the one interface, and what it says about itself hangs together."""
    assert isinstance(policy, rules.Policy)
    assert rules.POLICIES[policy.code] is policy
    assert set(policy.kinds) >= policy.per_record_kinds
    codes = [c.code for c in policy.categories]
    for kind, spec in policy.kinds.items():
        assert spec.code == kind and spec.label and spec.unit and spec.rule
        assert spec.category is None or spec.category in codes, kind
        assert policy.category_of(kind) == spec.category
        assert spec.points in ("none", "optional", "required")
    assert policy.failing_grade in policy.grades
    assert [band.grade for band in policy.grade_bands] == [g for g in policy.grades if g != policy.failing_grade]
    assert policy.declarable_by_official <= set(codes) and policy.enterable_by_unit_admin <= set(codes)
    for code in policy.grades:
        assert policy.labels[code], code


def test_every_kind_and_category_of_every_policy_is_known():
    for policy in rules.POLICIES.values():
        assert set(policy.kinds) <= set(rules.ALL_KINDS)
        assert {c.code for c in policy.categories} <= set(rules.ALL_CATEGORIES)
        for kind in policy.kinds:
            assert kind in rules.policy_owning(kind).kinds


def test_kunshan_tables():
    assert list(kunshan_2020.CATEGORIES) == ["offjob", "menu", "online", "group_study", "self_study"]
    assert sum(kunshan_2020.CATEGORIES.values()) == 100
    assert len(kunshan_2020.KINDS) == 17
    for kind, spec in kunshan_2020.KINDS.items():
        assert spec.category is None or spec.category in kunshan_2020.CATEGORIES, kind
        assert kunshan_2020.category_of(kind) == spec.category
    assert kunshan_2020.KINDS["discretionary"].category is None


def test_rules_import_without_django():
    code = "import sys, credits.rules; assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django'"
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT, check=True)
