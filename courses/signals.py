"""The training organisation's part of the demo city (organisation.signals)."""

from __future__ import annotations


def build_demo_training(sender, *, year: int, progress, **kwargs) -> None:
    from .demo import build_training

    build_training(year=year, progress=progress)


def clear_demo_training(sender, **kwargs) -> None:
    from .demo import clear_training

    clear_training()
