"""Checks an executed notebook: no cell raised, and at least one chart was stored as a PNG
(matplotlib inline), so nothing was lost to a non-interactive backend; and no chart is wider
than MAX_WIDTH pixels (Jupyter shrinks a wider one to the page, and its labels become
unreadable: a row of nine scenario panels was 2870 pixels wide).
usage: check_notebook.py EXECUTED.ipynb"""
import base64, json, struct, sys

MAX_WIDTH = 1600  # pixels at matplotlib's inline resolution: a figure of about 16 inches

path = sys.argv[1]
try:
    nb = json.load(open(path))
except OSError as e:
    sys.exit(f"{path}: cannot read the executed notebook ({e.strerror}); did its execution run?")
problems, images, unexecuted = [], 0, 0
for i, cell in enumerate(nb["cells"]):
    if cell["cell_type"] != "code":
        continue
    if cell.get("execution_count") is None and "".join(cell["source"]).strip():
        unexecuted += 1
    for out in cell.get("outputs", []):
        if out["output_type"] == "error":
            problems.append(f"cell {i}: {out['ename']}: {out['evalue']}")
        if out["output_type"] == "stream" and out.get("name") == "stderr" and \
                "Traceback" in "".join(out.get("text", "")):
            problems.append(f"cell {i}: a traceback on stderr")
        png = out.get("data", {}).get("image/png")
        if png:
            images += 1
            width, height = struct.unpack(">II", base64.b64decode(png)[16:24])
            if width > MAX_WIDTH:
                problems.append(f"cell {i}: a chart {width} x {height} pixels, wider than "
                                f"{MAX_WIDTH}: too small to read once fitted to the page")
if unexecuted:
    problems.append(f"{unexecuted} code cell(s) were not executed")
if images == 0:
    problems.append("no image/png output: the charts were not embedded")
if problems:
    sys.exit(f"{path}:\n  " + "\n  ".join(problems))
print(f"{path}: {images} chart(s), no errors")
