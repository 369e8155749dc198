"""Peak memory and time of checking each bad import file (issue 8: at most 300 MB for any file up to the upload
limit), each in a fresh process.

    .venv/bin/python bench/import_bad_files.py [--dir /tmp/import-bad-files] [--only NAME ...] [--rebuild]

Builds the corpus into ``--dir`` once (kept for the next run; ``--rebuild`` makes it again): the builders are in
``tests/imports/bad_files.py``, here at full size. Then, for each file, a new Python process sets Django up on a
SQLite database in ``--dir`` (migrated once, with the training section's user and 5,000 officials F00001…), hands
the file to ``imports.services.start_import`` as the page and the API do (the size check, the choice inline or
background, then the dry run: every check and the reading of every row through the resources), with no broker and
``EMBEDDED_JOBS=inline`` so the job runs in that same process, and reports the job's outcome, the process's peak
resident memory (``VmHWM``) and the seconds. The baseline column is the process's peak after Django set-up,
before the file. Prints one table (Markdown).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import string
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.imports import bad_files as bad  # noqa: E402

LIMIT_MB = 300
OFFICIALS = 5000
MB = 1024 * 1024


def _random_text(chars: int, seed: int) -> str:
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits
    return "".join(rng.choices(alphabet, k=chars))


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def _max_size_csv(path: Path, *, rows: int, target: int) -> None:
    """``rows`` rows of GBK text filling the file to just under ``target`` bytes (long notes)."""
    with path.open("wb") as out:
        bad.many_rows_csv(out, rows=rows, note="")
    per_row = max(0, (target - path.stat().st_size - 4096) // rows // 2)  # a GBK Chinese character is 2 bytes
    with path.open("wb") as out:
        bad.many_rows_csv(out, rows=rows, note="培" * per_row)


def _long_cells_xlsx(path: Path, *, rows: int, chars: int) -> None:
    rows_xml = (bad.row_xml(n, ["F00001", "", "class_day", 1, "2025-03-05", _random_text(chars, n)])
                for n in range(2, rows + 2))  # fmt: skip
    bad.write_xlsx(path, bad.sheet_chunks([bad.row_xml(1, bad.ACTIVITY_HEADER), *rows_xml]))


def _max_size_xlsx(path: Path, *, rows: int, note_chars: int) -> None:
    """``rows`` valid rows, each with a note of ``note_chars`` random letters (they do not pack: a big file)."""
    body = (
        bad.row_xml(n, [f"F{1 + n % OFFICIALS:05d}", "", bad.KINDS[n % 4], 1,
                        f"2025-{1 + n // OFFICIALS // 28 % 12:02d}-{1 + n // OFFICIALS % 28:02d}",
                        _random_text(note_chars, n)])
        for n in range(2, rows + 2)
    )  # fmt: skip
    bad.write_xlsx(path, bad.sheet_chunks([bad.row_xml(1, bad.ACTIVITY_HEADER), *body]))


def _wide_styled_xlsx(path: Path, *, rows: int) -> None:
    """Each row a value in A and an empty styled cell in XFD: read naively, 16,384 cells a row."""
    rows_xml = (f'<row r="{n}">{bad.cell(f"A{n}", f"F{n:05d}")}<c r="XFD{n}" s="0"/></row>' for n in range(2, rows + 2))
    bad.write_xlsx(path, bad.sheet_chunks([bad.row_xml(1, bad.ACTIVITY_HEADER), *rows_xml]))


def _shared_strings_xlsx(path: Path, *, count: int, used_rows: int) -> None:
    """``count`` distinct shared strings, the first ones used by ``used_rows`` rows of data."""
    header = "".join(f'<c r="{bad.column(i + 1)}1" t="s"><v>{i}</v></c>' for i in range(6))
    rows = [f'<row r="1">{header}</row>']
    rows += [  # each row a known official (F00001-F05000) on a day of its own: every row reads as valid
        f'<row r="{n}"><c r="A{n}" t="s"><v>{6 + 1 + n % OFFICIALS}</v></c>'
        f'<c r="C{n}" t="inlineStr"><is><t>class_day</t></is></c><c r="D{n}"><v>1</v></c>'
        f'<c r="E{n}" t="inlineStr"><is><t>2025-{1 + n // OFFICIALS // 28 % 12:02d}-'
        f"{1 + n // OFFICIALS % 28:02d}</t></is></c></row>"
        for n in range(2, used_rows + 2)
    ]
    strings = (f"<si><t>{escape}</t></si>" for escape in [*bad.ACTIVITY_HEADER, *(f"F{i:05d}" for i in range(count))])
    bad.write_xlsx(path, bad.sheet_chunks(rows), shared_strings=strings)


CORPUS = {
    # name: (description, builder(path))
    "merged_range_bomb.xlsx": ("60 merged ranges of 100,000 cells (2 KB)",
                               lambda p: _write(p, bad.merged_range_bomb(ranges=60, rows_each=100_000))),
    "huge_dimension.xlsx": ("declares A1:XFD1048576, holds 3 rows", lambda p: _write(p, bad.huge_dimension())),
    "rows_400k.xlsx": ("400,000 rows, no declared dimension", lambda p: bad.many_rows_xlsx(p, rows=400_000)),
    "rows_100k.xlsx": ("100,000 rows (the limit): read in full", lambda p: bad.many_rows_xlsx(p, rows=100_000)),
    "max_size_100k.xlsx": ("100,000 rows (the limit), notes of 200 random letters: read in full",
                           lambda p: _max_size_xlsx(p, rows=100_000, note_chars=200)),
    "max_size_rows.csv": ("20 MB of short rows (~480,000)", lambda p: _max_size_csv(p, rows=480_000, target=20 * MB)),
    "max_size_100k.csv": ("20 MB, 100,000 rows (the limit), long notes: read in full",
                          lambda p: _max_size_csv(p, rows=100_000, target=20 * MB)),
    "zip_bomb.xlsx": ("1 GB of blanks packed into 1 MB", lambda p: bad.zip_bomb(p, unpacked=1024 * MB)),
    "ratio_bomb.xlsx": ("150 MB of blanks packed into 150 KB", lambda p: bad.zip_bomb(p, unpacked=150 * MB)),
    "long_cells.xlsx": ("14 cells of 1,000,000 characters", lambda p: _long_cells_xlsx(p, rows=14, chars=1_000_000)),
    "long_cell.csv": ("one cell of 6.9 million characters (20 MB)",
                      lambda p: _write(p, bad.long_cell_csv(chars=(20 * MB - 4096) // 3))),
    "wide_rows.xlsx": ("100,000 rows with a value in column XFD",
                       lambda p: _write(p, bad.wide_rows_xlsx(rows=100_000))),
    "wide_styled_rows.xlsx": ("100,000 rows with an empty styled cell in XFD",
                              lambda p: _wide_styled_xlsx(p, rows=100_000)),
    "wide_row.csv": ("one line of 20 million cells", lambda p: _write(p, bad.wide_row_csv(cells=20 * MB - 200))),
    "nul_bytes.csv": ("a NUL in a note", lambda p: _write(p, bad.nul_byte_csv())),
    "unbalanced_quote.csv": ("a quote mark never closed", lambda p: _write(p, bad.unbalanced_quote_csv())),
    "shared_strings_2m.xlsx": ("2,000,000 shared strings", lambda p: _shared_strings_xlsx(p, count=2_000_000,
                                                                                          used_rows=10)),
    "shared_strings_1m.xlsx": ("1,000,000 shared strings (the limit), 100,000 rows using them",
                               lambda p: _shared_strings_xlsx(p, count=999_000, used_rows=100_000)),
    "shared_strings_deep.xlsx": ("a shared string nested 100,000 deep",
                                 lambda p: _write(p, bad.shared_strings_deep(depth=100_000))),
    "styles_8mb.xlsx": ("an 8 MB styles part (the limit), parsed whole by openpyxl",
                        lambda p: _write(p, bad.huge_styles(size=8 * MB - 4096, varied=True))),
    "styles_16mb.xlsx": ("a 16 MB styles part", lambda p: _write(p, bad.huge_styles(size=16 * MB, varied=True))),
    "many_parts.xlsx": ("5,000 parts", lambda p: _write(p, bad.many_parts(parts=5_000))),
    "forged_row_number.xlsx": ("a row numbered 999,999,999", lambda p: _write(p, bad.forged_row_number())),
}  # fmt: skip


def build(directory: Path, names: list[str], rebuild: bool) -> None:
    for name in names:
        path = directory / name
        if path.exists() and not rebuild:
            continue
        started = time.perf_counter()
        CORPUS[name][1](path)
        print(f"built {name}: {path.stat().st_size / MB:.2f} MB in {time.perf_counter() - started:.1f} s", flush=True)


def child_env(directory: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "REDIS_URL", "DATABASE_URL")}
    env.update({
        "DATABASE_URL": f"sqlite:///{directory / 'bench.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "kunshan_training.settings",
        "SECRET_KEY": "bench-only-not-a-secret", "DEBUG": "false", "EMBEDDED_JOBS": "inline",
        "MEDIA_ROOT": str(directory / "media"), "LOG_LEVEL": "ERROR", "SECURE_SSL_REDIRECT": "false",
    })  # fmt: skip
    return env


def prepare_database(directory: Path) -> None:
    env = child_env(directory)
    if (directory / "bench.sqlite3").exists():
        return
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run([sys.executable, __file__, "--seed", "--dir", str(directory)], env=env, check=True, cwd=ROOT)


def seed() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import Group, User

    from organisation.models import Official, Unit
    from organisation.roles import ORG_STAFF_GROUP, ensure_role_groups

    ensure_role_groups()
    user = User.objects.create_user("bench_staff", password="bench-only")
    user.groups.add(Group.objects.get(name=ORG_STAFF_GROUP))
    unit = Unit.objects.create(code="B01", name="市财政局", kind="department")
    Official.objects.bulk_create(
        [
            Official(staff_no=f"F{i:05d}", name=f"干部{i}", unit=unit, rank="section_chief")
            for i in range(1, OFFICIALS + 1)
        ]
    )


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the parent across exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_one(path: Path) -> dict:
    """In this (fresh) process: the file through start_import as a dry run; outcome, peak RSS, seconds."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.exceptions import ValidationError
    from django.core.files import File
    from django.utils import translation

    from imports.services import start_import

    translation.activate("en")
    user = User.objects.get(username="bench_staff")
    baseline = peak_mb()
    started = time.perf_counter()
    with path.open("rb") as source:
        try:
            job = start_import(by=user, kind="activities", upload=File(source, name=path.name), dry_run=True, year=2025)
            job.refresh_from_db()
            first = job.errors[0] if job.errors else None
            where = f"row {first['row']} {first['column']}: ".replace(" :", ":") if first and first["row"] else ""
            more = f" (+{job.error_count - 1:,} more)" if job.error_count > 1 else ""
            read = f"{job.status}: {job.rows_total:,} rows"
            outcome = f"{job.status}: {where}{first['message']}{more}" if first else read
        except ValidationError as error:
            outcome = "refused at upload: " + " ".join(error.messages)
    seconds = time.perf_counter() - started
    peak = peak_mb()
    return {
        "outcome": outcome,
        "peak_mb": round(peak, 1),
        "baseline_mb": round(baseline, 1),
        "seconds": round(seconds, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", default="/tmp/import-bad-files")
    parser.add_argument("--only", nargs="*", choices=sorted(CORPUS), help="these files only")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--width", type=int, default=110, help="outcome column width")
    args = parser.parse_args()
    directory = Path(args.dir)
    if args.seed:
        seed()
        return
    if args.one:
        print(json.dumps(measure_one(Path(args.one))))
        return
    directory.mkdir(parents=True, exist_ok=True)
    names = args.only or list(CORPUS)
    build(directory, names, args.rebuild)
    prepare_database(directory)
    print("\n| file | what | size | outcome | peak RSS MB (baseline) | seconds |\n|---|---|---|---|---|---|")
    worst = 0.0
    for name in names:
        path = directory / name
        done = subprocess.run([sys.executable, __file__, "--one", str(path), "--dir", str(directory)],
                              env=child_env(directory), cwd=ROOT, capture_output=True, text=True)  # fmt: skip
        try:
            result = json.loads(done.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            result = {"outcome": f"CRASHED (exit {done.returncode}): {done.stderr.strip()[-300:]}", "peak_mb": 0,
                      "baseline_mb": 0, "seconds": 0}  # fmt: skip
        worst = max(worst, result["peak_mb"])
        outcome = result["outcome"].replace("|", "\\|")
        outcome = outcome if len(outcome) <= args.width else outcome[: args.width - 1] + "…"
        size = path.stat().st_size
        shown = f"{size / MB:.1f} MB" if size >= MB / 10 else f"{size / 1024:.1f} KB"
        peak = f"{result['peak_mb']:.0f} ({result['baseline_mb']:.0f})"
        print(f"| {name} | {CORPUS[name][0]} | {shown} | {outcome} | {peak} | {result['seconds']:.2f} |", flush=True)
    print(f"\nworst peak: {worst:.0f} MB (limit {LIMIT_MB} MB): {'met' if worst <= LIMIT_MB else 'MISSED'}")


if __name__ == "__main__":
    main()
