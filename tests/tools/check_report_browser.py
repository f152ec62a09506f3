#!/usr/bin/python3
"""The report in a real browser: headless Chromium loads it with no console errors and no
network requests, and takes a screenshot.

usage: check_report_browser.py SALESIM SCENARIO OUTDIR
Exit 0 when the report passes, 1 when it does not, 77 (skipped) when Chromium is absent.

No request can leave the page: the report's Content-Security-Policy (default-src 'none') makes
the browser refuse any fetch and log it to the console, every host name resolves to nothing,
and the HTML is checked for references outside itself. A probe page with an external image and
a console error proves that this check would see them."""
import os, re, shutil, subprocess, sys

from chromium_profile import end_group, profile_folder

salesim, scenario, outdir = sys.argv[1:4]
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if not chromium:
    print("SKIP: headless Chromium is not installed (Debian package `chromium`: "
          "apt-get install chromium); the report's browser check did not run")
    sys.exit(77)

os.makedirs(outdir, exist_ok=True)
problems = []


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        print(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stdout}{p.stderr}")
        sys.exit(1)
    return p


results = os.path.join(outdir, "browser-results.h5")
html = os.path.join(outdir, "browser-report.html")
run([salesim, "run", scenario, "--paths", "300", "--quiet", "-o", results])
run([salesim, "report", results, "-o", html, "--client", "Browser check", "--currency", "$"])
text = open(html, encoding="utf-8").read()

# 1. Nothing in the file points outside it.
if "default-src 'none'" not in text:
    problems.append("no Content-Security-Policy with default-src 'none'")
for m in re.finditer(r'''(?:src|href)\s*=\s*["']([^"']*)["']''', text):
    if not (m.group(1).startswith("#") or m.group(1).startswith("data:")):
        problems.append(f"external reference: {m.group(0)}")
for m in re.finditer(r"url\(\s*['\"]?([^)'\"]*)", text):
    if not m.group(1).startswith("#"):
        problems.append(f"external url(): {m.group(0)}")
if re.search(r"<(link|iframe|object|embed)\b|@import", text):
    problems.append("a <link>, <iframe>, <object>, <embed> or @import")


def chromium_run(page, *extra):
    """Loads page; returns (stdout, stderr) with console messages logged to stderr."""
    with profile_folder() as profile:
        p = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-extensions", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
             "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}",
             "--virtual-time-budget=3000", *extra, "file://" + os.path.abspath(page)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            out, err = p.communicate(timeout=180)
        finally:
            p.kill()
            p.wait()
            end_group(p.pid)
    return out, err


def console_problems(stderr):
    """Console messages and refused loads in Chromium's log (not its own dbus/gpu noise)."""
    return [l for l in stderr.splitlines()
            if "CONSOLE" in l or "Refused to" in l or "Content Security Policy" in l
            or "net::ERR" in l]


# 2. The probe: an external image and a console error must both be seen.
probe = os.path.join(outdir, "browser-probe.html")
with open(probe, "w", encoding="utf-8") as f:
    f.write(text.replace("</body>", '<img src="https://example.invalid/pixel.png" alt="">'
                         '<script>console.error("salesim-probe")</script></body>'))
_, probe_err = chromium_run(probe, "--dump-dom")
seen = console_problems(probe_err)
if not any("salesim-probe" in l for l in seen) or not any(
        "example.invalid" in l or "Content Security Policy" in l or "Refused" in l for l in seen):
    problems.append("the probe page's console error and blocked image were not both seen, so "
                    "the check cannot be trusted; Chromium said:\n" + probe_err[-3000:])

# 3. The report itself: rendered, no console messages at all.
dom, err = chromium_run(html, "--dump-dom")
for l in console_problems(err):
    problems.append(f"browser console: {l}")
if "The answer" not in dom or dom.count("<svg") < 10:
    problems.append(f"the rendered page lacks its answer or charts ({dom.count('<svg')} svg)")

# 4. Screenshots: the top of the report and a long one of the whole page.
for name, size in (("report-screenshot.png", "1280,1000"), ("report-screenshot-full.png",
                                                            "1280,9000")):
    shot = os.path.join(outdir, name)
    if os.path.exists(shot):
        os.remove(shot)
    chromium_run(html, f"--screenshot={shot}", f"--window-size={size}")
    if not os.path.exists(shot) or os.path.getsize(shot) < 10000:
        problems.append(f"no screenshot at {shot}")
    else:
        print(f"screenshot: {os.path.abspath(shot)}")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"report {html}: loads in {os.path.basename(chromium)} with no console message and no "
      "request outside the file")
