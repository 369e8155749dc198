"""The training organisation's part of the demo city (organisation.signals)."""

from __future__ import annotations


def build_demo_training(sender, *, year: int, progress, **kwargs) -> None:
    from .demo import build_training
    from .demo_surveys import build_surveys

    build_training(year=year, progress=progress)
    build_surveys(year=year, progress=progress)  # after the classes: it evaluates and follows them up


def clear_demo_training(sender, **kwargs) -> None:
    from .demo import clear_training
    from .demo_surveys import clear_surveys

    clear_surveys()
    clear_training()
