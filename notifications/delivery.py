"""Send notifications by e-mail (only when SMTP is configured)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Notification
from .texts import notification_text

SUBJECT_MAX = 78  # one header line (RFC 5322's recommended width)


def send_emails(*, notification_ids: list[int]) -> int:
    """E-mail each not-yet-emailed notification whose recipient has an address; returns how many went out.

    One SMTP connection for the batch. Each sent one is stamped ``emailed_at``, also when a later one fails (the
    task then retries and sends only the rest), so nobody gets the same message twice.
    """
    if not settings.NOTIFY_BY_EMAIL:
        return 0
    pending = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .exclude(recipient__email="")
        .select_related("recipient")
    )
    if not pending:
        return 0
    sent: list[int] = []
    try:
        with translation.override(settings.LANGUAGE_CODE), get_connection() as connection:
            for notification in pending:
                _message(notification, connection).send()
                sent.append(notification.pk)
    finally:
        if sent:
            Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    return len(sent)


def _message(notification: Notification, connection) -> EmailMessage:
    text = notification_text(notification)
    link = settings.PORTAL_BASE_URL.rstrip("/") + (notification.url or "/")
    # A rejection reason may hold line breaks; a header may not.
    subject = " ".join(text.split())
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 1] + "…"
    body = "\n\n".join(
        [text, _("See it in the cadre training portal: %(link)s") % {"link": link},
         _("This message was sent automatically; please do not reply.")]
    )  # fmt: skip
    return EmailMessage(subject=subject, body=body, to=[notification.recipient.email], connection=connection)
