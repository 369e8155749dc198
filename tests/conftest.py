"""Shared fixtures: one user per role, a small organisation, and an API client per role."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient

from organisation.models import Official, StudyAdministrator, Unit
from organisation.roles import OFFICIAL_GROUP, ORG_STAFF_GROUP, UNIT_ADMIN_GROUP, ensure_role_groups

YEAR = 2025  # a finished year: every date in it is in the past


@pytest.fixture(autouse=True)
def _plain_http(settings):
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast test users
    settings.EMBEDDED_JOBS = "inline"  # background jobs run synchronously (a test of the thread mode sets "thread")


@pytest.fixture
def roles(db):
    ensure_role_groups()


@pytest.fixture
def units(db):
    city = Unit.objects.create(code="CITY", name="市直机关", kind="department")
    return {
        "finance": Unit.objects.create(code="B01", name="市财政局", kind="department", parent=city),
        "education": Unit.objects.create(code="B02", name="市教育局", kind="department", parent=city),
    }


def make_user(username: str, group: str | None = None) -> User:
    user = User.objects.create_user(username, password="pw-secret-123")
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def staff_user(roles):
    return make_user("staff", ORG_STAFF_GROUP)


@pytest.fixture
def officials(units, roles):
    """Two officials in finance (zhang with a login), one in education (wang, with a login)."""

    def official(staff_no, name, unit, rank, login=None):
        user = make_user(login, OFFICIAL_GROUP) if login else None
        return Official.objects.create(staff_no=staff_no, name=name, unit=units[unit], rank=rank, user=user)

    return {
        "zhang": official("F001", "张伟", "finance", "section_chief", login="zhang"),
        "li": official("F002", "李娜", "finance", "deputy_section"),
        "wang": official("E001", "王芳", "education", "section_chief", login="wang"),
    }


@pytest.fixture
def unit_admin_user(units, roles):
    user = make_user("finance_admin", UNIT_ADMIN_GROUP)
    StudyAdministrator.objects.create(user=user, unit=units["finance"])
    return user


def client_for(user: User | None, language: str = "en") -> APIClient:
    """An API client signed in as ``user``; English messages so assertions read plainly (zh-hans is the default)."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def staff_api(staff_user):
    return client_for(staff_user)


@pytest.fixture
def d():
    """d(month, day) -> a date in the test year."""
    return lambda month=3, day=1: date(YEAR, month, day)
