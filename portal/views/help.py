"""/help/ — the user guide (使用帮助): one section per role with screenshots taken by the browser test
(tests/e2e/test_guide_screenshots.py writes them to static/portal/guide/). Open to everyone, signed in or not:
it shows only the demo city's pages."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def guide(request):
    return render(request, "portal/help/guide.html")
