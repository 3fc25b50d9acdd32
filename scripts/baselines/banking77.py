#!/usr/bin/env python3
"""scikit-learn baselines on the BANKING77 split of classify's tests.

Reproduces the split of models/classify/banking77_test.go (per intent, rows
ordered by FNV-1a 64 of seed + NUL + text, the last 20% to test) and
prints the accuracy of the usual linear text classifiers on it, so the
figures in BENCHMARKS.md about what n-gram models reach can be checked.
With --use-url (scripts/use-embedder serving) it also adds Universal
Sentence Encoder vectors to the features, as classify's dense channel does,
and with --knn-mix it mixes that model's probabilities with a vote of the
5 nearest training texts by USE cosine (weights exp(10 cos)), the mixing
weight chosen by 5-fold out-of-fold accuracy on the training part (the
whole script then takes about 25 minutes on 2 cores).

  apt-get install python3-sklearn
  python3 scripts/baselines/banking77.py [--data ../shared/data/banking77/train.csv] [--use-url http://127.0.0.1:8089/v1 [--knn-mix]]
"""
import argparse, csv, json, urllib.request
from collections import defaultdict

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
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


def concat(A, E):
    return sp.hstack([A, sp.csr_matrix(E)]).tocsr()


def tfidf(texts):
    return make_union(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"),
                      TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)).fit(texts)


def knn_vote(eq, ep, yp, k, n_classes):
    """Share of the k nearest (by cosine of unit vectors) for each class."""
    s = eq @ ep.T
    v = np.zeros((len(eq), n_classes))
    for i, row in enumerate(np.argsort(-s, 1)[:, :k]):
        for j in row:
            v[i, yp[j]] += np.exp(10 * s[i, j])
    return v / v.sum(1, keepdims=True)


def mixed(xa, ea, ya, xb, eb, n_classes):
    """tf-idf + USE logistic regression probabilities, and the USE kNN vote."""
    f = tfidf(xa)
    m = LogisticRegression(C=20, max_iter=3000).fit(concat(f.transform(xa), ea), ya)
    p = np.zeros((len(xb), n_classes))
    p[:, m.classes_] = m.predict_proba(concat(f.transform(xb), eb))
    return p, knn_vote(eb, ea, ya, 5, n_classes)


def knn_mix(xtr, etr, ytr, xte, ete, yte):
    classes = sorted(set(ytr))
    ya = np.array([classes.index(l) for l in ytr])
    yb = np.array([classes.index(l) for l in yte])
    xtr = np.array(xtr, dtype=object)
    op, ov = np.zeros((len(ya), len(classes))), np.zeros((len(ya), len(classes)))
    for a, b in StratifiedKFold(5, shuffle=True, random_state=0).split(xtr, ya):
        op[b], ov[b] = mixed(list(xtr[a]), etr[a], ya[a], list(xtr[b]), etr[b], len(classes))
    w = max(np.linspace(0, 0.6, 13), key=lambda w: (((1 - w) * op + w * ov).argmax(1) == ya).mean())
    p, v = mixed(list(xtr), etr, ya, xte, ete, len(classes))
    return w, (((1 - w) * p + w * v).argmax(1) == yb).mean()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data/banking77/train.csv")
    ap.add_argument("--use-url", default="")
    ap.add_argument("--knn-mix", action="store_true")
    a = ap.parse_args()
    with open(a.data, newline="") as f:
        rows = [(r["text"], r["category"]) for r in csv.DictReader(f)]
    tr, te = split(rows)
    xtr, ytr = [t for t, _ in tr], [l for _, l in tr]
    xte, yte = [t for t, _ in te], np.array([l for _, l in te])
    print(f"train {len(tr)}, test {len(te)}")
    feats = tfidf(xtr)
    A, B = feats.transform(xtr), feats.transform(xte)
    models = [("tf-idf word 1-2 + char_wb 2-5, logistic regression C=20", LogisticRegression(C=20, max_iter=3000), A, B),
              ("tf-idf word 1-2 + char_wb 2-5, linear SVM C=0.5", LinearSVC(C=0.5), A, B)]
    if a.use_url:
        etr, ete = embed(a.use_url, xtr), embed(a.use_url, xte)
        models += [("USE vectors alone, logistic regression C=100", LogisticRegression(C=100, max_iter=3000), etr, ete),
                   ("tf-idf + USE vectors (equal energy), logistic regression C=20", LogisticRegression(C=20, max_iter=3000),
                    concat(A, etr), concat(B, ete))]
    for name, m, xa, xb in models:
        m.fit(xa, ytr)
        print(f"{(m.predict(xb) == yte).mean():.4f}  {name}", flush=True)
    if a.use_url and a.knn_mix:
        w, acc = knn_mix(xtr, etr, ytr, xte, ete, yte)
        print(f"{acc:.4f}  tf-idf + USE logistic regression mixed with a USE 5-NN vote, weight {w:.2f} from 5-fold out-of-fold accuracy")


if __name__ == "__main__":
    main()
