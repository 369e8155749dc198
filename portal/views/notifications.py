"""The user's notifications: newest first, unread highlighted; opening one marks it read and goes to its page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from notifications.selectors import notifications_of
from notifications.services import mark_all_read, mark_read
from notifications.texts import notification_text

PAGE_SIZE = 20


class NotificationListView(LoginRequiredMixin, ListView):
    """Every role has notifications; ``?show=unread`` lists only the unread ones."""

    template_name = "portal/notifications/list.html"
    context_object_name = "notifications"
    paginate_by = PAGE_SIZE

    def unread_only(self) -> bool:
        return self.request.GET.get("show") == "unread"

    def get_queryset(self):
        return notifications_of(self.request.user, unread_only=self.unread_only())

    def paginate_queryset(self, queryset, page_size):
        # A page number out of range or not a number shows the nearest page instead of a 404.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The words come from kind + params, in the reader's language (no query per row).
        context["rows"] = [(n, notification_text(n)) for n in context["page_obj"]]
        context["unread_only"] = self.unread_only()
        return context


@login_required
def open_notification(request, pk: int):
    """A plain link, so it opens with the keyboard and in a new tab; someone else's notification is a 404."""
    notification = get_object_or_404(notifications_of(request.user), pk=pk)
    mark_read(user=request.user, notification=notification)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect("portal:notifications")
    return redirect(target)


@require_POST
@login_required
def mark_all_notifications_read(request):
    count = mark_all_read(user=request.user)
    if count:
        messages.success(
            request,
            ngettext("%(count)d notification marked read.", "%(count)d notifications marked read.", count)
            % {"count": count},
        )
    return redirect("portal:notifications")
