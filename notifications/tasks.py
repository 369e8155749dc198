"""E-mail delivery of notifications (thin wrappers around services)."""

from celery import shared_task


@shared_task(ignore_result=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    from .delivery import send_emails

    return send_emails(notification_ids=notification_ids)
