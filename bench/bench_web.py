"""Load check of the explorer on loopback: requests/s and p95 latency for search and speaker
pages (and their JSON API counterparts, side by side) on a database of the SaudiNewsNet sample.

    python bench/bench_web.py [--db FILE] [--requests N] [--concurrency C] [--soak SECONDS]

Without --db it builds bench-snn.db from all 16 zips first (`khabar ingest`, full pipeline,
a few minutes). The server runs in its own process (uvicorn, one worker) on 127.0.0.1; the
load is a bounded number of requests from a thread pool in this process.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ZIPS = sorted((ROOT.parent / "shared" / "data" / "saudinewsnet").glob("*.zip"))
QUERIES = ["الرياض", "وزير الخارجية", "داعش", "الاتحاد", "النفط", "مجلس الأمن", "الهلال", "اليمن", "الحوثي", "السعودية"]


def fetch(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status}")
    return time.perf_counter() - started


def load(urls: list[str], concurrency: int) -> tuple[float, float, float]:
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = list(pool.map(fetch, urls))
    seconds = time.perf_counter() - started
    p95 = statistics.quantiles(latencies, n=20)[18] if len(latencies) >= 20 else max(latencies)
    return len(urls) / seconds, p95 * 1000, statistics.median(latencies) * 1000


def soak(urls: list[str], concurrency: int, seconds: float) -> dict:
    """``concurrency`` clients requesting ``urls`` round-robin for ``seconds``: counts by status,
    latencies, and whether any answer held a traceback."""
    import threading
    import urllib.error

    deadline = time.perf_counter() + seconds
    lock = threading.Lock()
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    tracebacks = 0
    counter = iter(range(10**9))

    def client() -> None:
        nonlocal tracebacks
        while time.perf_counter() < deadline:
            url = urls[next(counter) % len(urls)]
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=60) as response:
                    body, status = response.read(), response.status
            except urllib.error.HTTPError as error:
                body, status = error.read(), error.code
            except OSError:
                body, status = b"", 0  # refused or reset: counted as no answer
            elapsed = time.perf_counter() - started
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                latencies.append(elapsed)
                tracebacks += b"Traceback" in body

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {"requests": len(latencies), "rate": len(latencies) / seconds, "statuses": dict(sorted(statuses.items())),
            "p95_ms": latencies[int(len(latencies) * 0.95)] * 1000 if latencies else 0.0,
            "median_ms": statistics.median(latencies) * 1000 if latencies else 0.0, "tracebacks": tracebacks}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--requests", type=int, default=300, help="requests per kind (bounded load)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--soak", type=float, metavar="SECONDS",
                        help="instead: --concurrency clients (e.g. 200) mixing every kind of request, hostile ones "
                             "included, for SECONDS; prints counts by status, p95 and tracebacks seen")
    args = parser.parse_args()
    db = args.db or ROOT / "bench-snn.db"
    if not db.exists():
        print(f"building {db} from {len(ZIPS)} zips ...", flush=True)
        subprocess.run([sys.executable, "-m", "khabar.cli", "ingest", *map(str, ZIPS), "--db", str(db),
                        "--no-progress"], check=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "khabar.cli", "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                stats = json.loads(urllib.request.urlopen(base + "/api/stats", timeout=2).read())
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("the server did not start")
        speakers = [s["speaker"] for s in json.loads(urllib.request.urlopen(
            base + "/api/speakers?limit=50", timeout=30).read())["results"]]
        n = args.requests
        q = lambda i: urllib.parse.quote(QUERIES[i % len(QUERIES)])  # noqa: E731
        s = lambda i: urllib.parse.quote(speakers[i % len(speakers)])  # noqa: E731
        kinds = {
            "search page": [f"{base}/?q={q(i)}" for i in range(n)],
            "search API": [f"{base}/api/search?q={q(i)}" for i in range(n)],
            "speaker page": [f"{base}/speaker/{s(i)}" for i in range(n)],
            "speaker API": [f"{base}/api/statements?speaker={s(i)}&limit=200" for i in range(n)],
        }
        if args.soak:
            hostile = [f"{base}/api/search?q=" + urllib.parse.quote("وزير " * 500), f"{base}/api/documents/..%2f..%2fk.db",
                       f"{base}/api/search?q=x&offset=" + "9" * 30, f"{base}/speaker/%00", f"{base}/story/abc"]
            mixed = [url for group in zip(*kinds.values()) for url in group] + hostile * (n // 20 + 1)
            result = soak(mixed, args.concurrency, args.soak)
            print(f"soak: {args.concurrency} clients for {args.soak:.0f} s on {stats['documents']} documents, one server "
                  f"process, loopback: {result['requests']} requests ({result['rate']:.1f}/s), by status "
                  f"{result['statuses']}, p95 {result['p95_ms']:.0f} ms, median {result['median_ms']:.0f} ms, "
                  f"tracebacks in answers {result['tracebacks']}")
            return
        print(f"explorer on {stats['documents']} documents, {stats['statements']} statements; {n} requests per kind, "
              f"{args.concurrency} concurrent, one server process, loopback")
        for kind, urls in kinds.items():
            load(urls[:10], args.concurrency)  # warm-up
            rate, p95, median = load(urls, args.concurrency)
            print(f"  {kind:13} {rate:7.1f} requests/s   p95 {p95:7.1f} ms   median {median:6.1f} ms")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
