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
# Names and labels are str (h5py gives string datasets as bytes), path_index an integer.
assert all(type(p) is str for p in res.plans), [type(p) for p in res.plans]
assert all(type(x) is str for x in res.checkpoints("baseline")["label"])
assert all(type(v) is str for k, v in res.attrs.items() if k in ("scenario_name", "format_version"))
assert res.attrs["format_version"] == "1.4", res.attrs["format_version"]
with h5py.File(path, "r") as f:
    assert f["plans/baseline/paths/path_index"].dtype.kind == "i", f["plans/baseline/paths/path_index"].dtype
assert res.paths("baseline").index.dtype.kind == "i"
assert list(res.paths("baseline").index) == list(range(50))
# A file of format 1.3 stored path_index as float64: read alike.
older = os.path.join(d, "v13.h5")
shutil.copy(path, older)
with h5py.File(older, "r+") as f:
    for name in res.plans:
        g = f["plans"][name]["paths"]
        idx = g["path_index"][()]
        del g["path_index"]
        g.create_dataset("path_index", data=idx.astype("float64"))
    f.attrs["format_version"] = "1.3"
old = sr.load(older)
assert old.paths("baseline").index.dtype.kind == "i"
assert (old.paths("baseline")["final_bookings"] == res.paths("baseline")["final_bookings"]).all()
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
assert type(sw.attrs["plan"]) is str and sw.attrs["plan"] == "push-activity", sw.attrs
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
