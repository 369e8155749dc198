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
    assert {"kunshan-2020": kunshan_2020} == rules.POLICIES
    assert rules.get_policy() is kunshan_2020
    assert rules.get_policy("kunshan-2020") is kunshan_2020


def test_unknown_policy_is_a_value_error():
    with pytest.raises(ValueError, match="Unknown credit policy"):
        rules.get_policy("baoji-2099")


def test_types_are_re_exported():
    from credits.rules import types

    for name in ("ActivityLine", "Assessment", "CategoryResult", "OfficialYear"):
        assert getattr(rules, name) is getattr(types, name)


@pytest.mark.parametrize("policy", list(rules.POLICIES.values()))
def test_policy_interface(policy):
    assert rules.POLICIES[policy.CODE] is policy
    for name in ("CATEGORIES", "KINDS", "PER_RECORD_KINDS", "assess", "category_of"):
        assert hasattr(policy, name), name
    assert set(policy.KINDS) >= policy.PER_RECORD_KINDS


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
