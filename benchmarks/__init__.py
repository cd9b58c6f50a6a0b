"""``make bench``: a seeded data generator at realistic scale and side-by-side benchmarks (see the README)."""
