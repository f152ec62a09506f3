#!/usr/bin/python3
"""salesim serve's page in a real browser: headless Chromium, driven through the DevTools
protocol over a pipe (--remote-debugging-pipe: no websocket library needed), loads the page,
moves a lever, waits for the answer at the file's paths, reads P(goal) from the page and
compares it with the API's answer for the same what-if; the page must log no console error,
a number box left empty must send nothing; a screenshot is taken and checked to be non-blank.
Also, as a user sees it at 1280 px: no page-wide horizontal scroll (the paired table scrolls in
its own box); levers labelled in the report's plain words with the key small underneath; every
slider able to sit on its plan's own value; the 200-path answer marked rough until the full one
replaces it; a refused value said beside its lever, the answer marked stale until a valid one
runs; the baseline's empty lever panel says how to get levers; the headline names the baseline
once.

usage: check_serve_browser.py SALESIM SCENARIO OUTDIR
Exit 0 when it passes, 1 when it does not, 77 (skipped) when Chromium is absent."""
import base64, fcntl, json, os, re, shutil, subprocess, sys, time, urllib.parse, urllib.request

from chromium_profile import end_group, profile_folder

salesim, scenario, outdir = sys.argv[1:4]
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if not chromium:
    print("SKIP: headless Chromium is not installed (Debian package `chromium`); the serve "
          "page's browser check did not run")
    sys.exit(77)
os.makedirs(outdir, exist_ok=True)
LEVER, VALUE = "prospecting.target_hours", 10  # push-activity's, the page's first plan shown


class Cdp:
    """A DevTools protocol client over Chromium's pipe: NUL-terminated JSON messages on the
    child's fds 3 (to Chromium) and 4 (from it)."""

    def __init__(self, profile):
        to_r, self.to_w = os.pipe()
        self.from_r, from_w = os.pipe()
        self.proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-extensions", "--hide-scrollbars", "--disable-background-networking",
             "--remote-debugging-pipe", f"--user-data-dir={profile}", "--window-size=1280,1400"],
            close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, preexec_fn=lambda: self.place_fds(to_r, from_w))
        os.close(to_r), os.close(from_w)
        self.buf, self.next_id, self.events, self.session = b"", 0, [], None

    @staticmethod
    def place_fds(to_r, from_w):
        """In the child: the pipe ends on fds 3 and 4 (inheritable, unlike every other pipe end,
        which os.pipe makes close-on-exec), by way of fds above any in use."""
        a, b = fcntl.fcntl(to_r, fcntl.F_DUPFD, 100), fcntl.fcntl(from_w, fcntl.F_DUPFD, 100)
        os.dup2(a, 3), os.dup2(b, 4)

    def close(self):
        """Ends Chromium and every helper process it started (its process group)."""
        self.proc.kill()
        self.proc.wait()
        end_group(self.proc.pid)

    def send(self, method, params=None, session=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.to_w, json.dumps(msg).encode() + b"\0")
        while True:
            m = self.read()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m["result"]
            self.events.append(m)

    def read(self):
        while b"\0" not in self.buf:
            chunk = os.read(self.from_r, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def eval(self, expr):
        r = self.send("Runtime.evaluate", {"expression": expr, "returnByValue": True,
                                           "awaitPromise": True})
        return r["result"].get("value")

    def wait_for(self, expr, seconds=60):
        end = time.time() + seconds
        while time.time() < end:
            if self.eval(expr):
                return True
            time.sleep(0.05)
        return False


server = subprocess.Popen([salesim, "serve", scenario, "--port", "0"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
problems = []
try:
    url = None
    for line in server.stdout:
        m = re.search(r"(http://\S+/\?token=(\w+))", line)
        if m:
            url, token = m.group(1), m.group(2)
            break
    if not url:
        print("salesim serve printed no URL:", server.stderr.read())
        sys.exit(1)
    origin = url.split("/?")[0]

    def api(path, body):
        req = urllib.request.Request(origin + path, data=json.dumps(body).encode(), headers={
            "Authorization": "Bearer " + token, "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as r:
            return json.load(r)

    info = json.load(urllib.request.urlopen(urllib.request.Request(
        origin + "/api/plans", headers={"Authorization": "Bearer " + token})))
    paths = info["paths"]
    # The report's plain words for each key, as the server sends them.
    words = {l["key"]: l["label"] for p in info["plans"] for l in p["levers"]}
    with profile_folder() as profile:
        cdp = Cdp(profile)
        try:
            target = cdp.send("Target.createTarget", {"url": "about:blank"}, False)["targetId"]
            cdp.session = cdp.send("Target.attachToTarget",
                                   {"targetId": target, "flatten": True}, False)["sessionId"]
            cdp.send("Runtime.enable")
            cdp.send("Log.enable")
            cdp.send("Page.enable")
            cdp.send("Page.navigate", {"url": url})
            final = (f"document.getElementById('p-goal')?.dataset.final === '1' && "
                     f"document.getElementById('p-goal').dataset.paths === '{paths}'")
            if not cdp.wait_for(final):
                problems.append("the page showed no answer at the file's paths")
            before = cdp.eval("document.getElementById('p-goal').dataset.value")
            wide = cdp.eval("[document.documentElement.scrollWidth, window.innerWidth]")
            if wide[0] > wide[1]:
                problems.append(f"the page is {wide[0]} px wide in a {wide[1]} px window "
                                f"(a table runs off the page)")
            against = cdp.eval("document.getElementById('p-goal-base').textContent")
            if not against.startswith("against the baseline: ") or "(the baseline)" in against:
                problems.append(f"the headline names the baseline as {against!r}")
            label = cdp.eval(
                f"(() => {{ const n = document.querySelector('#levers input[type=number]"
                f"[data-key=\"{LEVER}\"]'); const l = document.querySelector('label[for=\"' + "
                f"n.id + '\"]'); return [l.textContent, l.querySelector('.key').textContent, "
                f"getComputedStyle(l).overflowWrap]; }})()")
            if words[LEVER] == LEVER or not label[0].startswith(f"{words[LEVER]} (hours/week)") or \
                    label[1] != LEVER or label[2] == "anywhere":
                problems.append(f"the lever {LEVER} is labelled {label!r}, not in plain words "
                                f"with its key underneath, wrapping at words")
            t0 = time.time()
            moved = cdp.eval(
                f"(() => {{ const r = document.querySelector('#levers input[type=range]"
                f"[data-key=\"{LEVER}\"]'); if (!r) return false; r.value = {VALUE};"
                f" r.dispatchEvent(new Event('input')); return true; }})()")
            if not moved:
                problems.append(f"no slider for {LEVER} on the page")
            # The first answer and whether it is marked rough, read in one go (the full answer
            # replaces it within a second).
            first = cdp.wait_for(
                "document.getElementById('p-goal').dataset.paths === '200' && (window.__rough ="
                " !document.getElementById('rough').hidden && document.getElementById('results')"
                ".classList.contains('rough'), true)", 20)
            t_first = time.time() - t0
            if first and not cdp.eval("window.__rough"):
                problems.append("the 200-path answer was not marked as a rough first look")
            if not cdp.wait_for(final):
                problems.append("the page showed no refined answer after the lever moved")
            if not cdp.eval("document.getElementById('rough').hidden && !document."
                            "getElementById('results').classList.contains('rough')"):
                problems.append("the full answer is still marked rough")
            t_final = time.time() - t0
            shown = cdp.eval("document.getElementById('p-goal').dataset.value")
            sent = float(cdp.eval(f"document.querySelector('#levers input[type=number]"
                                  f"[data-key=\"{LEVER}\"]').value"))
            text = cdp.eval("document.getElementById('p-goal').textContent")
            answer = api("/api/run", {"plan": "push-activity", "set": {LEVER: sent},
                                      "paths": paths})
            expected = answer["plans"][-1]["goal"]["p_met"]
            if shown is None or float(shown) != expected:
                problems.append(f"the page shows P(goal) {shown}, the API {expected}")
            if shown == before:
                problems.append(f"P(goal) did not move ({before}) when {LEVER} went to {VALUE}")
            print(f"P(goal) on the page {text} ({shown}), the API {expected}; first answer "
                  f"(200 paths) {'after %.2f s' % t_first if first else 'not seen'}, "
                  f"{paths} paths after {t_final:.2f} s")
            # "Save as plan": the download link the page makes, caught before it is followed.
            cdp.eval("window.__saved = null; HTMLAnchorElement.prototype.click = function () "
                     "{ window.__saved = {href: this.href, file: this.download}; };"
                     "document.getElementById('save-name').value = 'fewer-hours';"
                     "document.getElementById('save').click(); true")
            if not cdp.wait_for("window.__saved !== null", 20):
                problems.append("Save as plan made no download")
            else:
                saved = cdp.eval("window.__saved")
                text = urllib.parse.unquote(saved["href"].split(",", 1)[1])
                if saved["file"] != "fewer-hours.yaml" or "name: fewer-hours" not in text or \
                        not re.search(rf"{re.escape(LEVER)}: {sent:g}\b", text) or \
                        f"{LEVER} {sent:g} (was 18)" not in text:
                    problems.append(f"the saved plan is not the what-if: {saved['file']}, "
                                    f"{text[-600:]}")
            # A number box left empty runs nothing (Number("") would send 0) and says so.
            hires = "document.querySelector('#levers input[type=number][data-key=\"hiring[0].count\"]')"
            hires_before = cdp.eval(f"{hires}.value")
            cdp.eval(f"(() => {{ const n = {hires}; n.value = '';"
                     " n.dispatchEvent(new Event('change')); })()")
            time.sleep(0.5)
            error = cdp.eval("document.querySelector('.lever-error[data-key=\"hiring[0].count\"]')"
                             ".textContent")
            if error != f"{words['hiring[0].count']} needs a number: the box is empty" or \
                    cdp.eval("'hiring[0].count' in values"):
                problems.append(f"an emptied number box was sent as a value (the page says "
                                f"{error!r}, values {cdp.eval('JSON.stringify(values)')})")
            shown = cdp.eval("document.getElementById('p-goal').dataset.value")

            def type_value(v):
                cdp.eval(f"(() => {{ const n = document.querySelector('#levers input[type=number]"
                         f"[data-key=\"{LEVER}\"]'); n.value = '{v}';"
                         f" n.dispatchEvent(new Event('change')); }})()")

            # Another lever moved while the box is empty: still nothing runs (the hires the box
            # no longer shows were sent, and the answer shown beside an empty box).
            sent_before = cdp.eval("sent")
            type_value(17)
            time.sleep(1.0)
            if cdp.eval("sent") != sent_before or \
                    cdp.eval("document.getElementById('p-goal').dataset.value") != shown or \
                    cdp.eval("document.getElementById('stale').hidden") or \
                    not cdp.eval("document.querySelector('.lever-error[data-key=\"hiring[0]."
                                 "count\"]').textContent"):
                problems.append("moving another lever while a number box was empty ran the "
                                "value the box no longer shows")
            cdp.eval(f"(() => {{ const n = {hires}; n.value = {json.dumps(hires_before)};"
                     " n.dispatchEvent(new Event('change')); })()")
            if not cdp.wait_for(f"{final} && document.getElementById('stale').hidden", 20):
                problems.append("the page did not run again once the empty box had a number")
            shown = cdp.eval("document.getElementById('p-goal').dataset.value")
            # A value the key does not take: said beside the lever in plain words, and the answer
            # shown marked as not the levers' until a valid value has run.

            type_value(200)
            said = f"document.querySelector('.lever-error[data-key=\"{LEVER}\"]').textContent"
            if not cdp.wait_for(f"{said} !== ''", 20):
                problems.append(f"{LEVER} = 200 (over 168) was not refused beside the lever")
            else:
                error = cdp.eval(said)
                if error != (f"{words[LEVER]} takes from 0 hours/week to 168 hours/week; 200 "
                             f"is outside that"):
                    problems.append(f"{LEVER} = 200 is refused as {error!r}")
                if not cdp.eval("!document.getElementById('stale').hidden && document."
                                "getElementById('results').classList.contains('stale')"):
                    problems.append("after a refused value the old answer is not marked stale")
                if cdp.eval("document.getElementById('p-goal').dataset.value") != shown:
                    problems.append("a refused value changed the answer shown")
            type_value(12)
            if not cdp.wait_for(f"{final} && document.getElementById('stale').hidden && {said} === ''"):
                problems.append("a valid value after a refused one did not clear the marks")
            # Every slider can sit on its plan's own value (1.25 coaching hours, a 12% rate).
            for plan in info["plans"]:
                cdp.eval(f"(() => {{ const s = document.getElementById('plan'); s.value = "
                         f"{json.dumps(plan['name'])}; s.dispatchEvent(new Event('change')); }})()")
                for lever in plan["levers"]:
                    if lever["value"] is None:
                        continue
                    at = cdp.eval(f"document.querySelector('#levers input[type=range][data-key="
                                  f"{json.dumps(lever['key'])}]').value")
                    if abs(float(at) - lever["value"]) > 1e-9:
                        problems.append(f"{plan['name']}: the slider of {lever['key']} sits at "
                                        f"{at}, not the plan's {lever['value']}")
                if not plan["levers"]:
                    hint = cdp.eval("document.getElementById('no-levers')?.textContent || ''")
                    if "--lever KEY" not in hint:
                        problems.append(f"{plan['name']} has no levers and the page says "
                                        f"{hint!r}, not how to get some")
            cdp.eval("(() => { const s = document.getElementById('plan'); s.value = "
                     "'push-activity'; s.dispatchEvent(new Event('change')); })()")
            cdp.wait_for(final)
            shot = cdp.send("Page.captureScreenshot", {"format": "png"})["data"]
            png = os.path.join(outdir, "serve-screenshot.png")
            with open(png, "wb") as f:
                f.write(base64.b64decode(shot))
            try:  # non-blank: more than one colour in the picture
                import matplotlib.image
                img = matplotlib.image.imread(png)
                if img.reshape(-1, img.shape[-1]).std(axis=0).max() < 0.01:
                    problems.append(f"the screenshot {png} is blank")
            except ImportError:
                if os.path.getsize(png) < 20000:
                    problems.append(f"the screenshot {png} looks blank (small)")
            print(f"screenshot: {os.path.abspath(png)}")
            for e in cdp.events:
                # The 400 of the out-of-range value sent on purpose above is the API's answer.
                if e.get("method") == "Log.entryAdded" and \
                        e["params"]["entry"].get("source") == "network" and \
                        "status of 400" in e["params"]["entry"]["text"]:
                    continue
                if e.get("method") == "Runtime.exceptionThrown" or (
                        e.get("method") == "Log.entryAdded"
                        and e["params"]["entry"]["level"] == "error") or (
                        e.get("method") == "Runtime.consoleAPICalled"
                        and e["params"]["type"] == "error"):
                    problems.append(f"browser console: {json.dumps(e['params'])[:300]}")
        finally:
            cdp.close()
finally:
    server.send_signal(2)  # SIGINT: the server stops cleanly
    try:
        server.wait(timeout=10)
        if server.returncode != 0:
            problems.append(f"salesim serve ended with {server.returncode} on SIGINT")
    except subprocess.TimeoutExpired:
        server.kill()
        problems.append("salesim serve did not stop on SIGINT")



def left_page_cancels_its_run():
    """A page left while its long run goes asks the server to end it (pagehide, POST
    /api/cancel): a cancel sent for the same client a moment later finds nothing going."""
    text = open(scenario).read()
    long = os.path.join(outdir, "long-run.yaml")
    with open(long, "w") as f:
        f.write(re.sub(r"\bpaths: *[0-9]+", "paths: 200000", text, count=1))
    srv = subprocess.Popen([salesim, "serve", long, "--port", "0"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    try:
        found = None
        for line in srv.stdout:
            found = re.search(r"(http://\S+/\?token=(\w+))", line)
            if found:
                break
        if not found:
            return "the second salesim serve printed no URL"
        page_url, key = found.group(1), found.group(2)
        with profile_folder() as prof:
            c = Cdp(prof)
            try:
                t = c.send("Target.createTarget", {"url": "about:blank"}, False)["targetId"]
                c.session = c.send("Target.attachToTarget", {"targetId": t, "flatten": True},
                                   False)["sessionId"]
                c.send("Runtime.enable")
                c.send("Page.enable")
                c.send("Page.navigate", {"url": page_url})
                if not c.wait_for("document.getElementById('status').textContent"
                                  ".startsWith('Running 200000')", 60):
                    return "the page did not start its run of 200000 futures"
                client = c.eval("client")
                c.send("Page.navigate", {"url": "about:blank"})
                time.sleep(1.5)
            finally:
                c.close()
        req = urllib.request.Request(
            page_url.split("/?")[0] + "/api/cancel", data=b"{}",
            headers={"Authorization": "Bearer " + key, "Content-Type": "application/json",
                     "X-Salesim-Client": client})
        with urllib.request.urlopen(req, timeout=30) as r:
            if json.load(r)["cancelled"]:
                return "the page's run of 200000 futures went on after the page was left"
        return None
    finally:
        srv.send_signal(2)
        try:
            srv.wait(timeout=10)
        except subprocess.TimeoutExpired:
            srv.kill()


if not problems:
    left = left_page_cancels_its_run()
    if left:
        problems.append(left)

if problems:
    print("\n".join(problems))
    sys.exit(1)
print("serve page: a moved lever's P(goal) on the page equals the API's; a page left ends its run")
