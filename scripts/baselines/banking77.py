#!/usr/bin/env python3
"""scikit-learn baselines on the BANKING77 split of classify's tests.

Reproduces the split of classify/banking77_test.go (per intent, rows
ordered by FNV-1a 64 of seed + NUL + text, the last 20% to test) and
prints the accuracy of the usual linear text classifiers on it, so the
figures in BENCHMARKS.md about what n-gram models reach can be checked.
With --use-url (scripts/use-embedder serving) it also adds Universal
Sentence Encoder vectors to the features, as classify's dense channel does.

  apt-get install python3-sklearn
  python3 scripts/baselines/banking77.py [--data ../shared/data/banking77/train.csv] [--use-url http://127.0.0.1:8089/v1]
"""
import argparse, csv, json, urllib.request
from collections import defaultdict

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_union
from sklearn.svm import LinearSVC

SEED = "billtriage-banking77"


def fnv1a64(b):
    h = 0xCBF29CE484222325
    for c in b:
        h = ((h ^ c) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def split(rows):
    keys = [fnv1a64((SEED + "\x00" + t).encode()) for t, _ in rows]
    order = sorted(range(len(rows)), key=lambda i: keys[i])  # stable, like SortStableFunc
    total, seen = defaultdict(int), defaultdict(int)
    for _, l in rows:
        total[l] += 1
    tr, te = [], []
    for i in order:
        t, l = rows[i]
        seen[l] += 1
        (te if seen[l] > total[l] - int(total[l] * 0.2) else tr).append((t, l))
    return tr, te


def embed(url, texts):
    out = []
    for i in range(0, len(texts), 256):
        req = urllib.request.Request(url.rstrip("/") + "/embeddings", method="POST",
                                     data=json.dumps({"input": texts[i:i + 256], "model": "use-lite"}).encode(),
                                     headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=600) as r:
            out += [d["embedding"] for d in sorted(json.load(r)["data"], key=lambda d: d["index"])]
    v = np.array(out)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data/banking77/train.csv")
    ap.add_argument("--use-url", default="")
    a = ap.parse_args()
    with open(a.data, newline="") as f:
        rows = [(r["text"], r["category"]) for r in csv.DictReader(f)]
    tr, te = split(rows)
    xtr, ytr = [t for t, _ in tr], [l for _, l in tr]
    xte, yte = [t for t, _ in te], np.array([l for _, l in te])
    print(f"train {len(tr)}, test {len(te)}")
    feats = make_union(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"),
                       TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)).fit(xtr)
    A, B = feats.transform(xtr), feats.transform(xte)
    models = [("tf-idf word 1-2 + char_wb 2-5, logistic regression C=20", LogisticRegression(C=20, max_iter=3000), A, B),
              ("tf-idf word 1-2 + char_wb 2-5, linear SVM C=0.5", LinearSVC(C=0.5), A, B)]
    if a.use_url:
        etr, ete = embed(a.use_url, xtr), embed(a.use_url, xte)
        models += [("USE vectors alone, logistic regression C=100", LogisticRegression(C=100, max_iter=3000), etr, ete),
                   ("tf-idf + USE vectors (equal energy), logistic regression C=20", LogisticRegression(C=20, max_iter=3000),
                    sp.hstack([A, sp.csr_matrix(etr)]).tocsr(), sp.hstack([B, sp.csr_matrix(ete)]).tocsr())]
    for name, m, xa, xb in models:
        m.fit(xa, ytr)
        print(f"{(m.predict(xb) == yte).mean():.4f}  {name}", flush=True)


if __name__ == "__main__":
    main()
