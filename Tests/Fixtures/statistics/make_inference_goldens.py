"""Reference values for the t-based inference (InferenceReferenceTests).

Run from anywhere: python3 make_inference_goldens.py. Writes inference-goldens.json beside itself.
- Student's t CDF and quantiles: scipy.stats.t.cdf / t.ppf.
- Welch's t-test on term means (one exact value per prompt, no sampling noise): scipy.stats.ttest_ind(equal_var=False);
  with equal numbers of terms Student's pooled t, scipy.stats.ttest_ind(equal_var=True) (same t, 2(K − 1) df).
- Paired t-test over shared random streams (one term per group, one template): scipy.stats.ttest_rel.
- The crossed two-way moment estimator (MS_term + MS_stream − MS_residual) / N of a balanced
  terms × (template, sample) design, from its two-way ANOVA mean squares written out in NumPy
  (MS_residual: the term × stream interaction within templates, (K − 1)(J − T) df).
- The MOVER interval of a difference of two rates (Zou & Donner 2008) from Wilson limits
  (statsmodels.stats.proportion.proportion_confint(method='wilson')) with effective sizes
  p(1 − p)/V and a t quantile, its test inversion (scipy.optimize.brentq, scipy.stats.t.sf), and
  Newcombe's hybrid score interval (statsmodels confint_proportions_2indep(method='newcomb')).
"""
import json
import os
import sys

try:
    import numpy as np
    import scipy
    import statsmodels
    from scipy import optimize, stats
    from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint
except ImportError as error:
    print(f"make_inference_goldens.py: {error.name} is not installed; install the versions the JSON was written "
          "with:\n  pip install numpy==2.4.6 scipy==1.17.1 statsmodels==0.15.0", file=sys.stderr)
    sys.exit(69)

rng = np.random.default_rng(20261129)
out = {"versions": {"numpy": np.__version__, "scipy": scipy.__version__, "statsmodels": statsmodels.__version__}}

out["t"] = [
    {"x": float(x), "df": float(df), "cdf": float(stats.t.cdf(x, df)), "sf2": float(2 * stats.t.sf(abs(x), df))}
    for x, df in [(0.5, 1), (-2.0, 2.5), (3.1, 4), (10.0, 7), (-0.2, 30), (1.96, 1e6), (40.0, 3), (2.0, 0.7),
                  # Large df, where 1 − df/(df + x²) rounds away (a hostile review: t at 1e16 df was 1.73).
                  (1.96, 1e12), (-3.0, 1e16), (30.0, 1e300), (0.3, 5e4), (5.0, 2e5), (12.0, 1e7), (3.0, 1e6),
                  # Large t at small df, where t²/(df + t²) rounds to 1 (a code review: the tail was 0).
                  (7e7, 0.5), (-1e8, 1), (1e10, 2)]
]
out["t_ppf"] = [
    {"p": p, "df": df, "q": float(stats.t.ppf(p, df))}
    for p, df in [(0.975, 1), (0.975, 2), (0.975, 3.5), (0.8, 4), (0.975, 29), (0.025, 12.3), (0.999, 5), (0.6, 100),
                  (0.975, 1e7), (0.975, 1e12), (0.025, 1e16), (0.999, 1e300), (0.9, 2000), (1e-9, 2e5), (0.9999, 1e6), (1e-9, 1), (1e-6, 0.5)]
]

# Welch: K_A, K_B terms x 3 templates, one value per prompt.
welch = []
for ka, kb in [(4, 4), (3, 5), (9, 6)]:
    a = rng.normal(0.3, 1, size=(ka, 1)) + rng.normal(0, 0.2, size=(ka, 3))
    b = rng.normal(0.0, 1, size=(kb, 1)) + rng.normal(0, 0.2, size=(kb, 3))
    res = stats.ttest_ind(a.mean(axis=1), b.mean(axis=1), equal_var=(ka == kb))
    welch.append({"a": a.tolist(), "b": b.tolist(), "t": float(res.statistic), "p": float(res.pvalue),
                  "df": float(res.df), "difference": float(a.mean() - b.mean())})
out["welch"] = welch

# Paired over streams: one term per group, one template, S samples; sample i shares a stream.
paired = []
for s in [10, 16]:
    stream = rng.normal(0, 1, size=s)
    a = 0.2 + stream + rng.normal(0, 0.5, size=s)
    b = stream + rng.normal(0, 0.5, size=s)
    res = stats.ttest_rel(a, b)
    paired.append({"a": a.tolist(), "b": b.tolist(), "t": float(res.statistic), "p": float(res.pvalue),
                   "df": float(res.df)})
out["paired"] = paired

# Crossed design: K terms x T templates x S samples, one group.
crossed = []
for k, t, s in [(4, 3, 10), (6, 3, 6), (3, 2, 16)]:
    y = (rng.normal(0, 0.5, size=(k, 1, 1)) + rng.normal(0, 1, size=(1, t, s)) + rng.normal(0, 1, size=(k, t, s))
         + np.arange(t).reshape(1, t, 1))
    n = k * t * s
    r = y - y.mean(axis=(0, 2), keepdims=True)          # template-centred
    term_means = r.mean(axis=(1, 2))                      # K
    stream_means = r.mean(axis=0)                         # T x S
    j = t * s
    ms_term = j * np.sum((term_means - term_means.mean()) ** 2) / (k - 1)
    ms_stream = k * np.sum((stream_means - stream_means.mean(axis=1, keepdims=True)) ** 2) / (j - t)
    prompt_means = r.mean(axis=2, keepdims=True)        # K x T x 1: (term, template) means
    resid = r - prompt_means - stream_means.reshape(1, t, s) + r.mean(axis=(0, 2), keepdims=True)
    ms_res = np.sum(resid ** 2) / ((k - 1) * (j - t))
    crossed.append({"y": y.tolist(), "mean": float(y.mean()), "variance": float((ms_term + ms_stream - ms_res) / n),
                    "ms_term": float(ms_term), "ms_stream": float(ms_stream), "ms_residual": float(ms_res)})
out["crossed"] = crossed



# MOVER for a difference of two rates with correlated level estimates.
def wilson(p, variance, trials, q):
    n = p * (1 - p) / variance if 0 < p < 1 and variance > 0 else trials
    n = max(n, 1.0)
    alpha = 2 * stats.norm.sf(q)              # Wilson at quantile q
    lo, hi = proportion_confint(p * n, n, alpha=alpha, method="wilson")
    return min(lo, p), max(hi, p)


def mover(c, q):
    pa, pb = c["pA"], c["pB"]
    prod = c["vA"] * c["vB"]
    r = min(1, max(-1, (c["vA"] + c["vB"] - c["vD"]) / (2 * np.sqrt(prod)))) if prod > 0 else 0.0
    la, ua = wilson(pa, c["vA"], c["nA"], q)
    lb, ub = wilson(pb, c["vB"], c["nB"], q)
    d = pa - pb
    # With r > 0 each side's spread is at least sqrt(V_D) * min(x / sqrt(V_A), y / sqrt(V_B)).
    def spread(x, y):
        mover = np.sqrt(max(0, x ** 2 + y ** 2 - 2 * r * x * y))
        if r <= 0:
            return mover
        return max(mover, np.sqrt(max(0, c["vD"])) * min(x / np.sqrt(c["vA"]), y / np.sqrt(c["vB"])))

    lower = d - spread(pa - la, ub - pb)
    upper = d + spread(ua - pa, pb - lb)
    return max(-1, lower), min(1, upper)


movers = []
for pa, pb, va, vb, vd, na, nb, df in [
    (0.05, 0.02, 4e-4, 2e-4, 3e-4, 120, 120, 6.3),
    (0.30, 0.35, 2e-3, 2.5e-3, 4e-3, 300, 300, 12.0),
    (0.0, 0.04, 0.0, 3e-4, 3e-4, 120, 90, 4.5),
    (0.9, 0.6, 1e-3, 4e-3, 4.5e-3, 200, 200, 20.0),
    (0.08, 0.05, 9e-4, 7e-4, 3e-4, 160, 160, 8.0),
    (0.015, 0.05, 4e-5, 6e-4, 4e-4, 300, 300, 9.5),
    # A student's run: r = 1 (V_D = (sqrt(V_B) - sqrt(V_A))^2), where the floor binds.
    (6 / 54, 9 / 54, 0.0007716049382716049, 0.006944444444444442, 0.0030864197530864187, 54, 54, 12.8),
]:
    c = {"pA": pa, "pB": pb, "vA": va, "vB": vb, "vD": vd, "nA": na, "nB": nb, "df": df}
    q = stats.t.ppf(0.975, df)
    c["lower"], c["upper"] = mover(c, q)
    d = pa - pb
    margin = lambda x: mover(c, x)[0] if d > 0 else -mover(c, x)[1]
    hi = 1.0
    while margin(hi) > 0:
        hi *= 2
    c["p"] = float(2 * stats.t.sf(optimize.brentq(margin, 1e-12, hi, xtol=1e-14), df))
    movers.append(c)
out["mover"] = movers

newcombe = []
for xa, na, xb, nb in [(5, 120, 1, 120), (0, 120, 0, 120), (0, 90, 7, 150), (118, 120, 100, 120)]:
    lo, hi = confint_proportions_2indep(xa, na, xb, nb, method="newcomb", compare="diff")
    newcombe.append({"xA": xa, "nA": na, "xB": xb, "nB": nb, "lower": float(lo), "upper": float(hi)})
out["newcombe"] = newcombe

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "inference-goldens.json"), "w") as f:
    json.dump(out, f, indent=1)
print("wrote inference-goldens.json")
