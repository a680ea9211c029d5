"""Placeholder weights, replaced by `pal-safety-eval --fit`."""

BIAS = -10.0
THRESHOLD = 0.5
WEIGHTS = (0.0,) * 384
