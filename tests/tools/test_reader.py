"""The Python reader loads a results file and refuses another major format version.
usage: test_reader.py SALESIM SCENARIO"""
import os, shutil, subprocess, sys, tempfile

import h5py
import salesim_results as sr

salesim, scenario = sys.argv[1:3]
d = tempfile.mkdtemp()
path = os.path.join(d, "r.h5")
subprocess.run([salesim, "run", scenario, "--paths", "50", "--quiet", "-o", path], check=True)
res = sr.load(path)
assert res.plans[0] == "baseline", res.plans
assert len(res.weekly("baseline")) == 52
assert len(res.paths("baseline")) == 50
assert abs(res.paths("baseline")["final_bookings"].mean()
           - res.summary["plans"][0]["final_bookings"]["mean"]) < 1e-6 * res.summary["plans"][0]["final_bookings"]["mean"]

other = os.path.join(d, "v2.h5")
shutil.copy(path, other)
with h5py.File(other, "r+") as f:
    f.attrs["format_major"] = 2
    f.attrs["format_version"] = "2.0"
try:
    sr.load(other)
except sr.FormatError as e:
    assert "2.0" in str(e) and "not supported" in str(e), e
else:
    raise AssertionError("a major version 2 file was accepted")
shutil.rmtree(d)
print("reader ok")
