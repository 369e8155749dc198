"""Time and peak memory of the evidence check (credits/evidence.py) on large good files and on bombs.

Each file is checked in a fresh child process; the figure is that process's peak RSS during the check (VmHWM, reset
just before it) minus its RSS then (Django, Pillow and pypdf imported, the file read into memory). No database.

    .venv/bin/python bench/evidence_check.py
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import os, sys, time
sys.path.insert(0, sys.argv[2])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kunshan_training.settings")
import django
django.setup()
from django.core.exceptions import ValidationError
import PIL.Image, pypdf  # noqa: F401 - imported before the baseline
from credits.evidence import sniff
def peak_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
data = open(sys.argv[1], "rb").read()
with open("/proc/self/clear_refs", "w") as reset:
    reset.write("5")  # the peak starts again from now (a child inherits its parent's peak across exec)
before = peak_kb()
started = time.perf_counter()
try:
    outcome = "accepted as " + sniff(data)
except ValidationError as error:
    outcome = "refused: " + error.messages[0]
seconds = time.perf_counter() - started
after = peak_kb()
print(f"{seconds:.3f}\t{(after - before) / 1024:.0f}\t{outcome}")
"""


def make_files(folder: Path) -> dict[str, Path]:
    from PIL import Image
    from pypdf import PdfWriter
    from reportlab.pdfgen import canvas

    files: dict[str, bytes] = {}
    gradient = Image.linear_gradient("L").resize((6000, 5000)).convert("RGB")  # 30 MP, compresses well
    out = io.BytesIO()
    gradient.save(out, "JPEG", quality=90)
    files["JPEG 6000x5000 (30 MP)"] = out.getvalue()
    out = io.BytesIO()
    gradient.save(out, "PNG")
    files["PNG 6000x5000 (30 MP)"] = out.getvalue()
    out = io.BytesIO()
    Image.new("L", (20000, 20000)).save(out, "JPEG", quality=1)
    files["JPEG bomb 20000x20000 (400 MP)"] = out.getvalue()
    out = io.BytesIO()
    Image.new("1", (30000, 30000)).save(out, "PNG")
    files["PNG bomb 30000x30000 (900 MP)"] = out.getvalue()
    out = io.BytesIO()
    writer = PdfWriter()
    for _ in range(2000):
        writer.add_blank_page(width=595, height=842)
    writer.write(out)
    files["PDF 2,000 blank pages"] = out.getvalue()
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for page in range(1500):
        for line in range(60):
            pdf.drawString(40, 800 - line * 12, f"page {page} line {line} " + "培训学分 evidence text " * 4)
        pdf.showPage()
    pdf.save()
    files["PDF 1,500 pages of text"] = out.getvalue()
    noise = Image.effect_noise((2400, 1800), 90).convert("RGB")
    out = io.BytesIO()
    noise.save(out, "PDF", resolution=150)
    files["PDF of a scanned page (noise image)"] = out.getvalue()
    paths = {}
    for index, (name, data) in enumerate(files.items()):
        path = folder / f"{index}.bin"
        path.write_bytes(data)
        paths[name] = path
    return paths


def main() -> None:
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as folder:
        paths = make_files(Path(folder))
        print(f"{'file':40} {'size':>9} {'seconds':>8} {'peak MB':>8}  outcome")
        for name, path in paths.items():
            result = subprocess.run(
                [sys.executable, "-c", CHILD, str(path), str(ROOT)],
                capture_output=True, text=True, env={**os.environ, "DEBUG": "1"}, check=True,
            )  # fmt: skip
            seconds, peak, outcome = result.stdout.strip().split("\t")
            size = f"{path.stat().st_size / 1024 / 1024:.1f} MB"
            print(f"{name:40} {size:>9} {seconds:>8} {peak:>8}  {outcome}")


if __name__ == "__main__":
    main()
