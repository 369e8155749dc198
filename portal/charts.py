"""Server-side SVG charts (pygal) that reference nothing external: no script, no stylesheet, no CDN."""

from __future__ import annotations

import re

from django.utils.safestring import SafeString, mark_safe

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
FONT_FAMILY = 'system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif'


def bar_chart(*, font_size: int, value_font_size: int, height: int, **options):
    """A pygal bar chart in the portal's look; ``options`` go to pygal (range, y_labels, ...)."""
    import pygal
    from pygal.style import Style

    style = Style(
        background="transparent",
        plot_background="transparent",
        font_family=FONT_FAMILY,
        label_font_size=font_size,
        major_label_font_size=font_size,
        value_font_size=value_font_size,
        colors=("#0d6efd",),
    )
    return pygal.Bar(style=style, js=[], disable_xml_declaration=True, explicit_size=False, width=560, height=height,
                     show_legend=False, print_values=True, margin=8, spacing=12, **options)  # fmt: skip


def inline_svg(chart) -> SafeString:
    """The chart as inline SVG. pygal embeds its config as a script and signs its output in comments: both go."""
    svg = _COMMENT.sub("", _SCRIPT.sub("", chart.render(is_unicode=True)))
    return mark_safe(svg)  # noqa: S308 - pygal escapes the labels; values are numbers
