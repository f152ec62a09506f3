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
# A sweep table loads, and a results file is not taken for one.
sweep = os.path.join(d, "s.h5")
subprocess.run([salesim, "sweep", scenario, "--plan", "push-activity", "--vary",
                "prospecting.target_hours=10,14", "--paths", "32", "--quiet", "-o", sweep],
               check=True)
sw = sr.load_sweep(sweep)
assert sw.keys == ["prospecting.target_hours"], sw.keys
assert list(sw.table["prospecting.target_hours"]) == [10, 14], sw.table
assert (sw.table["paths"] == 32).all()
try:
    sr.load_sweep(path)
except sr.FormatError as e:
    assert "not a salesim sweep file" in str(e), e
else:
    raise AssertionError("a results file was read as a sweep")
with h5py.File(sweep, "r+") as f:
    f.attrs["format_major"] = 3
    f.attrs["format_version"] = "3.0"
try:
    sr.load_sweep(sweep)
except sr.FormatError as e:
    assert "3.0" in str(e), e
else:
    raise AssertionError("a major version 3 sweep was accepted")
shutil.rmtree(d)
print("reader ok")
