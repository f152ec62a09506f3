"""Executes a notebook the way an analyst would after copying it out of the repository: alone
in an empty folder, without PYTHONPATH, the salesim binary given by $SALESIM.
usage: run_notebook.py NOTEBOOK WORKDIR
Writes WORKDIR/NAME.ipynb executed (tests/tools/check_notebook.py then checks its outputs)."""
import os, shutil, subprocess, sys

notebook, work = sys.argv[1:3]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
shutil.copy(notebook, work)
env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
name = os.path.basename(notebook)
r = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                    "--ExecutePreprocessor.timeout=600", "--output", name, name],
                   cwd=work, env=env)
sys.exit(r.returncode)
