"""我的培训 (/training/me/): the official's classes with status and result, lectures signed up for or attended, online
courses completed, and what each gave in credits (the linked records, worth as the year's policy counts them);
the lectures still open to sign up for, and the way to the phone check-in."""

from __future__ import annotations

from django.utils import timezone
from django.views.generic import TemplateView

from credits.policies import policy_label
from portal.access import OfficialRequiredMixin

from ..selectors.official import my_training, upcoming_lectures


class MyTrainingView(OfficialRequiredMixin, TemplateView):
    template_name = "courses/official/my_training.html"

    def get_context_data(self, **kwargs) -> dict:
        today = timezone.localdate()
        raw = self.request.GET.get("year", "")
        year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year + 1 else today.year
        training = my_training(official=self.official, year=year)
        return super().get_context_data(
            official=self.official,
            year=year,
            years=list(range(today.year, today.year - 5, -1)),
            training=training,
            policy_name=policy_label(training.policy.code),
            upcoming=upcoming_lectures(official=self.official, day=today),
            today=today,
            **kwargs,
        )
