"""Keep scores in step with the organisation directory."""

from django.dispatch import receiver
from django.utils import timezone

from organisation.signals import official_changed

from .models import AnnualScore
from .services import mark_scores_changed


@receiver(official_changed)
def official_changed_marks_scores_stale(sender, official, years, **kwargs) -> None:
    """A new or changed official (unit, inclusion or retirement date) needs their years recomputed."""
    years = set(years) or set(AnnualScore.objects.filter(official=official).values_list("year", flat=True))
    years.add(timezone.localdate().year)
    mark_scores_changed(official.pk, *years)
