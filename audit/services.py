"""Write the change log. Services call these for every write, one row or a bulk of them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms.models import model_to_dict

from .models import ChangeLog


def snapshot(instance: models.Model, fields: Sequence[str] | None = None) -> dict:
    """The instance's own field values as JSON-safe data (files as their names)."""
    data = model_to_dict(instance, fields=fields)
    for field in instance._meta.concrete_fields:
        if field.name in data and isinstance(field, models.FileField):
            data[field.name] = data[field.name].name if data[field.name] else ""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _label(instance: models.Model) -> str:
    return instance._meta.label_lower


def log_change(
    *, actor, instance: models.Model, action: str, old: dict | None = None, new: dict | None = None, reason: str = ""
) -> ChangeLog:
    return ChangeLog.objects.create(
        model=_label(instance),
        object_id=str(instance.pk),
        action=action,
        actor=actor if _is_user(actor) else None,
        old=old,
        new=new,
        reason=reason,
    )


def log_created(*, actor, instances: Iterable[models.Model], reason: str = "") -> None:
    """One bulk insert for many created objects (imports, generated records)."""
    ChangeLog.objects.bulk_create(
        [
            ChangeLog(
                model=_label(obj),
                object_id=str(obj.pk),
                action=ChangeLog.Action.CREATE,
                actor=actor if _is_user(actor) else None,
                new=snapshot(obj),
                reason=reason,
            )
            for obj in instances
        ],
        batch_size=2000,
    )


def diff(old: dict, new: dict) -> tuple[dict, dict]:
    """Only the fields that changed, as (old values, new values)."""
    changed = [key for key in new if old.get(key) != new.get(key)]
    return {k: old.get(k) for k in changed}, {k: new[k] for k in changed}


def _is_user(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)
