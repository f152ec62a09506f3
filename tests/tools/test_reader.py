"""The Python reader loads a results file and refuses another major format version.
usage: test_reader.py SALESIM SCENARIO"""
import json, os, shutil, subprocess, sys, tempfile

import h5py
import salesim_results as sr


def reseal(path):
    """The file checksum in the first 512 bytes made again after an edit through h5py, as salesim
    writes it, so the edited file stands for one salesim wrote that way (unsealed, the reader
    refuses it as damaged: test_reader_integrity.py)."""
    checksum, size = sr._fnv1a64_file(path)
    with open(path, "r+b") as f:
        f.write(sr._seal_header(checksum, size))


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
assert res.attrs["format_version"] == "1.6", res.attrs["format_version"]
assert res.attrs["goal_metric"] == "bookings", res.attrs["goal_metric"]
# A plan's from_week as the file numbers weeks (1-based), the old attribute t = week - 1 beside it.
with h5py.File(path, "r") as f:
    for name in res.plans:
        g = f["plans"][name]
        assert g.attrs["from_file_week"] == g.attrs["from_week"] + 1, dict(g.attrs)
assert all(res.from_week(p) == 1 for p in res.plans), [res.from_week(p) for p in res.plans]
text = open(scenario).read().replace("  - name: push-activity\n",
                                     "  - name: push-activity\n    from_week: 10\n", 1)
assert "from_week: 10" in text
later = os.path.join(d, "later.yaml")
open(later, "w").write(text)
later_h5 = os.path.join(d, "later.h5")
subprocess.run([salesim, "run", later, "--paths", "20", "--quiet", "-o", later_h5], check=True)
lr = sr.load(later_h5)
assert lr.from_week("push-activity") == 10, lr.from_week("push-activity")
with h5py.File(later_h5, "r") as f:
    assert f["plans/push-activity"].attrs["from_week"] == 9
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
    for name in res.plans:
        del f["plans"][name].attrs["from_file_week"]
reseal(older)
old = sr.load(older)
assert all(old.from_week(p) == 1 for p in old.plans)  # from from_week + 1
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
reseal(other)
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


def refused(what, load, arg, *words, error=sr.FormatError):
    try:
        load(arg)
    except error as e:
        assert all(w in str(e) for w in words), (what, str(e))
    else:
        raise AssertionError(f"{what} was accepted")


# Files that are not results files, or not whole, are refused naming the file.
summary = os.path.join(d, "summary.json")
open(summary, "w").write("{}")
refused("a JSON file", sr.load, summary, summary, "not a salesim results file")
refused("a folder", sr.load, d, d, "a folder")
refused("a folder", sr.load_batch, path, path, "not a folder")
nomajor = os.path.join(d, "nomajor.h5")
shutil.copy(path, nomajor)
with h5py.File(nomajor, "r+") as f:
    del f.attrs["format_major"]
reseal(nomajor)
refused("a file without format_major", sr.load, nomajor, nomajor, "format_major")
incomplete = os.path.join(d, "incomplete.h5")
shutil.copy(path, incomplete)
with h5py.File(incomplete, "r+") as f:
    del f.attrs["checksum"]
reseal(incomplete)
refused("a 1.4 file without its checksum", sr.load, incomplete, incomplete, "incomplete")

# A streamed run: no per-path data (a clear error), the paired figures from the summary.
streamed = os.path.join(d, "streamed.h5")
subprocess.run([salesim, "run", scenario, "--paths", "50", "--quiet", "--streaming",
                "-o", streamed], check=True)
st = sr.load(streamed)
assert st.per_path is False and res.per_path is True
refused("paths() of a streamed run", st.paths, "baseline", "--streaming", error=ValueError)
assert st.vs_first("push-activity")["final_bookings_diff_mean"] == \
    st.summary["plans"][1]["vs_first"]["final_bookings_diff_mean"]
assert abs(res.vs_first("push-activity")["final_bookings_diff_mean"]
           - res.paired("push-activity").mean()) < 1e-6 * abs(res.paired("push-activity").mean())
refused("vs_first of the first plan", res.vs_first, "baseline", "first plan", error=ValueError)
refused("an unknown plan", res.weekly, "nope", "no plan 'nope'", error=KeyError)
assert res.goal_metric == "bookings"
refused("ARR of a scenario without recurring revenue", res.arr_weekly, "baseline",
        "no recurring revenue", error=ValueError)

# Recurring revenue with an ARR goal: the goal metric and ARR per week, from the summary.
arr_path = os.path.join(d, "arr.h5")
subprocess.run([salesim, "run", os.path.join(os.path.dirname(scenario), "saas-renewals.yaml"),
                "--paths", "40", "--quiet", "-o", arr_path], check=True)
arr = sr.load(arr_path)
assert arr.goal_metric == "arr", arr.goal_metric
w = arr.arr_weekly(arr.plans[0])
assert len(w) == 52 and list(w.index[:2]) == [1, 2], w.index
assert abs(w["arr_mean"].iloc[-1] - arr.summary["plans"][0]["arr"]["final"]["mean"]) \
    < 1e-6 * w["arr_mean"].iloc[-1]
# Every path's weeks on request (run --trajectories), a row per path; none without it.
refused("trajectories of a run without --trajectories", arr.trajectories, arr.plans[0],
        "no trajectories", error=ValueError)
traj_path = os.path.join(d, "traj.h5")
subprocess.run([salesim, "run", os.path.join(os.path.dirname(scenario), "saas-renewals.yaml"),
                "--paths", "20", "--quiet", "--trajectories", "-o", traj_path], check=True)
traj = sr.load(traj_path)
cum = traj.trajectories("hire-3")
assert cum.shape == (20, 52) and list(cum.columns[:2]) == [1, 2], cum.shape
assert (cum[52] == traj.paths("hire-3")["final_bookings"]).all()
assert (traj.trajectories("hire-3", "arr")[52] == traj.paths("hire-3")["arr_final"]).all()
refused("an unknown trajectory", lambda p: traj.trajectories(p, "headcount"), "hire-3",
        "no trajectory", "headcount", error=KeyError)
assert sr._goal_metric("goal:\n  revenue: 1M\n  metric: arr\n") == "arr"
assert sr._goal_metric("goal: {revenue: 1M}\n") == "bookings"
# Without PyYAML the inline form, the one docs/model.md writes, is read too.
import builtins
real_import = builtins.__import__
builtins.__import__ = lambda name, *a, **k: (_ for _ in ()).throw(ImportError(name)) \
    if name == "yaml" else real_import(name, *a, **k)
try:
    assert sr._goal_metric("goal: {revenue: 1M, metric: arr}\n") == "arr"
    assert sr._goal_metric("goal:\n  metric: arr\n") == "arr"
    assert sr._goal_metric("goal: {revenue: 1M}\nplans: [{name: a, metric: x}]\n") == "bookings"
finally:
    builtins.__import__ = real_import

# ensure_file: a file made with other arguments is made again; one made by hand is opened; a
# failed run leaves nothing to open.
made = os.path.join(d, "ensure.h5")
args = ["run", scenario, "--paths", "5", "--quiet", "-o", made]
sr.ensure_file(made, args, salesim)
first = os.path.getmtime(made)
sr.ensure_file(made, lambda: args, salesim)
assert os.path.getmtime(made) == first, "the same arguments reran salesim"
args[3] = "6"
sr.ensure_file(made, args, salesim)
assert sr.load(made).attrs["paths"] == 6, sr.load(made).attrs["paths"]
os.remove(made + ".args.json")
sr.ensure_file(made, lambda: 1 / 0, salesim)  # no record: opened, the arguments never asked
failed = os.path.join(d, "failed.json")
infeasible = ["optimize", scenario, "--plan", "push-activity", "--maximize", "p_goal", "--lever",
              "prospecting.target_hours=8:20", "--subject-to", "cost<=1", "--paths", "20",
              "--evaluations", "6", "--quiet", "-o", os.path.join(d, "opt.yaml"), "--json"]
# salesim itself writes the JSON of an optimisation with no feasible point, and fails.
r = subprocess.run([salesim] + infeasible + [failed])
assert r.returncode == 1 and not json.load(open(failed))["feasible"], r.returncode
os.remove(failed)
try:
    sr.ensure_file(failed, infeasible + [failed], salesim)
    raise AssertionError("an optimisation with no feasible point ran without failing")
except subprocess.CalledProcessError:
    pass
assert not os.path.exists(failed) and not os.path.exists(failed + ".args.json")

# A batch with a failed file: its folder has no results, and load_batch says so.
bad = os.path.join(d, "broken.yaml")
open(bad, "w").write("salesim: 2\nname: broken\nplans: 3\n")
batch = os.path.join(d, "batch")
r = subprocess.run([salesim, "batch", scenario, bad, "-o", batch, "--paths", "20", "--quiet"])
assert r.returncode == 1, r.returncode
b = sr.load_batch(batch)
assert set(b.table["status"]) == {"ok", "failed"}, b.table["status"]
failed = b.table[b.table["status"] == "failed"]["folder"].iloc[0]
refused("a failed file's results", b.results, failed, "failed", error=ValueError)
refused("an unknown folder", b.results, "nope", "no folder 'nope'", error=KeyError)
assert b.results("nexacorp").plans[0] == "baseline"
shutil.rmtree(d)
print("reader ok")
