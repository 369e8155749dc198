import time

from django.core.management.base import BaseCommand, CommandError

from credits.models import RecomputeJob
from credits.recompute import run_recompute_job


class Command(BaseCommand):
    help = "Recompute every official's score and the rankings of a year, in this process."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)

    def handle(self, *args, year: int, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("The year must be between 2000 and 2100.")
        started = time.perf_counter()
        job = run_recompute_job(job_id=RecomputeJob.objects.create(year=year).pk)
        self.stdout.write(
            f"{job.year}: {job.officials} officials recomputed and ranked in {time.perf_counter() - started:.1f} s"
        )
