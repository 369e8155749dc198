import time

from django.core.management.base import BaseCommand

from credits.models import RecomputeJob
from credits.recompute import run_recompute_job
from kunshan_training.years import year_argument


class Command(BaseCommand):
    help = "Recompute every official's score and the rankings of a year, in this process."

    def add_arguments(self, parser):
        parser.add_argument("year", type=year_argument)

    def handle(self, *args, year: int, **options):
        started = time.perf_counter()
        job = run_recompute_job(job_id=RecomputeJob.objects.create(year=year).pk)
        self.stdout.write(
            f"{job.year}: {job.officials} officials recomputed and ranked in {time.perf_counter() - started:.1f} s"
        )
