"""The Celery app. Tasks are thin wrappers around services (see credits/tasks.py)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kunshan_training.settings")

app = Celery("kunshan_training")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
