"""The mid-year warning: officials behind pace on a pass line hear it while there is still time to catch up.

Who is behind comes from the pure ``credits.standing`` module (``standing(...).behind_pace``) applied to each stored
score of the year; the official (when they have a login) and their unit's study administrator(s) are told.
RULES.md is silent on warnings, so these are decisions:

* ``WARNING_DATES`` — when the warning runs (Celery beat, 09:00 Asia/Shanghai; ``CELERY_BEAT_SCHEDULE`` in settings
  must match, a test checks it). 1 July: half the year gone, half left to catch up.
* ``WARN_EXEMPT_OFFICIALS`` — officials exempt for the year (免于考核) are not warned: they have no line to meet.
* ``WARNING_WINDOW`` — at most one warning per official and year in a calendar month, however often it runs
  (a retried task, a manual run after the scheduled one).
* The warning reads stored scores; ``warn_behind_pace_with_fresh_scores`` (the task and the command) first brings
  the year's scores up to date through the scoring pipeline, so a record approved a minute ago counts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from itertools import groupby
from types import SimpleNamespace

from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse

from credits.models import AnnualScore
from credits.policies import explanation_of
from credits.standing import ScoreSnapshot, standing
from credits.standing_words import cause_params

from .models import Notification, NotificationKind
from .services import save_notifications

log = logging.getLogger(__name__)

WARNING_DATES: tuple[tuple[int, int], ...] = ((7, 1),)  # (month, day) in the year being assessed
WARN_EXEMPT_OFFICIALS = False
WARNING_WINDOW = "%Y-%m"  # strftime of ``on``: the calendar month is the window

PACE_LOCK_ID = 7_010_900  # PostgreSQL advisory lock key of this job ("7-01 09:00")
# What ``ScoreSnapshot.from_score`` reads, and what the explanation is made from (which of its keys a line needs is
# the policy's).
_FIELDS = ("year", "policy", "exempt", "total", "grade", "vetoes", "categories", "figures")
_EXPLAINED_FROM = ("inputs", "legacy_explanation")


def warn_behind_pace(*, year: int, on: date) -> int:
    """Notify every assessed official behind pace on a pass line on ``on``, and their unit's study administrators.

    Returns how many officials were warned: those behind with somebody to tell (0 on a re-run in the same month).
    Set-based: one query reads the year's scores with their officials and unit administrators, one finds who was
    already warned in the window, one insert writes all the notifications; e-mails go out after commit when SMTP
    is configured.
    A system job (beat or a manual command), so it takes no acting user.
    """
    window = on.strftime(WARNING_WINDOW)
    my_credits = f"{reverse('portal:my-credits')}?year={year}"
    with transaction.atomic():
        _one_run_at_a_time()
        already = set(
            Notification.objects.filter(kind=NotificationKind.BEHIND_PACE, params__year=year, params__window=window)
            .values_list("params__official_id", flat=True)
            .distinct()
        )
        rows: list[Notification] = []
        warned = 0
        for official, admin_user_ids, snapshot in _scores_with_admins(year):
            if official["id"] in already:
                continue
            where = standing(snapshot, on=on)
            behind = where.behind_pace
            if not behind:
                continue
            causes = cause_params(c for c in where.causes if c.behind_pace)  # the exact cause, not just "menu"
            params = {"official": official["name"], "official_id": official["id"], "year": year,
                      "categories": list(behind), "causes": causes, "window": window, "on": on.isoformat()}  # fmt: skip
            recipients = [(official["user_id"], my_credits)] if official["user_id"] else []
            # The administrator's link opens the official's page in the unit; one who is also this official
            # already has the official's own notification.
            their_page = f"{reverse('portal:unit-official', args=[official['staff_no']])}?year={year}"
            recipients += [(user_id, their_page) for user_id in sorted(admin_user_ids - {official["user_id"]})]
            # Nobody to tell (no login, no administrator): not warned, so a later run may still warn them.
            warned += bool(recipients)
            rows += [Notification(recipient_id=user_id, kind=NotificationKind.BEHIND_PACE, params=params, url=url)
                     for user_id, url in recipients]  # fmt: skip
        save_notifications(rows)
    log.info("Behind-pace warning for %s on %s: %d officials, %d notifications", year, on, warned, len(rows))
    return warned


def _one_run_at_a_time() -> None:
    """Two runs at once (beat and a manual one) must not both miss each other's warnings: on PostgreSQL the second
    waits for the first to commit; SQLite's write transactions already take turns (transaction_mode IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PACE_LOCK_ID])


def warn_behind_pace_with_fresh_scores(*, year: int, on: date) -> int:
    """The scheduled form: recompute the year's outdated or missing scores first, then warn."""
    from credits import scoring

    scoring.find_outdated_scores(years=[year])
    scoring.refresh_stale()
    return warn_behind_pace(year=year, on=on)


def _scores_with_admins(year: int) -> Iterator[tuple[dict, set[int], ScoreSnapshot]]:
    """(official, their unit's administrator user ids, snapshot) per stored score of the year, in one query.

    The join to the unit's administrators repeats a score once per administrator; rows come ordered by official.
    """
    scores = AnnualScore.objects.filter(year=year)
    if not WARN_EXEMPT_OFFICIALS:
        scores = scores.filter(exempt=False)
    rows = (
        scores.order_by("official_id")
        .values(
            *_FIELDS,
            *_EXPLAINED_FROM,
            "official_id",
            official_name=F("official__name"),
            official_staff_no=F("official__staff_no"),
            official_user_id=F("official__user_id"),
            admin_user_id=F("official__unit__study_admins__user_id"),
        )
        .iterator(chunk_size=2000)
    )
    for official_id, group in groupby(rows, key=lambda row: row["official_id"]):
        group = list(group)
        first = group[0]
        admins = {row["admin_user_id"] for row in group if row["admin_user_id"]}
        official = {"id": official_id, "name": first["official_name"], "staff_no": first["official_staff_no"],
                    "user_id": first["official_user_id"]}  # fmt: skip
        yield official, admins, ScoreSnapshot.from_score(_score_like(first))


def _score_like(row: dict) -> SimpleNamespace:
    """What ``ScoreSnapshot.from_score`` reads."""
    explanation = explanation_of(
        policy=row["policy"], year=row["year"], inputs=row["inputs"], legacy=row["legacy_explanation"]
    )
    return SimpleNamespace(**{name: row[name] for name in _FIELDS}, explanation=explanation)
