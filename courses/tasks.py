"""Celery tasks: thin wrappers around the training organisation's services (beat: kunshan_training/settings.py)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.db import DatabaseError

# Surveys whose answers are mixed again each night: open ones, and those closed in the last MIX_AFTER_CLOSE_DAYS
# (answers come in only while a survey is open; a few more nights cover a late night's failure).
MIX_AFTER_CLOSE_DAYS = 7


@shared_task(ignore_result=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def notify_follow_up() -> int:
    """Run by beat every morning: trainees are told of their self-evaluation and study summary due and overdue, the
    organisers of forums and yearly reviews overdue; each item once per state."""
    from .services.followup_notices import notify_follow_up as notify

    return notify()


@shared_task(ignore_result=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def mix_survey_responses() -> int:
    """Run by beat every night: the answers of the surveys open (or just closed) are written again with new random
    ids in a random order, so neither the table's row order nor the writing transaction lines an answer up with
    who has answered (courses.services.surveys.mix_responses). Returns how many surveys were mixed."""
    from django.utils import timezone

    from .models import Survey
    from .services.surveys import mix_responses

    today = timezone.localdate()
    surveys = Survey.objects.filter(opens_on__lte=today, closes_on__gte=today - timedelta(days=MIX_AFTER_CLOSE_DAYS))
    mixed = 0
    for survey in surveys.order_by("pk"):
        if mix_responses(survey=survey):
            mixed += 1
    return mixed
