"""The notebooks on every output layout salesim writes, opened as an analyst opens files already
made: a copy of each notebook with salesim_results.py beside it, in a folder outside the
repository, with no salesim binary to be found ($SALESIM unset, none on PATH), so nothing is run.
  - compare-plans on a streamed run (no per-path data), a run of one path (no standard errors),
    a run with recurring revenue and an ARR goal (the chart and the paired figures count ARR);
  - every notebook on its default file names, made beforehand with few paths (a sweep of two
    keys, a sensitivity, a goal-seek, an optimisation, a batch of two files).
Each executed notebook is checked as check_notebook.py checks one: no failed cell, a PNG chart
from every cell that draws, none blank, none too wide.
usage: check_notebook_layouts.py SALESIM REPOSITORY WORKDIR"""
import json, os, shutil, subprocess, sys

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor, CellExecutionError

from check_notebook import check  # beside this script

salesim, repo, work = sys.argv[1:4]
scenarios = os.path.join(repo, "scenarios")
nexacorp = os.path.join(scenarios, "nexacorp.yaml")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)

# No binary for the notebooks: no $SALESIM, no salesim on PATH (a folder of its own).
os.environ.pop("SALESIM", None)
os.environ.pop("PYTHONPATH", None)
os.environ["PATH"] = os.pathsep.join(
    d for d in os.environ.get("PATH", "").split(os.pathsep)
    if d and not os.path.exists(os.path.join(d, "salesim")))
failures = []


def salesim_run(*args, cwd):
    subprocess.run([salesim, *args, "--quiet"], cwd=cwd, check=True)


def execute(notebook, folder, params=None, expect=()):
    """Runs a copy of NOTEBOOK in FOLDER (salesim_results.py beside it), PARAMS injected after
    its parameters cell as papermill does; checks the outputs; EXPECT: texts the outputs must
    contain."""
    shutil.copy(os.path.join(repo, "notebooks", "salesim_results.py"), folder)
    nb = nbformat.read(os.path.join(repo, "notebooks", notebook), as_version=4)
    if params:
        i = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
        nb.cells.insert(i + 1, nbformat.v4.new_code_cell(
            "\n".join(f"{k} = {v!r}" for k, v in params.items())))
    name = f"{notebook} in {os.path.basename(folder)}" + (f" with {params}" if params else "")
    try:
        ExecutePreprocessor(timeout=600, kernel_name="python3").preprocess(
            nb, {"metadata": {"path": folder}})
    except CellExecutionError as e:
        failures.append(f"{name}: a cell failed: {str(e).strip().splitlines()[-1]}")
        return
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            texts.append(out.get("text", "") + "".join(out.get("data", {}).get("text/plain", "")))
    text = "\n".join(texts)
    if "Running salesim" in text:
        failures.append(f"{name}: ran salesim instead of opening the files given")
    problems, images = check(nb)
    failures.extend(f"{name}: {p}" for p in problems)
    for e in expect:
        if e not in text:
            failures.append(f"{name}: the outputs do not say {e!r}")
    print(f"{name}: {images} chart(s)")


# compare-plans on the layouts of `salesim run -o`.
runs = os.path.join(work, "runs")
os.makedirs(runs)
salesim_run("run", nexacorp, "--paths", "200", "--streaming", "-o", "streamed.h5", cwd=runs)
salesim_run("run", nexacorp, "--paths", "1", "-o", "one-path.h5", cwd=runs)
salesim_run("run", os.path.join(scenarios, "saas-renewals.yaml"), "--paths", "100",
            "-o", "arr.h5", cwd=runs)
execute("compare-plans.ipynb", runs, {"RESULTS": "streamed.h5"},
        expect=["final bookings diff (M)"])
execute("compare-plans.ipynb", runs, {"RESULTS": "one-path.h5"})
execute("compare-plans.ipynb", runs, {"RESULTS": "arr.h5"}, expect=["final ARR diff (M)"])

# Every notebook on files made before, under its default names.
made = os.path.join(work, "made")
os.makedirs(made)
plan = "push-activity"
salesim_run("run", nexacorp, "--paths", "100", "-o", "results.h5", cwd=made)
salesim_run("sweep", nexacorp, "--plan", plan, "--vary", "prospecting.target_hours=8:16:4",
            "--vary", "hiring[0].count=0,5", "--metric", "profit", "--paths", "50",
            "-o", f"sweep-{plan}.h5", cwd=made)
salesim_run("sensitivity", nexacorp, "--plan", plan, "--metric", "profit", "--paths", "50",
            "--json", f"sensitivity-{plan}.json", "--svg", f"sensitivity-{plan}.svg", cwd=made)
salesim_run("goalseek", nexacorp, "--plan", plan, "--lever", "prospecting.target_hours=4:18",
            "--target", "p_goal=0.9", "--paths", "50", "--json", f"goalseek-{plan}.json",
            cwd=made)
salesim_run("optimize", nexacorp, "--plan", plan, "--lever", "hiring[0].count=0:10",
            "--lever", "prospecting.target_hours=8:20", "--maximize", "profit",
            "--subject-to", "cost<=8M", "--evaluations", "8", "--paths", "50",
            "--json", f"optimize-{plan}.json", "--csv", f"optimize-{plan}.csv",
            "-o", f"optimize-{plan}.yaml", cwd=made)
salesim_run("batch", nexacorp, os.path.join(scenarios, "saas-renewals.yaml"), "-o", "batch-out",
            "--paths", "50", cwd=made)
execute("compare-plans.ipynb", made)
execute("sweep-and-sensitivity.ipynb", made, expect=["Opening sweep-", "Opening sensitivity-"])
execute("what-would-it-take.ipynb", made, expect=["Opening goalseek-", "Opening optimize-"])
execute("batch-summary.ipynb", made, expect=["Opening batch-out"])

if failures:
    sys.exit("notebooks on salesim's output layouts:\n  " + "\n  ".join(failures))
print("notebook layouts ok")
