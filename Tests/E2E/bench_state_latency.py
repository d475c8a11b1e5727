#!/usr/bin/env python3
"""End-to-end latency of one hook-like process: `clawguard log record-call` (process start → state and audit
written → answer), sequentially N times against one file database, plus the cost of spawning /bin/true as the
floor. Usage: bench_state_latency.py BIN [N]"""
import os
import statistics
import subprocess
import sys
import tempfile
import time


def timed(argv, n):
    samples = []
    for i in range(n):
        args = [a.replace("{i}", str(i)) for a in argv]
        start = time.perf_counter()
        proc = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        samples.append((time.perf_counter() - start) * 1000)
        if proc.returncode not in (0, 2):
            sys.exit(f"{args} failed: {proc.stderr.decode()}")
    samples.sort()
    return {"median_ms": round(statistics.median(samples), 2),
            "p90_ms": round(samples[int(0.9 * (n - 1))], 2), "p99_ms": round(samples[int(0.99 * (n - 1))], 2)}


def main():
    binary = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    with tempfile.TemporaryDirectory() as d:
        db = os.path.join(d, "state.db")
        subprocess.run([binary, "log", "record-call", "--state", db, "--session", "warm"], stdout=subprocess.DEVNULL)
        print("floor /bin/true:", timed(["/bin/true"], n))
        print("record-call   :", timed([binary, "log", "record-call", "--state", db, "--session", "s",
                                        "--command", "echo {i}", "--per-minute", "100000"], n))


if __name__ == "__main__":
    main()
