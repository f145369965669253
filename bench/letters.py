"""Letters bench: cold render time, size and peak memory per kind against a plain
WeasyPrint render of the same HTML in the same process, and the time to serve a
cached PDF. Runs in a throwaway database and media folder.

    .venv/bin/python bench/letters.py [--runs 7] [--kinds hardship_statement,...]

"Plain" is ``weasyprint.HTML(string=html, base_url=...).write_pdf()`` with the
default options: no FontConfiguration, stylesheet or fetcher kept between
renders, WeasyPrint's own font subsetting. Its stylesheet link is pointed at the
same static file, so both print the same pages. The ``ratio`` column is plain's
median ÷ ours in wall time, ``CPU ratio`` the same in CPU time (steadier when
other processes share the cores); only ratios within one run compare.
Ours and plain alternate run by run, so a busy minute slows both alike.

"Cold" means the PDF is not in the cache: the full WeasyPrint render. The
process (fonts, FontConfiguration) is warmed by one render first, as a worker
that has served one request would be; the very first render is printed apart.
Each kind is then rendered once untimed (its first render, printed as "first
ms", also shapes that kind's text for the first time) and ``--runs`` times
timed. The machine's speed varies from second to second (a shared VM): the
median is the figure to compare with the target, the minimum shows the floor.
Peak memory is the process's peak resident set size (ru_maxrss), which includes
Pango, HarfBuzz and the fonts mapped in C, not only Python objects.
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--kinds", default="", help="comma-separated kinds (default: all)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-letters-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'db.sqlite3'}"
    os.environ["PRIVATE_MEDIA_ROOT"] = str(tmp / "private")
    os.environ["NEGOTIATOR_VAR_DIR"] = str(tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "negotiator.settings")
    # Letters are rendered below, timed; the seed only queues them (nothing runs a dummy queue).
    os.environ["TASK_BACKEND"] = "dummy"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    from cases import demo
    from cases.letters import pdf, versions
    from cases.letters.context import case_for_letters, case_lenders
    from cases.letters.kinds import KINDS

    seeded = demo.seed()
    case = seeded["case"]
    source = "demo case (each kind to the first lender it applies to)"
    loaded = case_for_letters(case.pk)
    letters = {}
    for slug, kind in KINDS.items():  # one addressee per letter (issue 15); case-wide kinds have none
        if kind.case_wide:
            letters[slug] = versions.generate(case, slug)
            continue
        lender = next((item for item in case_lenders(loaded) if kind.applies(loaded, item)), None)
        if lender is not None:
            letters[slug] = versions.generate(case, slug, lender)
    first = letters["hardship_statement"]
    t0 = time.perf_counter()
    pdf.render_pdf(versions.html_for(first))
    first_ms = (time.perf_counter() - t0) * 1000

    print(f"letters bench: {source}; {args.runs} cold renders per kind")
    print(f"first render in a fresh process: {first_ms:.0f} ms")
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall time suffers when others run)")
    print(f"{'kind':<22} {'pages':>5} {'first ms':>9} {'median ms':>10} {'min ms':>8} {'CPU ms':>7} {'size KB':>8} "
          f"{'plain ms':>9} {'plain CPU':>10} {'plain KB':>9} {'ratio':>6} {'CPU ratio':>10} {'size':>6}")
    from pypdf import PdfReader
    import io

    wanted = [item for item in args.kinds.split(",") if item]
    for slug, letter in letters.items():
        if wanted and slug not in wanted:
            continue
        html = versions.html_for(letter)
        plain = plain_html(html)
        t0 = time.perf_counter()
        pdf.render_pdf(html)
        first_kind_ms = (time.perf_counter() - t0) * 1000
        plain_render(plain)
        times, cpu, plain_times, plain_cpu = [], [], [], []
        for _ in range(args.runs):
            t0, c0 = time.perf_counter(), time.process_time()
            data = pdf.render_pdf(html)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            t0, c0 = time.perf_counter(), time.process_time()
            plain_data = plain_render(plain)
            plain_times.append((time.perf_counter() - t0) * 1000)
            plain_cpu.append((time.process_time() - c0) * 1000)
        pages = len(PdfReader(io.BytesIO(data)).pages)
        plain_pages = len(PdfReader(io.BytesIO(plain_data)).pages)
        ours_ms, plain_ms = statistics.median(times), statistics.median(plain_times)
        ours_cpu, plain_cpu_ms = statistics.median(cpu), statistics.median(plain_cpu)
        note = "" if plain_pages == pages else f"  (plain: {plain_pages} pages)"
        print(f"{slug:<22} {pages:>5} {first_kind_ms:>9.0f} {ours_ms:>10.0f} {min(times):>8.0f} "
              f"{ours_cpu:>7.0f} {len(data) / 1024:>8.0f} {plain_ms:>9.0f} {plain_cpu_ms:>10.0f} "
              f"{len(plain_data) / 1024:>9.0f} {plain_ms / ours_ms:>5.1f}x {plain_cpu_ms / ours_cpu:>9.1f}x "
              f"{len(data) / len(plain_data):>6.0%}{note}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the process after all renders: {peak_mb:.0f} MB")

    client = Client(HTTP_HOST="localhost")
    client.force_login(case.owner)
    url = reverse("letter_pdf", args=first.url_args)
    pdf.ensure_pdf(first)  # fills the cache (the seed only queued it)
    times, cpu = [], []
    for _ in range(50):
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(url)
        b"".join(response.streaming_content)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    print(f"cached PDF download through the view (median of 50): {statistics.median(times):.2f} ms wall, "
          f"{statistics.median(cpu):.2f} ms CPU")
    times = []
    for _ in range(50):
        t0 = time.perf_counter()
        name = versions.pdf_name(first)
        if versions.storage().exists(name):
            with versions.storage().open(name, "rb") as fh:
                fh.read()
        times.append((time.perf_counter() - t0) * 1000)
    print(f"cached PDF lookup and read, without HTTP (median of 50): {statistics.median(times):.2f} ms")
    generate_all(case, tmp)


def generate_all(case, tmp: Path) -> None:
    """Every letter of the demo case written again (as its owner would, one after the other), with the
    render queued for a worker and with the immediate backend (development), which renders each in
    the request that writes it. PDFs already stored are not rendered again (once per content hash),
    so the stored PDFs are removed first."""
    import logging
    import shutil

    from django.test import override_settings

    logging.getLogger("django.tasks").setLevel(logging.WARNING)  # one line per task otherwise

    from cases.demo.letters import add_letters
    from cases.models import Letter, LetterRender

    for label, backend in (("queued for a worker", "django.tasks.backends.dummy.DummyBackend"),
                           ("immediate backend (renders in the request)",
                            "django.tasks.backends.immediate.ImmediateBackend")):
        Letter.objects.filter(case=case).delete()
        LetterRender.objects.all().delete()
        shutil.rmtree(tmp / "private" / "letters", ignore_errors=True)
        with override_settings(TASKS={"default": {"BACKEND": backend, "QUEUES": ["default", "letters"]}}):
            t0 = time.perf_counter()
            made = add_letters(case)
            wall = time.perf_counter() - t0
        print(f"writing all {len(made)} letters of the demo case, {label}: {wall:.1f} s "
              f"({wall / len(made) * 1000:.0f} ms a letter)")


def plain_html(html: str) -> str:
    """The letter's HTML with its stylesheet link pointing at the same static file, for plain WeasyPrint."""
    import re

    from django.contrib.staticfiles import finders

    def to_file(match):
        relative = match.group(1).split("/static/", 1)[1]
        return f'<link rel="stylesheet" href="{Path(finders.find(relative)).as_uri()}">'

    return re.sub(r'<link rel="stylesheet" href="([^"<>]+)">', to_file, html)


def plain_render(html: str) -> bytes:
    """WeasyPrint as its documentation shows it, with its default options."""
    import weasyprint

    return weasyprint.HTML(string=html, base_url=str(ROOT)).write_pdf()


if __name__ == "__main__":
    main()
