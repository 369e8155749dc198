"""我的培训 (/training/me/): the official's classes with status and result, lectures signed up for or attended, online
courses completed, and what each gave in credits (the linked records, worth as the year's policy counts them);
the lectures still open to sign up for, and the way to the phone check-in; the surveys open to them (问卷调查, a
class evaluation included) and, for each closed class of theirs, the self-evaluation and study summary with their
state (追踪问效)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from credits.policies import policy_label
from portal.access import OfficialRequiredMixin

from ..followup_rules import DONE, DUE, NOT_YET, OVERDUE
from ..models import ClassStatus
from ..selectors.followup import follow_up_items
from ..selectors.official import my_training, upcoming_lectures
from ..selectors.surveys import open_surveys_for


class MyTrainingView(OfficialRequiredMixin, TemplateView):
    template_name = "courses/official/my_training.html"

    def get_context_data(self, **kwargs) -> dict:
        today = timezone.localdate()
        raw = self.request.GET.get("year", "")
        year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year + 1 else today.year
        training = my_training(official=self.official, year=year)
        owed = follow_up_items(today=today, states=(NOT_YET, DUE, OVERDUE), official=self.official)
        state_of = {(item.training_class.pk, item.what): item for item in owed}
        for item in training.classes:
            # A closed class of theirs: the self-evaluation and the study summary, each with its state (not owed:
            # done). Shown on the class's card.
            c, e = item.training_class, item.enrolment
            item.steps = []
            if c.status == ClassStatus.CLOSED and e is not None and e.active:
                for what, name in (
                    ("self_evaluation", "courses:self-evaluation"),
                    ("study_summary", "courses:study-summary"),
                ):
                    found = state_of.get((c.pk, what))
                    item.steps.append(
                        {"what": what, "url": reverse(name, args=[c.code]), "state": found.state if found else DONE,
                         "due_on": found.due_on if found else None}
                    )  # fmt: skip
        return super().get_context_data(
            official=self.official,
            year=year,
            years=list(range(today.year, today.year - 5, -1)),
            training=training,
            policy_name=policy_label(training.policy.code),
            upcoming=upcoming_lectures(official=self.official, day=today),
            surveys=open_surveys_for(official=self.official, today=today),
            owed=[item for item in owed if item.state in (DUE, OVERDUE)],
            today=today,
            **kwargs,
        )
