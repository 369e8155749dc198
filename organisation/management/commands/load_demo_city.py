"""Load the demo city: ``manage.py load_demo_city [--officials 1500] [--units 40] [--year Y] [--reset]``."""

from __future__ import annotations

import time
from collections import Counter
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from kunshan_training.years import year_argument
from organisation import demo
from organisation.models import Official, StudyAdministrator, Unit
from organisation.signals import demo_city_loaded, demo_city_resetting

GRADE_LABELS = {"excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格"}


class Command(BaseCommand):
    help = (
        "Generate a demo city (units, officials, a year of records, exemptions, vetoes), the three demo sign-ins "
        "and the year's scores. Does nothing but check the sign-ins when the demo is already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--officials", type=int, default=1500)
        parser.add_argument("--units", type=int, default=40)
        parser.add_argument("--year", type=year_argument, default=None, help="Assessment year (default: this year).")
        parser.add_argument("--records-per-official", type=int, default=60)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--baoji-years",
            type=int,
            default=demo.BAOJI_YEARS,
            help=f"How many years before the year before run under {demo.BAOJI_POLICY} (0: none).",
        )
        parser.add_argument("--no-audit", action="store_true", help="Skip the change log of the generated rows.")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete ALL units, officials, records, exemptions, vetoes, scores and the change log first.",
        )

    def handle(self, *args, **options):
        year = options["year"] or timezone.localdate().year
        if options["officials"] < 1 or options["units"] < 1:
            raise CommandError("--officials and --units must be at least 1.")
        User = get_user_model()
        loaded = (
            User.objects.filter(username=demo.DEMO_ORG_STAFF).exists()
            or Official.objects.filter(staff_no=demo.FIRST_STAFF_NO).exists()
        )
        if options["reset"]:
            self._reset()
        elif loaded:
            self.stdout.write("The demo city is already loaded (use --reset to generate it again).")
            accounts = demo.ensure_demo_accounts(year=year)
            if accounts["changed"]:
                self._recompute([year], official_ids=accounts["changed"])
            self._sign_in()
            return
        elif Official.objects.exists() or Unit.objects.exists():
            raise CommandError("The database already holds units or officials; use --reset to replace them.")

        started = time.monotonic()
        summary = demo.build_city(
            officials=options["officials"], units=options["units"], year=year,
            records_per_official=options["records_per_official"], seed=options["seed"],
            audit=not options["no_audit"], progress=lambda message: self.stdout.write(f"  {message}"),
        )  # fmt: skip
        baoji_years = demo.baoji_years_for(year, max(0, options["baoji_years"]))
        baoji = demo.build_baoji_years(
            years=baoji_years, seed=options["seed"], audit=not options["no_audit"],
            progress=lambda message: self.stdout.write(f"  {message}"),
        )  # fmt: skip
        self._recompute([*baoji_years, year - 1, year])
        # The demo sign-ins come after the scores: the demo official is one whose Baoji years carry credits over.
        accounts = demo.ensure_demo_accounts(year=year)
        if accounts["changed"]:
            self._recompute([year], official_ids=accounts["changed"])
        demo_city_loaded.send(
            sender=self.__class__, year=year, progress=lambda message: self.stdout.write(f"  {message}")
        )
        seconds = time.monotonic() - started
        self._report(summary, baoji, year, seconds)
        self._sign_in()

    def _recompute(self, years, official_ids=None):
        from credits.policies import policy_code_of_year
        from credits.scoring import compute_scores, rank_year

        for year in years:  # in year order: each year reads the one before (two-year flag, carry-over, cycle)
            computed = compute_scores(year=year, official_ids=official_ids)
            rank_year(year=year)
            if official_ids is None:
                self.stdout.write(f"  scores of {year} ({policy_code_of_year(year)}): {computed.assessed}")

    def _reset(self):
        from audit.models import ChangeLog
        from credits.models import (
            ActivityRecord,
            AnnualScore,
            Exemption,
            GroupStudySession,
            RecomputeJob,
            StaleScore,
            Veto,
        )  # fmt: skip

        self.stdout.write("Deleting units, officials, records, exemptions, vetoes, scores and the change log ...")
        with transaction.atomic():
            demo_city_resetting.send(sender=self.__class__)
            for model in (AnnualScore, StaleScore, RecomputeJob, ActivityRecord, GroupStudySession, Exemption, Veto,
                          ChangeLog, StudyAdministrator):  # fmt: skip
                model.objects.all().delete()
            Official.objects.all().delete()
            # Children before parents (the parent link protects).
            while Unit.objects.exists():
                Unit.objects.filter(children__isnull=True).delete()
            get_user_model().objects.filter(
                username__in=[demo.DEMO_ORG_STAFF, demo.DEMO_UNIT_ADMIN, demo.DEMO_OFFICIAL]
            ).delete()

    def _report(self, summary: dict, baoji: dict, year: int, seconds: float) -> None:
        from credits.models import AnnualScore

        scores = AnnualScore.objects.filter(year=year)
        grades = Counter(scores.filter(exempt=False).values_list("grade", flat=True))
        exempt = Counter(scores.filter(exempt=True).values_list("exempt_reason", flat=True))
        flags = Counter(flag for row in scores.values_list("flags", flat=True) for flag in row)
        assessed = sum(grades.values())
        w = self.stdout.write
        w("")
        w(self.style.SUCCESS(f"Demo city loaded in {seconds:.1f} s"))
        w(f"  units {summary['units']}, officials {summary['officials']}")
        w(f"  records {summary['records']:,} in {year}, {summary['records_previous_year']:,} in {year - 1}")
        w(f"  recorded exemptions {summary['exemptions']}, recorded vetoes {summary['vetoes']}")
        w(f"Grades {year} ({assessed} assessed, {sum(exempt.values())} exempt):")
        for grade in ("excellent", "good", "pass", "fail"):
            n = grades.get(grade, 0)
            share = 100 * n / assessed if assessed else 0
            w(f"  {grade:<10} {GRADE_LABELS[grade]:<4} {n:>6}  {share:5.1f} %")
        if exempt:
            w("  exempt: " + ", ".join(f"{reason} {n}" for reason, n in sorted(exempt.items())))
        if flags:
            w("  flags: " + ", ".join(f"{flag} {n}" for flag, n in sorted(flags.items())))
        if baoji["years"]:
            w(f"Years under {demo.BAOJI_POLICY} ({baoji['records']:,} records, {baoji['exemptions']} recorded "
              f"exemptions, {baoji['vetoes']} recorded vetoes):")  # fmt: skip
        for baoji_year in baoji["years"]:
            rows = AnnualScore.objects.filter(year=baoji_year, exempt=False).values_list("grade", "figures")
            grades = Counter(grade for grade, _figures in rows)
            carried = sum(1 for _grade, figures in rows if Decimal(figures.get("carry_out", "0")) > 0)
            w(f"  {baoji_year}: pass {grades.get('pass', 0)}, fail {grades.get('fail', 0)}; "
              f"{carried} carry credits over to {baoji_year + 1}")  # fmt: skip

    def _sign_in(self) -> None:
        w = self.stdout.write
        w("")
        w("Sign in at http://127.0.0.1:8000/ (admin: /admin/, API docs: /api/docs/), password "
          f"“{demo.DEMO_PASSWORD}”:")  # fmt: skip
        w(f"  {demo.DEMO_ORG_STAFF:<16} training section (org-dept staff): everything, approvals, admin site")
        admin = StudyAdministrator.objects.filter(user__username=demo.DEMO_UNIT_ADMIN).select_related("unit").first()
        w(f"  {demo.DEMO_UNIT_ADMIN:<16} study administrator of {admin.unit.name if admin else '-'}")
        official = Official.objects.filter(user__username=demo.DEMO_OFFICIAL).first()
        w(f"  {demo.DEMO_OFFICIAL:<16} official {official if official else '-'}")
