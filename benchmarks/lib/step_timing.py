"""The timing rule of every Python runner, @convkit/train's timeStep in Python: one warm-up call, then
repeats until the budget has passed (at least 3, at most 10), reporting the median."""

import time


def time_step(step, budget_ms=4000.0, max_repeats=10):
    start = time.perf_counter()
    step()
    warm = (time.perf_counter() - start) * 1000
    if warm > budget_ms:
        return warm, 1
    samples = []
    begin = time.perf_counter()
    while len(samples) < max_repeats and (len(samples) < 3 or (time.perf_counter() - begin) * 1000 < budget_ms):
        t = time.perf_counter()
        step()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return samples[len(samples) // 2], len(samples)
