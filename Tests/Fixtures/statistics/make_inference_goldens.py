"""Reference values for the t-based inference (InferenceReferenceTests).

Run from this directory: python3 make_inference_goldens.py. Writes inference-goldens.json.
- Student's t CDF and quantiles: scipy.stats.t.cdf / t.ppf.
- Welch's t-test on term means (one exact value per prompt, no sampling noise): scipy.stats.ttest_ind(equal_var=False).
- Paired t-test over shared random streams (one term per group, one template): scipy.stats.ttest_rel.
- The crossed two-way moment estimator (MS_term + MS_stream − MS_residual) / N of a balanced
  terms × (template, sample) design, from its two-way ANOVA mean squares written out in NumPy.
"""
import json
import numpy as np
import scipy
from scipy import stats

rng = np.random.default_rng(20261129)
out = {"versions": {"numpy": np.__version__, "scipy": scipy.__version__}}

out["t"] = [
    {"x": float(x), "df": float(df), "cdf": float(stats.t.cdf(x, df)), "sf2": float(2 * stats.t.sf(abs(x), df))}
    for x, df in [(0.5, 1), (-2.0, 2.5), (3.1, 4), (10.0, 7), (-0.2, 30), (1.96, 1e6), (40.0, 3), (2.0, 0.7)]
]
out["t_ppf"] = [
    {"p": p, "df": df, "q": float(stats.t.ppf(p, df))}
    for p, df in [(0.975, 1), (0.975, 2), (0.975, 3.5), (0.8, 4), (0.975, 29), (0.025, 12.3), (0.999, 5), (0.6, 100)]
]

# Welch: K_A, K_B terms x 3 templates, one value per prompt.
welch = []
for ka, kb in [(4, 4), (3, 5), (9, 6)]:
    a = rng.normal(0.3, 1, size=(ka, 1)) + rng.normal(0, 0.2, size=(ka, 3))
    b = rng.normal(0.0, 1, size=(kb, 1)) + rng.normal(0, 0.2, size=(kb, 3))
    res = stats.ttest_ind(a.mean(axis=1), b.mean(axis=1), equal_var=False)
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
    resid = r - term_means.reshape(k, 1, 1) - stream_means.reshape(1, t, s) + r.mean()
    ms_res = np.sum(resid ** 2) / ((k - 1) * (j - t))
    crossed.append({"y": y.tolist(), "mean": float(y.mean()), "variance": float((ms_term + ms_stream - ms_res) / n),
                    "ms_term": float(ms_term), "ms_stream": float(ms_stream), "ms_residual": float(ms_res)})
out["crossed"] = crossed

with open("inference-goldens.json", "w") as f:
    json.dump(out, f, indent=1)
print("wrote inference-goldens.json")
