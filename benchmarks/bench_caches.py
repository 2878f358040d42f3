#!/usr/bin/env python3
"""What the caches buy (issues #13.6, #14.1 and #14.4): builds and `diary search` after one save, per code copy.

Usage (project venv; every timed command runs in a fresh process with PYTHONPATH set to one copy of the code):
  /work/main/.venv/bin/python benchmarks/bench_caches.py CORPUS --code LABEL=DIR [--code LABEL=DIR …] [--builds 2]

CORPUS is a `gen.py` corpus (its mkdocs.yml). DIR is a folder holding a `site_builder/` (the worktree, or a frozen
copy made with `git archive HEAD site_builder | tar -x -C DIR`), so two versions run on the same machine state.
For each copy, in this order:
1. `fresh build`: `mkdocs build` with CORPUS/.cache removed (nothing on disk to reuse);
2. `second build`: the same command again in a new process, the disk caches left by the first (what a secretary's
   next `mkdocs build` does);
3. `search first`: `diary --root CORPUS search 物业` with .cache removed (builds the Whoosh index and caches);
4. `after save (untagged)`: one line appended to an entry without topics (what a secretary writes; the tagger is
   the same), then the same search timed (the issue's target: ≤ 1.5 s at 7,000 entries); `again` (nothing
   changed); `after save (tagged)`: a line appended to a hand-tagged entry (the tagger must learn again), `again`;
   both entries restored, `after restore` (the old tagger state is still on disk). gen.py's corpus has topics on
   5,733 of 7,000 entries.
Wall time and peak RSS from /usr/bin/time. Appends one JSON line per copy to results/caches.jsonl and prints a table.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUERY = "物业"


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> dict[str, object]:
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, env=env, cwd=cwd)
    wall = time.perf_counter() - t0
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    user = re.search(r"User time \(seconds\): ([0-9.]+)", p.stderr)
    if p.returncode:
        sys.stderr.write(p.stderr[-3000:])
    return {"rc": p.returncode, "wall_s": round(wall, 2), "user_s": user and float(user.group(1)),
            "peak_rss_mb": rss and round(int(rss.group(1)) / 1024, 1),
            "first_line": (p.stdout.splitlines() or [""])[0]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--code", action="append", required=True, help="LABEL=DIR holding site_builder/")
    ap.add_argument("--builds", type=int, default=2, help="builds per copy: the first fresh, the rest reuse .cache")
    ap.add_argument("--no-build", action="store_true")
    a = ap.parse_args()
    root = Path(a.corpus).resolve()
    files = sorted((root / "diaries").rglob("*.md"))
    untagged = [f for f in files if b"\ntopics:" not in f.read_bytes()]
    tagged = [f for f in files if b"\ntopics:" in f.read_bytes()]
    entries = [untagged[len(untagged) // 2], tagged[len(tagged) // 2]]
    originals = [e.read_bytes() for e in entries]
    rows = []
    try:
        for spec in a.code:
            label, _, code = spec.partition("=")
            env = dict(os.environ, PYTHONPATH=str(Path(code).resolve()), NO_MKDOCS_2_WARNING="1",
                       DISABLE_MKDOCS_2_WARNING="true")
            py = sys.executable
            res: dict[str, object] = {"when": dt.datetime.now().isoformat(timespec="seconds"), "code": label,
                                      "corpus": root.name, "loadavg_before": [round(x, 2) for x in os.getloadavg()]}
            if not a.no_build:
                shutil.rmtree(root / ".cache", ignore_errors=True)
                builds = []
                for _ in range(a.builds):
                    shutil.rmtree(root / "site", ignore_errors=True)
                    builds.append(timed([py, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml"], env, root))
                res["builds"] = builds
            shutil.rmtree(root / ".cache", ignore_errors=True)
            search = [py, "-m", "site_builder", "--root", str(root), "search", QUERY]
            res["search_first"] = timed(search, env, root)
            res["search_cold_unchanged"] = timed(search, env, root)
            for kind, entry in zip(("untagged", "tagged"), entries, strict=True):
                with entry.open("ab") as f:
                    f.write("\n\n又去物业问了一次，答复下周来修。\n".encode())
                res[f"search_after_save_{kind}"] = timed(search, env, root)
                res[f"search_again_{kind}"] = timed(search, env, root)
            for entry, original in zip(entries, originals, strict=True):
                entry.write_bytes(original)
            res["search_after_restore"] = timed(search, env, root)
            rows.append(res)
            with open(HERE / "results" / "caches.jsonl", "a", encoding="utf-8") as out:
                out.write(json.dumps(res, ensure_ascii=False) + "\n")
    finally:
        for entry, original in zip(entries, originals, strict=True):
            entry.write_bytes(original)
    print(f"## caches — {root.name}, entries saved: {', '.join(str(e.relative_to(root)) for e in entries)}\n")
    print("| code | fresh build s | next build s | search first s | unchanged s | after save (untagged) s | again s | "
          "after save (tagged) s | again s | after restore s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        builds = r.get("builds") or []
        b = [str(x["wall_s"]) for x in builds]  # type: ignore[index]
        print(f"| {r['code']} | {b[0] if b else '—'} | {' / '.join(b[1:]) or '—'} | "
              f"{r['search_first']['wall_s']} | {r['search_cold_unchanged']['wall_s']} | "  # type: ignore[index]
              f"{r['search_after_save_untagged']['wall_s']} | {r['search_again_untagged']['wall_s']} | "  # type: ignore[index]
              f"{r['search_after_save_tagged']['wall_s']} | {r['search_again_tagged']['wall_s']} | "  # type: ignore[index]
              f"{r['search_after_restore']['wall_s']} |")  # type: ignore[index]
    return 0


if __name__ == "__main__":
    sys.exit(main())
