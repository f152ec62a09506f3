#!/usr/bin/python3
"""The report printed: headless Chromium prints the example's report to PDF; it must have at
most MAX_PAGES pages (pdfinfo), no page may end with a section heading whose content went
to the next page (pdftotext, page by page), and the last page is more than the footer. Every page is rendered with pdftoppm into OUTDIR
(page-N.png) to be looked at.

usage: check_report_print.py SALESIM SCENARIO OUTDIR [MAX_PAGES]
Exit 0 when the print passes, 1 when it does not, 77 (skipped) without Chromium or
poppler-utils (pdfinfo, pdftotext, pdftoppm)."""
import glob, os, re, shutil, subprocess, sys

salesim, scenario, outdir = sys.argv[1:4]
max_pages = int(sys.argv[4]) if len(sys.argv) > 4 else 8
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
missing = [t for t in ("pdfinfo", "pdftotext", "pdftoppm") if not shutil.which(t)]
if not chromium or missing:
    print("SKIP: needs headless Chromium and poppler-utils (apt-get install chromium "
          f"poppler-utils); missing: {', '.join(missing + ([] if chromium else ['chromium']))}")
    sys.exit(77)
os.makedirs(outdir, exist_ok=True)
for old in glob.glob(os.path.join(outdir, "page-*.png")):
    os.remove(old)


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        print(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stdout}{p.stderr}")
        sys.exit(1)
    return p.stdout


html, pdf = os.path.join(outdir, "print-report.html"), os.path.join(outdir, "print-report.pdf")
# The example as a client gets it: its own path count, every option a consultant would use.
run([salesim, "run", scenario, "--quiet", "--report", html, "--client", "Print check",
     "--currency", "$", "--pdf", pdf])
info = run(["pdfinfo", pdf])
pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
size = re.search(r"^Page size:\s+(.*)$", info, re.M).group(1)
problems = []
if pages > max_pages:
    problems.append(f"{pages} pages, more than {max_pages}")

headings = ["The answer", "Bookings over time", "Checkpoints on the way",
            "Each plan against the baseline", "People", "Cost, profit and return",
            "Assumptions", "What each plan changes", "Method", "Appendix for analysts",
            "The scenario file as run"]
for n in range(1, pages + 1):
    text = run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", pdf, "-"])
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    if n < pages and lines and lines[-1] in headings:
        problems.append(f"page {n} ends with the heading '{lines[-1]}'")
# The footer (two lines of provenance) never has a page of its own: it ended some PDFs.
last = run(["pdftotext", "-f", str(pages), "-l", str(pages), pdf, "-"])
if " ".join(last.split()).startswith("Made with salesim"):
    problems.append(f"the last page, {pages}, holds only the footer")
# The cards' figures are in the table above on paper, but for when each plan typically reaches
# the goal, which no table holds: every card that says it on screen says it in print.
on_screen = open(html, encoding="utf-8").read().count("Goal typically reached")
printed = " ".join(run(["pdftotext", pdf, "-"]).split()).count("Goal typically reached")
if printed != on_screen:
    problems.append(f"'Goal typically reached' {printed} times in the PDF, {on_screen} in the HTML")
run(["pdftoppm", "-png", "-r", "50", pdf, os.path.join(outdir, "page")])
print(f"{pdf}: {pages} pages ({size}); page images in {outdir}")
for p in problems:
    print("FAIL:", p)
sys.exit(1 if problems else 0)
