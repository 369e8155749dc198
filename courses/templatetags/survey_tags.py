"""The survey rules' figures pages name (the smallest group shown, the top of the scale), read from the rules so no
template writes them down."""

from django import template

from ..survey_rules import MIN_GROUP_SIZE, SCALE_MAX

register = template.Library()


@register.simple_tag
def min_group_size() -> int:
    return MIN_GROUP_SIZE


@register.simple_tag
def scale_max() -> int:
    return SCALE_MAX
