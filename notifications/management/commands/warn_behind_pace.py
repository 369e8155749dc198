from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kunshan_training.years import year_argument
from notifications.pace import warn_behind_pace_with_fresh_scores


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"“{value}” is not a date; write it as YYYY-MM-DD, e.g. 2026-07-01.") from None


class Command(BaseCommand):
    help = (
        "Warn officials behind pace on a pass line (and their unit study administrators), as beat does on 1 July. "
        "At most once per official and month: running it again in the same month warns nobody twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", type=str, help="The date to judge the pace on (YYYY-MM-DD); default today.")
        parser.add_argument("--year", type=year_argument, help="The assessment year; default the year of --on.")

    def handle(self, *args, on: str | None = None, year: int | None = None, **options):
        day = _date(on) if on else timezone.localdate()
        year = year or year_argument(str(day.year))
        warned = warn_behind_pace_with_fresh_scores(year=year, on=day)
        self.stdout.write(f"{year}, pace on {day}: {warned} officials warned.")
