#!/usr/bin/python3
"""A vectorised NumPy implementation of MODEL.md version 2, independent of salesim's code.

Two uses (issue 15): the speed yardstick salesim is measured against ("the vectorised NumPy
implementation of the same model", bench/vs_numpy.sh), and a second implementation whose
figures tests/numpy_reference_check.py compares with the engine's, within their standard errors.

It is written as a competent NumPy programmer would write it: every rep of every path is one
cell of a (paths x reps) array, and the only Python loops are over weeks, stages, skills and
the rare events of a week (hires, programs, and the rounds of hand-overs below), never over paths
or reps. Its random numbers are NumPy's (Philox), not salesim's addressed draws: it matches the
engine's distribution, not its bits.

Usage: numpy_reference.py SCENARIO [--paths N] [--seed S] [--plans a,b] [--jobs N] [--json FILE]
(--jobs: plans in parallel processes, NumPy being single-threaded; the figures do not change.)

The hand-over rule (MODEL.md 3.4.12) is sequential: reps are stepped in index order, a leaver's
receiver is the teammate with the fewest open opportunities at that moment (reps stepped already
count their new pipeline, the others their old one) and a receiver with a higher index works what
it received in the same week. Vectorised exactly, in rounds: every active rep is stepped at once;
then, per round, each path's lowest-index leaver not yet handled hands over (receiver by a masked
argmin over the path's reps), and the receivers that had not been stepped yet are stepped again
(with fresh draws, which never influenced anything) on their new pipeline. Rounds end when no path
has a leaver left: a week of the 40-rep example takes a handful of rounds at most, each a small
gather over paths.
"""
import argparse
import copy
import json
import math
import multiprocessing
import sys
import time

import numpy as np
import yaml

# MODEL.md section 1, the defaults of every key this reference implements.
DEFAULTS = {
    "salesim": 2, "name": "", "description": "",
    "simulation": {"horizon_weeks": 52, "paths": 10000, "seed": 1, "start_date": None},
    "goal": {"revenue": None, "by_week": None, "checkpoints": []},
    "market": {"volatility": 0.0, "persistence": 0.9, "inbound_leads_per_week": 0.0,
               "lead_quality": 0.5},
    "pipeline": {"deal_size": {"mean": 25000.0, "cv": 0.8}, "stages": None},
    "team": {"reps": 10, "managers": 2, "skills": {}, "preference": {"mean": 0.6, "sd": 0.2},
             "tenure_weeks": 104, "salary": 90000.0, "manager_salary": 140000.0},
    "capacity": {"sustainable_hours": 40.0, "max_hours": 55.0, "admin_hours": 8.0,
                 "control_overhead": 0.5, "manager_coaching_hours": 10.0},
    "prospecting": {"skill": "prospecting", "yield": {"floor": 0.2, "top": 0.6},
                    "target_hours": None, "mandatory": False, "avoidance": 0.5, "icp_lift": 0.3},
    "burnout": {"accumulation": 0.13, "onset_load": 1.2, "recovery": 0.10, "discomfort": 0.05,
                "conversion_loss": 0.4, "capacity_loss": 0.3, "attrition": 0.02},
    "people": {"attrition_annual": 0.15, "backfill": True, "time_to_fill_weeks": 8,
               "hire_cost": 20000.0, "ramp_weeks": 26,
               "new_hire_skill": {"mean": 0.3, "sd": 0.15}, "handover_loss": 0.3},
    "skills": {"experience_rate": 0.002, "training_half_life_weeks": 12.0,
               "coaching_reference_hours": 1.0, "coaching_reinforcement": 0.8,
               "coaching_transfer": 0.05, "coaching_growth": 0.01},
    "org": {"alignment": 0.3, "awareness": 0.0, "manager_coaching_skill": 0.5,
            "coaching_hours_per_rep": 0.0},
    "compensation": {"commission_rate": 0.08, "effort_elasticity": 0.3},
    "costs": {"marketing_per_week": 0.0},
    "hiring": [], "training": [], "programs": [], "plans": None,
}
STAGE = {"name": "qualify", "skill": "discovery", "hours": 0.5, "exit_rate": 0.5,
         "conversion": {"floor": 0.25, "top": 0.45}, "stale_loss": 0.10, "initial_per_rep": 0}
TRAINING = {"name": "", "start_week": None, "weeks": 4, "hours_per_week": 4.0,
            "participants": "all", "targeting": "gap", "focus_skills": 2, "efficacy": 0.35,
            "cost_per_person": 1500.0}
PROGRAM_VALUE = {"coach_the_coaches": "manager_coaching_skill", "profiling": "awareness",
                 "alignment": "alignment", "coaching_policy": "hours_per_rep"}
PLAN_KEYS = {"name", "description", "set", "from_week", "hiring", "training", "programs"}


class ScenarioError(Exception):
    pass


def merged(defaults, given, where):
    """defaults updated by given, recursively; a key the reference does not know is an error."""
    if given is None:
        return copy.deepcopy(defaults)
    if not isinstance(given, dict):
        raise ScenarioError(f"{where}: expected a map")
    out = copy.deepcopy(defaults)
    for key, value in given.items():
        if key not in defaults:
            raise ScenarioError(f"{where}.{key}: not a key of MODEL.md version 2 that this "
                                "reference implements")
        free_map = where == "scenario.team" and key == "skills"  # skill name -> {mean, sd}
        if isinstance(defaults[key], dict) and not free_map:
            out[key] = merged(defaults[key], value, f"{where}.{key}")
        else:
            out[key] = copy.deepcopy(value)
    return out


def flatten(tree, prefix=""):
    """A plan's `set`, in dotted or nested form, as {dotted path: value}."""
    flat = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, path + "."))
        else:
            flat[path] = value
    return flat


def apply_set(params, dotted, value, where):
    parts = dotted.split(".")
    node = params
    for part in parts[:-1]:
        if isinstance(node, list):  # pipeline.stages.<name>
            match = [s for s in node if s["name"] == part]
            if not match:
                raise ScenarioError(f"{where}.set.{dotted}: no stage named {part}")
            node = match[0]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise ScenarioError(f"{where}.set.{dotted}: no such key")
    if not isinstance(node, dict) or parts[-1] not in node:
        raise ScenarioError(f"{where}.set.{dotted}: no such key")
    node[parts[-1]] = value


def load(path):
    with open(path) as f:
        raw = yaml.safe_load(f)
    if raw.get("salesim") != 2:
        raise ScenarioError(f"{path}: salesim: 2 expected (this reference reads format 2 only)")
    base = merged(DEFAULTS, raw, "scenario")
    stages = raw.get("pipeline", {}).get("stages") or [{}]
    base["pipeline"]["stages"] = [merged(STAGE, s, f"pipeline.stages[{i}]")
                                  for i, s in enumerate(stages)]
    skills = [base["prospecting"]["skill"]]
    for s in base["pipeline"]["stages"]:
        if s["skill"] not in skills:
            skills.append(s["skill"])
    for name in base["team"]["skills"]:
        if name not in skills:
            raise ScenarioError(f"team.skills.{name}: no stage or prospecting uses it")
    base["skill_names"] = skills
    plans = []
    for i, plan in enumerate(raw["plans"]):
        unknown = set(plan) - PLAN_KEYS
        if unknown:
            raise ScenarioError(f"plans[{i}].{sorted(unknown)[0]}: not a plan key")
        params = copy.deepcopy(base)
        sets = flatten(plan.get("set") or {})
        for dotted, value in sets.items():
            apply_set(params, dotted, value, f"plans[{i}]")
        params["hiring"] = base["hiring"] + (plan.get("hiring") or [])
        params["training"] = [merged(TRAINING, tp, f"plans[{i}].training")
                              for tp in base["training"] + (plan.get("training") or [])]
        params["programs"] = base["programs"] + (plan.get("programs") or [])
        for pr in params["programs"]:
            if pr["kind"] not in PROGRAM_VALUE:
                raise ScenarioError(f"plans[{i}].programs: unknown kind {pr['kind']}")
        plans.append({"name": plan["name"], "params": params, "sets": sets,
                      "from_week": int(plan.get("from_week", 1)) - 1})
    return base, plans


def beta_ab(spec):
    mean, sd = float(spec["mean"]), float(spec["sd"])
    if sd == 0:
        return mean, None
    k = mean * (1 - mean) / sd ** 2 - 1
    return mean * k, (1 - mean) * k


def draw_beta(rng, spec, size):
    a, b = beta_ab(spec)
    return np.full(size, a) if b is None else rng.beta(a, b, size)


class Derived:
    """The figures of one parameter set that the weekly step reads, as arrays over stages."""

    def __init__(self, p, skills, commission_baseline):
        st = p["pipeline"]["stages"]
        self.K = len(st)
        self.hours = [float(s["hours"]) for s in st]
        self.exit = [float(s["exit_rate"]) for s in st]
        self.stale = [float(s["stale_loss"]) for s in st]
        self.floor = [float(s["conversion"]["floor"]) for s in st]
        self.top = [float(s["conversion"]["top"]) for s in st]
        self.skill = [skills.index(s["skill"]) for s in st]
        c, pr, b = p["capacity"], p["prospecting"], p["burnout"]
        self.sust, self.max_hours, self.admin = c["sustainable_hours"], c["max_hours"], c["admin_hours"]
        self.overhead, self.mch = c["control_overhead"], c["manager_coaching_hours"]
        self.yfloor, self.ytop = pr["yield"]["floor"], pr["yield"]["top"]
        self.target, self.mandatory = pr["target_hours"], bool(pr["mandatory"])
        self.avoidance, self.icp = pr["avoidance"], pr["icp_lift"]
        self.b = b
        cr, el = p["compensation"]["commission_rate"], p["compensation"]["effort_elasticity"]
        self.commission = cr
        self.effort = 1.0 if commission_baseline == 0 else \
            max(0.0, 1 + el * (cr / commission_baseline - 1))
        pe = p["people"]
        self.hazard = 1 - (1 - pe["attrition_annual"]) ** (1 / 52)
        self.ramp_weeks = int(pe["ramp_weeks"])
        self.handover_loss = pe["handover_loss"]
        self.backfill, self.fill = bool(pe["backfill"]), int(pe["time_to_fill_weeks"])
        self.hire_cost, self.new_hire_skill = pe["hire_cost"], pe["new_hire_skill"]
        self.sk = p["skills"]
        self.market = p["market"]
        d = p["pipeline"]["deal_size"]
        self.sigma2 = math.log(1 + d["cv"] ** 2)
        self.mu = math.log(d["mean"]) - self.sigma2 / 2
        self.salary, self.manager_salary = p["team"]["salary"], p["team"]["manager_salary"]
        self.marketing = p["costs"]["marketing_per_week"]


def simulate(base, plan, paths, seed):
    """One plan over `paths` paths. Returns per-path figures and the rep-weeks stepped."""
    rng = np.random.Generator(np.random.Philox(seed))
    P = paths
    params = plan["params"]
    skills = base["skill_names"]
    J, H = len(skills), int(base["simulation"]["horizon_weeks"])
    team = base["team"]
    reps, Mg = int(team["reps"]), int(team["managers"])
    D0 = Derived(base, skills, base["compensation"]["commission_rate"])
    D1 = Derived(params, skills, base["compensation"]["commission_rate"])
    K, A = D0.K, D0.K + 1
    from_week, sets = plan["from_week"], plan["sets"]

    # Rep slots: creation order, the starting team then hires; more columns when needed.
    scheduled = sum(int(h["count"]) for h in params["hiring"])
    R = -(-(reps + scheduled + 8) // Mg) * Mg
    active = np.zeros((P, R), bool)
    tenure = np.zeros((P, R))
    B = np.zeros((P, R))
    s = np.zeros((J, P, R))
    g = np.zeros((J, P, R))
    pref = np.zeros((A, P, R))
    n = np.zeros((K, P, R), np.int64)
    count = np.full(P, reps)
    trainings = params["training"]
    enrolled = [np.zeros((P, R), bool) for _ in trainings]
    trained = [np.zeros((J, P, R), bool) for _ in trainings]

    def grow(need):
        nonlocal R, active, tenure, B, s, g, pref, n, enrolled, trained
        extra = -(-(max(need - R, 2 * Mg)) // Mg) * Mg
        pad = lambda x: np.concatenate([x, np.zeros(x.shape[:-1] + (extra,), x.dtype)], -1)
        active, tenure, B, s, g, pref, n = map(pad, (active, tenure, B, s, g, pref, n))
        enrolled, trained = [pad(e) for e in enrolled], [pad(m) for m in trained]
        R += extra

    skill_spec = [team["skills"].get(name, {"mean": 0.4, "sd": 0.15}) for name in skills]
    for j in range(J):
        s[j, :, :reps] = draw_beta(rng, skill_spec[j], (P, reps))
    for a in range(A):
        pref[a, :, :reps] = draw_beta(rng, team["preference"], (P, reps))
    tenure[:, :reps] = team["tenure_weeks"]
    active[:, :reps] = True
    for k in range(K):
        n[k, :, :reps] = base["pipeline"]["stages"][k]["initial_per_rep"]

    pending = np.zeros((P, H + 1), np.int64)
    for h in params["hiring"]:
        pending[:, int(h["week"]) - 1] += int(h["count"])
    org = base["org"]
    a_org, w_org, m_org, c_pol = (org["alignment"], org["awareness"],
                                  org["manager_coaching_skill"], org["coaching_hours_per_rep"])
    vol0 = base["market"]["volatility"]
    x = vol0 * rng.standard_normal(P) if vol0 > 0 else np.zeros(P)

    cum = np.zeros(P)
    cost = np.zeros(P)
    leavers = np.zeros(P)
    hires = np.zeros(P)
    won_total, lost_total, created_total, hours_sum, hours_weeks = (np.zeros(P) for _ in range(5))
    goal = base["goal"]
    by_week = int(goal["by_week"] or H)
    met = np.zeros(P, bool)
    rep_weeks = 0
    in_plan = False

    for t in range(H):
        # 3.1 Demand, with the market parameters in force before this week's events.
        mk = (D1 if in_plan else D0).market
        vol = mk["volatility"]
        if vol > 0:
            phi = mk["persistence"]
            x = phi * x + math.sqrt(1 - phi * phi) * vol * rng.standard_normal(P)
            M = np.exp(x - vol * vol / 2)
        else:
            x[:] = 0
            M = np.ones(P)
        # 3.2 Overrides, hires, programs, training enrolment.
        if t == from_week and not in_plan:
            in_plan = True
            o = params["org"]
            a_org = o["alignment"] if "org.alignment" in sets else a_org
            w_org = o["awareness"] if "org.awareness" in sets else w_org
            m_org = o["manager_coaching_skill"] if "org.manager_coaching_skill" in sets else m_org
            c_pol = o["coaching_hours_per_rep"] if "org.coaching_hours_per_rep" in sets else c_pol
        D = D1 if in_plan else D0
        week_cost = np.zeros(P)
        new = pending[:, t]
        if new.any():
            if (count + new).max() > R:
                grow(int((count + new).max()))
            ridx = np.arange(R)
            mask = (ridx >= count[:, None]) & (ridx < (count + new)[:, None])
            q = int(mask.sum())
            for j in range(J):
                s[j][mask] = draw_beta(rng, D.new_hire_skill, q)
            for a in range(A):
                pref[a][mask] = draw_beta(rng, team["preference"], q)
            active |= mask
            count += new
            hires += new
            week_cost += D.hire_cost * new
        ridx = np.arange(R)
        extra_fixed = 0.0
        for pr in params["programs"]:
            if int(pr["start_week"]) - 1 != t:
                continue
            value = pr[PROGRAM_VALUE[pr["kind"]]]
            if pr["kind"] == "coach_the_coaches":
                m_org = value
                week_cost += pr.get("cost", 0.0)
            elif pr["kind"] == "profiling":
                w_org = value
                week_cost += pr.get("cost_per_person", 0.0) * active.sum(1)
            elif pr["kind"] == "alignment":
                a_org = value
                extra_fixed += pr.get("hours_per_rep", 0.0)
                week_cost += pr.get("cost", 0.0)
            else:
                c_pol = value
        rho_of = (lambda ten: np.minimum(1.0, (ten + 1) / D.ramp_weeks)) if D.ramp_weeks else \
            (lambda ten: np.ones_like(ten))
        for i, tp in enumerate(trainings):
            if int(tp["start_week"]) - 1 != t:
                continue
            if tp["participants"] == "all":
                enrolled[i] = active.copy()
            elif tp["participants"] == "new_hires":
                enrolled[i] = active & (ridx >= reps)
            else:  # bottom_half: the floor(N/2) lowest mean effective skill, lowest index on ties
                mean_sigma = (rho_of(tenure) * np.minimum(1, s + g)).mean(0)
                order = np.argsort(np.where(active, mean_sigma, np.inf), 1, kind="stable")
                rank = np.argsort(order, 1)
                enrolled[i] = active & (rank < (active.sum(1) // 2)[:, None])
            if tp["targeting"] == "generic" or tp["focus_skills"] >= J:
                trained[i] = np.ones((J, P, R), bool)
            else:
                top = np.argsort(-(1 - s - g), 0, kind="stable")[: tp["focus_skills"]]
                trained[i] = np.zeros((J, P, R), bool)
                np.put_along_axis(trained[i], top, True, 0)
            week_cost += tp["cost_per_person"] * enrolled[i].sum(1)
        T = np.zeros((P, R))
        for i, tp in enumerate(trainings):
            start = int(tp["start_week"]) - 1
            if start <= t <= start + int(tp["weeks"]) - 1:
                T += tp["hours_per_week"] * (enrolled[i] & active)

        # 3.3 Coaching per manager (rep r has manager r mod managers; R is a multiple of it).
        size = active.reshape(P, R // Mg, Mg).sum(1)
        c_m = np.where(size > 0, np.minimum(c_pol, D.mch / np.maximum(size, 1)), 0.0)
        sk = D.sk
        kappa = np.minimum(1.0, c_m / sk["coaching_reference_hours"])
        tile = lambda v: np.tile(v, R // Mg)
        c = tile(c_m)
        decay = tile(np.exp2(-(1 - sk["coaching_reinforcement"] * kappa) /
                             sk["training_half_life_weeks"]))
        transfer = tile(sk["coaching_transfer"] * kappa)
        cgrowth = tile(sk["coaching_growth"] * kappa * m_org)

        # 3.4 Every active rep at once.
        stepped = active.copy()
        n_active = stepped.sum(1)
        rep_weeks += int(n_active.sum())
        # mk: MODEL.md 3.2, a plan's market.* set in week t takes effect from week t + 1.
        env = dict(D=D, a=a_org, w=w_org, extra=extra_fixed, rho_of=rho_of, rng=rng, market=mk)
        out = step(env, tenure, B, s, g, pref, n, T, c, decay, transfer, cgrowth,
                   M[:, None], np.maximum(n_active, 1)[:, None], stepped)
        n1, leave = out["n"], out["leave"] & stepped
        lost_handover = np.zeros(P)
        n_pre = n  # received opportunities of reps not stepped yet land here (then re-stepped)
        done = np.full(P, -1)
        big = np.iinfo(np.int64).max
        while True:
            cand = leave & (ridx > done[:, None])
            has = cand.any(1)
            if not has.any():
                break
            pi = np.flatnonzero(has)
            L = cand[pi].argmax(1)
            Q = len(pi)
            active[pi, L] = False
            leavers[pi] += 1
            nL = n1[:, pi, L].copy()
            n1[:, pi, L] = 0
            # The receiver: fewest open opportunities now (stepped reps: their new pipeline),
            # lowest index on ties; a teammate first, else anyone active.
            now = np.where(ridx <= L[:, None], n1[:, pi].sum(0), n_pre[:, pi].sum(0))
            key = now * R + ridx
            act = active[pi]
            team_key = np.where(act & (ridx % Mg == (L % Mg)[:, None]), key, big)
            any_key = np.where(act, key, big)
            r1, r2 = team_key.argmin(1), any_key.argmin(1)
            ok1 = team_key[np.arange(Q), r1] < big
            ok = ok1 | (any_key[np.arange(Q), r2] < big)
            recv = np.where(ok1, r1, r2)
            lost = rng.binomial(nL, D.handover_loss)
            kept = np.where(ok, nL - lost, 0)
            lost_handover[pi] += (nL - kept).sum(0)
            low, high = ok & (recv < L), ok & (recv > L)
            if low.any():
                n1[:, pi[low], recv[low]] += kept[:, low]
            if high.any():
                hp, hr = pi[high], recv[high]
                if n_pre is n:
                    n_pre = n.copy()
                n_pre[:, hp, hr] += kept[:, high]
                again = step(env, tenure[hp, hr], B[hp, hr], s[:, hp, hr], g[:, hp, hr],
                             pref[:, hp, hr], n_pre[:, hp, hr], T[hp, hr], c[hp, hr],
                             decay[hp, hr], transfer[hp, hr], cgrowth[hp, hr], M[hp],
                             n_active[hp], None)
                for name, arr in out.items():
                    if arr.ndim == 3:
                        arr[:, hp, hr] = again[name]
                    else:
                        arr[hp, hr] = again[name]
                leave[hp, hr] = again["leave"]
            if D.backfill and t + D.fill < H:
                pending[pi, t + D.fill] += 1
            done[pi] = L

        # Commit the step of the reps stepped this week.
        np.copyto(B, out["B"], where=stepped)
        np.copyto(tenure, out["tenure"], where=stepped)
        np.copyto(s, out["s"], where=stepped)
        np.copyto(g, out["g"], where=stepped)
        np.copyto(n, n1, where=stepped)
        won = np.where(stepped, out["won"], 0).sum(1)
        won_total += won
        lost_total += np.where(stepped, out["lost"], 0).sum(1) + lost_handover
        created_total += np.where(stepped, out["created"], 0).sum(1)
        # A week without a rep stepped has no average over reps: left out (docs/model.md 9).
        hours_sum += np.where(stepped, out["W"], 0.0).sum(1) / np.maximum(n_active, 1)
        hours_weeks += n_active > 0
        total = int(won.sum())
        bookings = np.bincount(np.repeat(np.arange(P), won),
                               rng.lognormal(D.mu, math.sqrt(D.sigma2), total), P) \
            if total else np.zeros(P)

        # 3.5 Training completions.
        for i, tp in enumerate(trainings):
            if int(tp["start_week"]) + int(tp["weeks"]) - 2 == t:
                who = trained[i] & (enrolled[i] & active)
                g += np.where(who, tp["efficacy"] * (1 - s - g), 0.0)

        # 3.6 Costs, active reps counted after attrition.
        week_cost += (D.salary * active.sum(1) / 52 + D.manager_salary * Mg / 52 +
                      D.commission * bookings + D.marketing)
        cost += week_cost
        cum += bookings
        if goal["revenue"] is not None and t + 1 == by_week:
            met = cum >= goal["revenue"]

    heads = active.sum(1)
    burnout = np.where(heads > 0, (B * active).sum(1) / np.maximum(heads, 1), np.nan)
    # Per path, under the names of results.h5's per-path datasets (docs/results-format.md).
    return dict(final_bookings=cum, goal_met=met.astype(float), leavers=leavers,
                burnout_final=burnout, cost=cost, hires=hires, headcount_final=heads.astype(float),
                won=won_total, lost=lost_total, opportunities_created=created_total,
                hours_per_rep_week=np.where(hours_weeks > 0, hours_sum / np.maximum(hours_weeks, 1),
                                            np.nan)), rep_weeks


def step(env, tenure, B, s, g, pref, n, T, c, decay, transfer, cgrowth, M, n_active, mask):
    """MODEL.md 3.4 steps 1-12 (hand-over aside) for reps of any array shape, all at once."""
    D, rng, bp = env["D"], env["rng"], env["D"].b
    K = D.K
    rho = env["rho_of"](tenure)                                                   # 1
    e = D.effort                                                                  # 2
    H = D.max_hours * e * (1 - bp["capacity_loss"] * B)                           # 3
    F = D.admin * (1 + D.overhead * (1 - env["a"])) + T + c + env["extra"]
    sigma = rho * np.minimum(1.0, s + g)                                          # 4
    per_stage = (1 - bp["conversion_loss"] * B) ** (1.0 / K)
    y = D.yfloor + sigma[0] * (D.ytop - D.yfloor)
    rem = np.maximum(0.0, H - F)                                                  # 5
    if D.target is None or not D.mandatory:
        pipeline_hours = sum(n[k] * D.hours[k] for k in range(K))
        slack = np.maximum(0.0, D.sust * e - F - pipeline_hours)
    if D.target is None:
        demand = slack
    elif D.mandatory:
        demand = D.target * (1 - D.avoidance * (1 - pref[0]) * (1 - env["w"]))
    else:
        demand = np.maximum(slack, D.target)
    if D.mandatory:
        P = np.minimum(demand, rem)
        rem = rem - P
    worked = [None] * K
    for k in reversed(range(K)):
        h = D.hours[k]
        if h == 0:
            worked[k] = n[k]
            continue
        worked[k] = np.where(n[k] * h <= rem, n[k],
                             np.minimum(n[k], np.floor(rem / h).astype(np.int64)))
        rem = rem - worked[k] * h
    if not D.mandatory:
        P = np.minimum(demand, np.maximum(0.0, rem))
    W = F + P                                                                     # 6
    disliked = P * (1 - pref[0])
    for k in range(K):
        hk = worked[k] * D.hours[k]
        W = W + hk
        disliked = disliked + hk * (1 - pref[k + 1])
    load = W / D.sust
    n_new = np.empty_like(n)                                                      # 7
    lost = 0
    for k in reversed(range(K)):  # what advances joins stage k + 1 after its own flows
        E = rng.binomial(worked[k], D.exit[k])
        S = rng.binomial(n[k] - worked[k], D.stale[k])
        p = (D.floor[k] + sigma[D.skill[k]] * (D.top[k] - D.floor[k])) * per_stage
        V = rng.binomial(E, p)
        n_new[k] = n[k] - E - S
        lost = lost + (E - V + S)
        if k + 1 < K:
            n_new[k + 1] += V
        else:
            won = V
    rate = M * (P * y * (1 + D.icp * env["a"]) +                                  # 8
                env["market"]["lead_quality"] * env["market"]["inbound_leads_per_week"] / n_active)
    if mask is not None:
        rate = np.where(mask, rate, 0.0)
    created = rng.poisson(rate)
    n_new[0] += created
    B_new = np.clip(B + bp["accumulation"] * np.maximum(0.0, load - bp["onset_load"]) +  # 9
                    bp["discomfort"] * (1 - env["w"]) * disliked / D.sust -
                    bp["recovery"] * B, 0.0, 1.0)
    growth = cgrowth + D.sk["experience_rate"] * rho                               # 10
    g_new = g * decay
    delta = transfer * g_new
    g_new -= delta
    s_new = s + delta
    s_new += growth * (1 - s_new - g_new)
    np.minimum(s_new, 1.0, out=s_new)
    np.minimum(g_new, 1 - s_new, out=g_new)
    q = np.minimum(1.0, D.hazard + bp["attrition"] * B_new * B_new)               # 12
    leave = rng.random(q.shape) < q
    return dict(n=n_new, B=B_new, s=s_new, g=g_new, tenure=tenure + 1, leave=leave, won=won,
                lost=lost, created=created, W=W)                                  # 11: tenure


def summary(name, fig, paths, rep_weeks, seconds):
    """Mean and standard error of every per-path figure (burnout: over the paths with reps)."""
    figures = {}
    for key, values in fig.items():
        v = values[~np.isnan(values)]
        se = float(v.std(ddof=1)) / math.sqrt(len(v)) if len(v) > 1 else float("nan")
        figures[key] = {"mean": float(v.mean()), "se": se}
    return {"name": name, "paths": paths, "figures": figures,
            "final_bookings_sd": float(fig["final_bookings"].std(ddof=1)),
            "rep_weeks": rep_weeks, "seconds": seconds,
            "rep_weeks_per_second": rep_weeks / seconds}


def run_plan(job):
    base, plan, paths, seed = job
    start = time.perf_counter()
    fig, rep_weeks = simulate(base, plan, paths, seed)
    return summary(plan["name"], fig, paths, rep_weeks, time.perf_counter() - start)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("--paths", type=int)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--plans", help="comma-separated plan names (default: all)")
    ap.add_argument("--jobs", type=int, default=1,
                    help="run the plans in this many processes (default 1)")
    ap.add_argument("--json", help="write the figures as JSON to this file")
    args = ap.parse_args()
    try:
        base, plans = load(args.scenario)
    except (ScenarioError, OSError, yaml.YAMLError, KeyError, TypeError) as e:
        print(f"numpy_reference: {args.scenario}: {e}", file=sys.stderr)
        return 2
    for i, plan in enumerate(plans):
        plan["index"] = i  # its seed, whichever plans run
    if args.plans:
        wanted = args.plans.split(",")
        unknown = [w for w in wanted if w not in [p["name"] for p in plans]]
        if unknown:
            print(f"numpy_reference: no plan named {unknown[0]}", file=sys.stderr)
            return 2
        plans = [p for p in plans if p["name"] in wanted]
    paths = args.paths or int(base["simulation"]["paths"])
    seed = args.seed if args.seed is not None else int(base["simulation"]["seed"])
    jobs = [(base, plan, paths, [seed, plan["index"]]) for plan in plans]
    start = time.perf_counter()
    if args.jobs > 1:  # plans in parallel processes: NumPy itself runs on one core
        with multiprocessing.get_context("fork").Pool(min(args.jobs, len(jobs))) as pool:
            results = pool.map(run_plan, jobs)
    else:
        results = [run_plan(job) for job in jobs]
    total_seconds = time.perf_counter() - start
    total_weeks = sum(r["rep_weeks"] for r in results)
    print(f"NumPy reference (MODEL.md v2), {args.scenario}, {paths} paths per plan, "
          f"numpy {np.__version__}, {args.jobs} process(es)")
    print(f"{'plan':<24}{'final bookings':>16}{'sd':>13}{'P(goal)':>9}{'leavers':>9}"
          f"{'burnout':>9}{'rep-weeks':>11}{'rep-weeks/s':>13}")
    for r in results:
        f = r["figures"]
        print(f"{r['name']:<24}{f['final_bookings']['mean']:>16,.0f}"
              f"{r['final_bookings_sd']:>13,.0f}{f['goal_met']['mean']:>9.3f}"
              f"{f['leavers']['mean']:>9.2f}{f['burnout_final']['mean']:>9.3f}"
              f"{r['rep_weeks']:>11}{r['rep_weeks_per_second']:>13.3e}")
    print(f"simulation: {total_weeks} rep-weeks in {total_seconds:.2f} s, "
          f"{total_weeks / total_seconds:.3e} rep-weeks/s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"scenario": args.scenario, "paths": paths, "seed": seed,
                       "jobs": args.jobs, "rep_weeks": total_weeks, "seconds": total_seconds,
                       "rep_weeks_per_second": total_weeks / total_seconds,
                       "plans": results}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
