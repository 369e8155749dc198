"""The demo city's unit scorecards (``manage.py load_demo_city`` runs it through ``demo_city_loaded``): a card of
each template for every unit of the demo year, through the services as people would fill them, in every state —
finalised across every tier (the Daxinganling team cards following their org cards and the team's appraisal),
submitted and waiting for review, returned with a reason, and drafts (the demo unit's own Benxi card is half
filled, for the unit administrator to finish), so the board, the rankings and the tier charts have something to
show. Item values are drawn from one seeded generator: the same demo every time."""

from __future__ import annotations

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from organisation.models import Unit

from . import engine
from .models import Scorecard, ScorecardTemplate
from .selectors.cards import engine_template
from .template_data import ensure_templates

SEED = 2010
RETURN_REASON = "自查材料不全：请补充培训台账和经费使用凭证后重新报送。"
# How the units' cards stand (cycled over the units in code order): most finalised, some waiting, a few returned.
STATES = ("final", "final", "final", "submitted", "final", "returned", "final", "draft", "final", "submitted")
TEAM_APPRAISALS = ("excellent", "good", "good", "average", "excellent", "good", "poor")


def _value(item: engine.Item, rng: random.Random, strength: float) -> dict | None:
    """A plausible value: a strong unit meets more criteria, falls short less often."""
    if item.method == "deduction":
        if not item.entered:
            return None  # every shortfall comes from the data
        return {"shortfalls": 0 if rng.random() < strength else rng.randint(1, 3)}
    if item.method == "criteria":
        return {"met": [c.code for c in item.criteria if rng.random() < strength + 0.1]}
    if item.method == "ladder":
        return {"percent": str(Decimal(rng.randint(int(40 + 55 * strength), 100)))}
    if item.method == "choice":
        return {"choice": item.options[0].code if rng.random() < strength else rng.choice(item.options).code}
    if item.method == "manual":
        steps = int(item.max * 2)
        low = int(steps * (0.1 + 0.8 * strength))
        return {"points": str(Decimal(rng.randint(min(low, steps), steps)) / 2)}
    if item.method == "bonus":
        return {"awarded": rng.random() < strength - 0.7}
    return None


@transaction.atomic
def build_scorecards(*, year: int, progress=print) -> dict:
    """Cards of every template for every unit of ``year`` (once: does nothing when the year has cards)."""
    from organisation.demo import DEMO_ORG_STAFF, DEMO_UNIT_ADMIN

    from .services import cards as services

    if Scorecard.objects.filter(year=year).exists():
        return {}
    ensure_templates()
    User = get_user_model()
    staff = User.objects.get(username=DEMO_ORG_STAFF)
    unit_admin = User.objects.get(username=DEMO_UNIT_ADMIN)
    demo_unit = Unit.objects.get(study_admins__user=unit_admin)
    rng = random.Random(SEED)
    templates = list(ScorecardTemplate.objects.filter(active=True).order_by("code"))  # benxi, dxal-org, dxal-team
    made = 0
    for template in templates:
        made += services.create_year_cards(by=staff, template=template, year=year)
    units = list(Unit.objects.filter(officials__isnull=False).distinct().order_by("code"))
    states: dict[str, int] = {}
    for n, unit in enumerate(units):
        strength = rng.uniform(0.1, 0.95)
        state = STATES[n % len(STATES)]
        for template in templates:
            card = Scorecard.objects.get(template=template, unit=unit, year=year)
            parsed = engine_template(template)
            if unit == demo_unit and template.code.startswith("benxi"):
                # The demo unit's Benxi self-check: half filled, still to be finished and submitted.
                for item in parsed.items[: len(parsed.items) // 2]:
                    services.set_self_value(by=unit_admin, card=card, code=item.code, value=_value(item, rng, strength),
                                            note="见年度培训台账。")  # fmt: skip
                states["draft"] = states.get("draft", 0) + 1
                continue
            if state == "draft" and n % 2:
                states["draft"] = states.get("draft", 0) + 1
                continue  # nothing filled in yet: overdue once a due date has passed
            for item in parsed.items:
                services.set_self_value(by=staff, card=card, code=item.code, value=_value(item, rng, strength + 0.05))
            if state == "draft":
                states["draft"] = states.get("draft", 0) + 1
                continue
            for due in parsed.due_dates:
                services.submit_self_check(by=staff, card=card, period=due.code)
            if state == "returned":
                services.return_card(
                    by=staff, card=card, reason="自查材料不全：请补充培训台账和经费使用凭证后重新报送。"
                )
            elif state == "final":
                for item in parsed.items:
                    value = _value(item, rng, strength)
                    if value is not None:
                        services.set_final_value(by=staff, card=card, code=item.code, value=value,
                                                 comment="经核查属实。" if rng.random() < 0.3 else "")  # fmt: skip
                if parsed.appraisal:
                    services.set_team_appraisal(
                        by=staff, card=card, appraisal=TEAM_APPRAISALS[n % len(TEAM_APPRAISALS)]
                    )
                services.finalise_card(by=staff, card=card)
            states[state] = states.get(state, 0) + 1
    progress(f"scorecards of {year}: {made} cards ({', '.join(f'{k} {v}' for k, v in sorted(states.items()))})")
    return {"cards": made, **states}


def clear_scorecards() -> None:
    """Every card (before the demo city is deleted: --reset); the templates stay."""
    Scorecard.objects.all().delete()
