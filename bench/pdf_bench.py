"""The printed forms of the demo city as PDFs: pages, size, time to write, fonts — for the official with the most
approved records of the year and for demo_official.

    .venv/bin/python bench/pdf_bench.py [--year 2026] [--repeat 5]

Runs on the database of ``make run`` (the demo city; ``DATABASE_URL`` to use another). Prints, per form: the
pages (the registration form must be 1), the bytes, the median time to write it over ``--repeat`` runs (the font is
registered once per process: its first-use cost is printed apart), and the fonts with whether each is embedded.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kunshan_training.settings")


def fonts(content: bytes) -> list[str]:
    from pypdf import PdfReader

    found = {}
    for page in PdfReader(BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = "/FontFile2" in descriptor or "/FontFile3" in descriptor
            state = "embedded" if embedded else "not embedded"
            if font["/BaseFont"] == "/Helvetica":  # reportlab lists it on every page; no text is drawn with it
                state = "standard font, unused"
            found[str(font["/BaseFont"])] = state
    return [f"{name} ({state})" for name, state in sorted(found.items())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--year", type=int, default=None, help="default: the latest year with scores")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db.models import Count, Q
    from django.utils import translation
    from pypdf import PdfReader

    from credits import pdf_fonts, reports
    from credits.models import AnnualScore
    from credits.selectors.officials import archive_context, registration_form_context
    from organisation.models import Official

    translation.activate("zh-hans")
    year = args.year or AnnualScore.objects.order_by("-year").values_list("year", flat=True).first()
    approved = Q(records__status="approved", records__occurred_on__year=year)
    busiest = Official.objects.annotate(n=Count("records", filter=approved)).order_by("-n").first()
    demo = Official.objects.filter(user__username="demo_official").first()

    started = time.perf_counter()
    font = pdf_fonts.cjk_font()
    print(f"font: {font} (first use, registering it: {(time.perf_counter() - started) * 1000:.0f} ms)")
    for official in dict.fromkeys(o for o in (busiest, demo) if o is not None):
        form_context = registration_form_context(official, year)
        forms = (
            ("registration form", lambda c=form_context: reports.registration_form_pdf(c)),
            ("archive", lambda o=official: reports.archive_pdf(archive_context(o))),
        )
        print(f"\n{official.name} ({official.staff_no}), {year}: {len(form_context['records'])} approved records")
        for label, write in forms:
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                content = write()
                times.append((time.perf_counter() - started) * 1000)
            pages = len(PdfReader(BytesIO(content)).pages)
            print(
                f"  {label:18} {pages} page{'s' if pages != 1 else ''}, {len(content) / 1024:.0f} KB, "
                f"median {statistics.median(times):.0f} ms; fonts: {', '.join(fonts(content))}"
            )


if __name__ == "__main__":
    main()
