"""Send notifications by e-mail (only when SMTP is configured)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation

from .models import Notification
from .texts import notification_text


def send_emails(*, notification_ids: list[int]) -> int:
    """E-mail each not-yet-emailed notification whose recipient has an address; returns how many went out."""
    if not settings.NOTIFY_BY_EMAIL:
        return 0
    sent = 0
    pending = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related("recipient")
    with translation.override(settings.LANGUAGE_CODE):
        for notification in pending:
            address = notification.recipient.email
            if not address:
                continue
            text = notification_text(notification)
            link = settings.PORTAL_BASE_URL.rstrip("/") + (notification.url or "/")
            send_mail(subject=text[:78], message=f"{text}\n\n{link}", from_email=None, recipient_list=[address])
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent
