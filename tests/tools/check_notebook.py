"""Checks an executed notebook: no cell raised, and at least one chart was stored as a PNG
(matplotlib inline), so nothing was lost to a non-interactive backend.
usage: check_notebook.py EXECUTED.ipynb"""
import json, sys

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
        images += "image/png" in out.get("data", {})
if unexecuted:
    problems.append(f"{unexecuted} code cell(s) were not executed")
if images == 0:
    problems.append("no image/png output: the charts were not embedded")
if problems:
    sys.exit(f"{path}:\n  " + "\n  ".join(problems))
print(f"{path}: {images} chart(s), no errors")
