#!/usr/bin/env python3
"""Fast preview: with `mkdocs serve` running on a generated corpus, how long from saving one entry until the served
page shows the change. Measures `mkdocs serve --dirty` (what `make serve` runs) and, for comparison, a plain
`mkdocs serve` (full rebuild after each save).

Usage: bench_preview.py CORPUS_DIR [--saves 5] [--modes dirty,full] [--pause 1.0]
CORPUS_DIR is a project made by gen.py (mkdocs.yml + diaries/). The corpus is copied to a temporary folder first,
so the benchmark never edits it. Appends JSON lines to results/preview.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
MKDOCS = Path(sys.executable).with_name("mkdocs")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return str(r.read().decode("utf-8"))
    except OSError:
        return None


def wait_for(url: str, needle: str, timeout: float) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        page = fetch(url)
        if page is not None and needle in page:
            return time.monotonic() - start
        time.sleep(0.05)
    return None


def run(corpus: Path, mode: str, saves: int, pause: float = 1.0) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="preview-"))
    shutil.copytree(corpus / "diaries", work / "diaries")
    shutil.copytree(corpus / "docs", work / "docs")
    shutil.copy(corpus / "mkdocs.yml", work / "mkdocs.yml")
    entries = sorted((work / "diaries").rglob("*.md"))
    target = entries[len(entries) // 2]
    url_base = f"http://127.0.0.1:{free_port()}"
    port = url_base.rsplit(":", 1)[1]
    # live reload stays on: MkDocs only watches files for changes when it is (the browser reload is what users see)
    cmd = [str(MKDOCS), "serve", "-f", str(work / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"]
    if mode == "dirty":
        cmd.insert(2, "--dirty")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    log = open(work / "serve.log", "w")
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        page_url = f"{url_base}/entries/{target.stem}.html"
        first = wait_for(page_url, "<html", 900)
        startup = time.monotonic() - t0
        times = []
        for i in range(saves):
            # no long digit runs: the privacy guard would (rightly) hold back an entry that seems to hold a card number
            noise = "".join(chr(0x4E00 + (time.time_ns() >> k) % 2000) for k in (0, 11, 22))
            marker = f"预览测试第{'一二三四五六七八九十'[i % 10]}次{noise}"
            with target.open("a", encoding="utf-8") as f:
                f.write(f"\n\n{marker}\n")
            dt = wait_for(page_url, marker, 120)
            times.append(None if dt is None else round(dt, 2))
            time.sleep(pause)  # before the next save: a person reads the page, then writes on
        return {"mode": mode, "entries": len(entries), "first_build_s": round(startup, 1), "pause_s": pause,
                "served": first is not None, "save_to_visible_s": times, "loadavg": os.getloadavg()}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
        if os.environ.get("KEEP_PREVIEW"):
            print("kept", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--saves", type=int, default=5)
    ap.add_argument("--pause", type=float, default=1.0, help="seconds between a save showing and the next save")
    ap.add_argument("--modes", default="dirty,full")
    args = ap.parse_args()
    (HERE / "results").mkdir(exist_ok=True)
    for mode in args.modes.split(","):
        result = run(args.corpus.resolve(), mode, args.saves, args.pause)
        result["when"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        print(json.dumps(result, ensure_ascii=False))
        with (HERE / "results" / "preview.jsonl").open("a", encoding="utf-8") as f:
            f.write(json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
