"""Performance benchmark of the Community Justice Assistant: `make bench` (see run_bench.py)."""
