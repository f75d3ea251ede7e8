"""The small logistic regressions pressx fits (the picker's per role, the confidence's per field):
fitted with scikit-learn, kept as reviewable JSON ({"intercept", "weights", "n"}), applied without it."""
from __future__ import annotations

import math


def fit_rows(rows: list[tuple[dict[str, float], int]], *, c: float, max_iter: int, seed: int) -> dict:
    """One regression over (features, 0 or 1) rows, deterministic; weights under 1e-6 are left out.
    ``rows`` must hold both labels."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    labels = [y for _, y in rows]
    vectorizer = DictVectorizer(sort=True)
    x = vectorizer.fit_transform([f for f, _ in rows])
    model = LogisticRegression(C=c, max_iter=max_iter, random_state=seed).fit(x, labels)
    weights = {name: round(float(w), 6) for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0])
               if abs(w) >= 1e-6}
    return {"intercept": round(float(model.intercept_[0]), 6), "weights": weights, "n": len(labels)}


def probability(weights: dict, features: dict[str, float]) -> float:
    z = weights["intercept"] + sum(weights["weights"].get(k, 0.0) * v for k, v in features.items())
    return 1 / (1 + math.exp(-z)) if z > -50 else 0.0
