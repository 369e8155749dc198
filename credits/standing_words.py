"""The causes of ``credits.standing`` in words, for the unit's risk column and the behind-pace warning."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .policies import category_label, kind_label
from .standing import TOTAL, Cause


def _points(value) -> str:
    """One decimal at most, no trailing zero ("3", "23.9")."""
    text = f"{Decimal(str(value)):.1f}"
    return text[:-2] if text.endswith(".0") else text


def cause_text(cause: Cause) -> str:
    """One exact cause: "市级讲座 3 次，还需 1 次", "网络学习 20 分，还需 5 分", and "（落后进度）" when behind pace."""
    values = {"category": category_label(cause.category), "have": _points(cause.have), "short": _points(cause.short)}
    if cause.what == "city_lectures":  # stored by warnings sent before policies were generic
        text = _("City lectures: %(have)s, %(short)s more needed") % values
    elif cause.what == "count":
        text = _("%(kind)s: %(have)s, %(short)s more needed") % {**values, "kind": kind_label(cause.kind)}
    elif cause.category == TOTAL:
        text = _("Credits of the year: %(have)s, %(short)s more needed") % values
    else:
        text = _("%(category)s: %(have)s points, %(short)s more needed") % values
    if cause.behind_pace:
        text = _("%(cause)s (behind pace)") % {"cause": text}
    return text


def cause_params(causes) -> list[list]:
    """Causes as JSON for a notification's params (rendered again in the reader's language)."""
    return [[c.category, c.what, str(c.have), str(c.need), str(c.short), c.behind_pace, c.kind] for c in causes]


def causes_from_params(rows) -> list[Cause]:
    causes = []
    for row in rows or ():
        try:
            category, what, have, need, short, behind, *kind = row
            causes.append(Cause(category, what, Decimal(have), Decimal(need), Decimal(short), bool(behind), *kind[:1]))
        except (TypeError, ValueError, ArithmeticError):
            continue
    return causes
