"""Re-check every stored evidence file with the parser that checks uploads (credits/evidence.py).

Good files get their type recorded (so they are served as that type); bad ones are listed with the record, the
official and the reason. With --quarantine the bad files are moved to EVIDENCE_QUARANTINE_ROOT (outside the media
folder), cleared from their records and the change written to the audit log. Running it again changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from credits.models import ActivityRecord
from credits.services import quarantine_evidence, recheck_evidence


class Command(BaseCommand):
    help = "Re-check every stored evidence file; report the bad ones and, with --quarantine, move them aside."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quarantine",
            action="store_true",
            help="Move bad files to EVIDENCE_QUARANTINE_ROOT, clear them from their records and log it.",
        )

    def handle(self, *args, quarantine: bool, **options):
        records = (
            ActivityRecord.objects.exclude(evidence="")
            .select_related("official")
            .only("id", "evidence", "evidence_type", "official__staff_no", "official__name")
            .order_by("id")
        )
        good = bad = 0
        for record in records.iterator(chunk_size=500):
            check = recheck_evidence(record=record)
            if not check.problem:
                good += 1
                continue
            bad += 1
            line = f"record {check.record_id} · {check.official} · {check.name}: {check.problem}"
            if quarantine:
                moved = quarantine_evidence(
                    record=record, reason=check.problem, folder=settings.EVIDENCE_QUARANTINE_ROOT
                )
                line += f" → quarantined to {moved}" if moved else " → cleared (no file)"
            self.stdout.write(line)
        summary = f"{good + bad} evidence files checked: {good} good, {bad} bad"
        if bad and not quarantine:
            summary += " (run with --quarantine to move the bad ones aside)"
        self.stdout.write(summary)
