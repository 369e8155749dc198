"""Delete report workbooks older than the retention (``EXPORT_RETENTION``, 7 days) and restart dead builds."""

from django.core.management.base import BaseCommand

from exports.services import clean_exports, retention


class Command(BaseCommand):
    help = "Delete export jobs and their workbooks finished longer ago than EXPORT_RETENTION; restart dead builds."

    def handle(self, *args, **options):
        result = clean_exports()
        self.stdout.write(
            f"{result['deleted']} old export(s) deleted (retention {retention()}), "
            f"{result['restarted']} stalled build(s) restarted."
        )
