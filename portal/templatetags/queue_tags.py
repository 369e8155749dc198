"""``{% queue_row record %}``: one approval-queue row, written by ``portal.queue_rows`` (Python, not a template)."""

from __future__ import annotations

from django import template

from portal.queue_rows import queue_rows_for

register = template.Library()


@register.simple_tag(takes_context=True)
def queue_row(context, record, done="", error=""):
    return queue_rows_for(context).render(record, done=done or "", error=error or "")
