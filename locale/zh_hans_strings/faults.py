"""Recompute jobs that outlive their worker, and rankings marked due (issue 8, part 3)."""

ZH = {
    "Last sign of life: asked for, handed to the worker, started or running.": "最近一次状态更新：提交、交给后台、开始或运行中。",
    "How many times a worker started it.": "后台已开始执行的次数。",
}
