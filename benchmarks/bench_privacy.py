#!/usr/bin/env python3
"""How well the personal-data guard holds back what it should, and only that.

Usage (project venv, it imports site_builder):
  .venv/bin/python benchmarks/bench_privacy.py [--jionlp /path/with/jionlp] [--show]

* Precision: every entry of the sample diaries (diaries/, with their people.yml), the field-test diaries
  (../shared/fieldtest/diaries) and a list of ordinary sentences full of numbers (tests/planted_pii.ORDINARY: dates,
  amounts like 1038户, 7元, years, 12号楼 without a room, phone-like counts) goes through the loader; every pii-*
  finding there is a false alarm, since none of them holds personal data.
* Recall: the planted set (tests/planted_pii.planted(): 170-odd items in the forms people write, in every published
  field) goes through the same loader, once with nothing masked (each item's entry must be held back) and once with
  the college masking every kind (each item must be published masked, or held back where masking cannot help:
  URLs). An item leaks when its entry is published and the item can still be read in any published field.
* jionlp (optional, `--jionlp DIR` where `pip install --target DIR jionlp` put it): its phone, ID-card and plate
  extractors on the same planted texts and ordinary entries, beside ours, per kind.

Appends one JSON line to benchmarks/results/privacy.jsonl and prints Markdown tables.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIELDTEST = ROOT.parent.parent / "shared" / "fieldtest" / "diaries"
if not FIELDTEST.is_dir():
    FIELDTEST = Path("/work/shared/fieldtest/diaries")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from planted_pii import MASK_ALL, ORDINARY, PEOPLE_YML, Planted, entry_files, leaks, planted  # noqa: E402

from site_builder.corpus.load import load_corpus  # noqa: E402
from site_builder.diagnostics import Diagnostic  # noqa: E402
from site_builder.model import Entry, Settings  # noqa: E402

KIND_OF_CODE = {"pii-phone": "phone", "pii-id-number": "id", "pii-bank-card": "bank", "pii-plate": "plate",
                "pii-address": "address", "pii-name": "name", "pii-number": "number"}
TAXONOMY = ("topics.yml", "methods.yml", "userdict.txt", "glossary.yml")


def project(tmp: Path, name: str, files: dict[str, str], *, copy_from: Path | None = None) -> Path:
    diaries = tmp / name / "diaries"
    if copy_from is not None:
        shutil.copytree(copy_from, diaries)
    diaries.mkdir(parents=True, exist_ok=True)
    for t in TAXONOMY:
        if not (diaries / t).exists() and (ROOT / "diaries" / t).exists():
            shutil.copy(ROOT / "diaries" / t, diaries / t)
    for rel, text in files.items():
        (diaries / rel).parent.mkdir(parents=True, exist_ok=True)
        (diaries / rel).write_text(text, encoding="utf-8")
    return diaries


def load(diaries: Path) -> tuple[tuple[Entry, ...], list[Diagnostic], float]:
    start = time.perf_counter()
    corpus, problems = load_corpus(Settings(diaries, diaries.parent / ".cache"), suggest=False)
    return corpus.entries, problems, time.perf_counter() - start


_UNREAD_KEYS = re.compile(r"^(?:案例|主题|主題|topics|case|标签|標籤)\s*[:：].*\n", re.M)


def _publishable(diaries: Path) -> None:
    """Front-matter lines this branch's loader may reject (Chinese case names, topics in a secretary's own words) are
    dropped, so every field-test entry reaches the guard; its text is what is measured, not its front matter."""
    for p in diaries.rglob("*.md"):
        text = p.read_text(encoding="utf-8")
        head, sep, body = text.partition("\n---\n")
        p.write_text(_UNREAD_KEYS.sub("", head + "\n").rstrip("\n") + sep + body, encoding="utf-8")


def guard_seconds(diaries: Path, repeats: int = 3) -> float:
    """The guard alone (`protect`) over every entry of a folder, best of a few runs, its cache emptied each time."""
    import site_builder.privacy as privacy
    from site_builder.corpus.load import load_files
    from site_builder.corpus.taxonomy import load_taxonomy

    entries = [f.entry for f in load_files(diaries, load_taxonomy(diaries)[0]) if f.entry is not None]
    best = float("inf")
    for _ in range(repeats):
        checked = getattr(getattr(privacy, "guard", privacy), "_checked", None)
        if checked is not None:
            checked.cache_clear()
        start = time.perf_counter()
        privacy.protect(entries, diaries)
        best = min(best, time.perf_counter() - start)
    return round(best, 3)


def pii(problems: list[Diagnostic]) -> list[Diagnostic]:
    return [p for p in problems if p.code.startswith("pii-")]


# --- precision -------------------------------------------------------------------------------------------------------
def ordinary(tmp: Path) -> dict[str, Any]:
    sets: dict[str, Any] = {}
    sample = project(tmp, "sample", {}, copy_from=ROOT / "diaries")
    field = project(tmp, "field", {}, copy_from=FIELDTEST)
    _publishable(field)
    sentences = project(tmp, "sentences", {
        f"2020/ordinary-{i:02d}.md": f"---\n日期: 2020-01-{1 + i % 28:02d}\n标题: 平常的一天{i}\n---\n{s}\n"
        for i, s in enumerate(ORDINARY)})
    for name, diaries in (("sample diaries", sample), ("field-test diaries", field), ("ordinary sentences", sentences)):
        files = len([p for p in diaries.rglob("*.md") if p.name.lower() not in {"readme.md", "模板.md"}])
        entries, problems, seconds = load(diaries)
        found = pii(problems)
        sets[name] = {"files": files, "published": len(entries), "findings": len(found),
                      "held_back": len({p.path for p in found}), "seconds": round(seconds, 2),
                      "examples": [p.format() for p in found[:20]]}
    return sets


# --- recall ----------------------------------------------------------------------------------------------------------
def _published_text(e: Entry) -> str:
    return "\n".join((e.title, e.body, e.author, e.community, e.id, e.case))


def recall(tmp: Path, items: list[Planted], *, masked: bool) -> dict[str, Any]:
    files = entry_files(items)
    names = list(files)
    files["people.yml"] = PEOPLE_YML + (MASK_ALL if masked else "")
    diaries = project(tmp, "masked" if masked else "planted", files)
    entries, problems, seconds = load(diaries)
    by_file = {f"diaries/{e.rel_source}": e for e in entries}
    found: dict[str, list[Diagnostic]] = {}
    for p in problems:
        found.setdefault(p.path, []).append(p)
    rows = []
    for item, rel in zip(items, names, strict=True):
        path = f"diaries/{rel}"
        e = by_file.get(path)
        codes = [p.code for p in found.get(path, [])]
        if e is None:
            outcome = "held back" if any(c.startswith("pii-") for c in codes) else "not published (other error)"
        else:
            outcome = "leaked" if leaks(item.secret, _published_text(e)) else "masked" if masked else "replaced"
        expected_line = files[rel].split("---\n")[1].count("\n") + 4  # ---, front matter, ---, 上午走访。, item
        right_line = item.where != "body" or e is not None or any(p.line == expected_line for p in found.get(path, [])
                                                  if p.code.startswith("pii-"))
        shown = "\n".join((e.body, e.title, e.author, e.community)) if e is not None else ""
        stars = "X" in shown if item.kind == "address" else "某" in shown if item.kind == "name" else "＊" in shown
        rows.append({"kind": item.kind, "form": item.form, "where": item.where, "outcome": outcome,
                     "kind_found": any(KIND_OF_CODE.get(c) == item.kind for c in codes), "codes": codes,
                     "right_line": right_line, "stars": stars})
    caught = [r for r in rows if r["outcome"] in {"held back", "masked", "replaced"}]
    masked_rows = [r for r in rows if r["outcome"] == "masked"]
    return {"items": len(rows), "caught": len(caught), "seconds": round(seconds, 2),
            "mask_shown": f"{sum(r['stars'] for r in masked_rows)}/{len(masked_rows)}",
            "by_kind": {k: f"{sum(r in caught for r in rows if r['kind'] == k)}/{sum(r['kind'] == k for r in rows)}"
                        for k in sorted({r["kind"] for r in rows})},
            "outcomes": dict(Counter(r["outcome"] for r in rows)),
            "wrong_line": [f"{r['kind']} {r['form']}" for r in rows if not r["right_line"] and not masked],
            "missed": [f"{r['kind']} {r['form']} ({r['where']}): {r['outcome']}" for r in rows
                       if r not in caught]}


# --- jionlp beside ours ----------------------------------------------------------------------------------------------
def jionlp_compare(tmp: Path, items: list[Planted], jio_path: str) -> dict[str, Any]:
    sys.path.insert(0, jio_path)
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        import jionlp as jio  # type: ignore[import-not-found]

    extractors = {"phone": jio.extract_phone_number, "id": jio.extract_id_card,
                  "plate": jio.extract_motor_vehicle_licence_plate}
    body_items = [i for i in items if i.where == "body"]
    ours = {r["form"]: r for r in _recall_rows(tmp, body_items)}
    out: dict[str, Any] = {}
    for kind in ("phone", "id", "bank", "plate", "address"):
        mine = [i for i in body_items if i.kind == kind]
        ours_hits = sum(ours[i.form]["kind_found"] for i in mine)
        if kind not in extractors:
            out[kind] = {"planted": len(mine), "ours": ours_hits, "jionlp": None}
            continue
        jio_hits = 0
        for i in mine:
            found = extractors[kind](i.written)
            jio_hits += bool(found)
        out[kind] = {"planted": len(mine), "ours": ours_hits, "jionlp": jio_hits}
    # false alarms on ordinary text: every extraction jionlp makes on entries that hold no personal data
    texts = []
    for name, src in (("sample", ROOT / "diaries"), ("field", FIELDTEST)):
        diaries = project(tmp, f"jio-{name}", {}, copy_from=src)
        _publishable(diaries)
        entries, _, _ = load(diaries)
        texts += [f"{e.title}\n{e.author}\n{e.community}\n{e.body}" for e in entries]
    texts += ORDINARY
    for kind, extract in extractors.items():
        hits = [h["text"] for t in texts for h in extract(t, detail=True)]
        out[kind]["jionlp_false_alarms"] = len(hits)
        out[kind]["jionlp_false_alarm_examples"] = hits[:8]
    return out


def _recall_rows(tmp: Path, items: list[Planted]) -> list[dict[str, Any]]:
    files = entry_files(items)
    names = list(files)
    files["people.yml"] = PEOPLE_YML
    diaries = project(tmp, "jio-ours", files)
    _, problems, _ = load(diaries)
    found: dict[str, list[str]] = {}
    for p in problems:
        found.setdefault(p.path, []).append(p.code)
    return [{"form": i.form, "kind_found": any(KIND_OF_CODE.get(c) == i.kind for c in found.get(f"diaries/{n}", []))}
            for i, n in zip(items, names, strict=True)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jionlp", help="a folder where `pip install --target` put jionlp and its dependencies")
    ap.add_argument("--show", action="store_true", help="print every false alarm and every missed item")
    ap.add_argument("--label", default="", help="what code was measured (kept in the JSON line)")
    args = ap.parse_args()
    items = planted()
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        result: dict[str, Any] = {
            "date": dt.datetime.now().isoformat(timespec="seconds"), "label": args.label, "nproc": os.cpu_count(),
            "load": os.getloadavg()[0], "ordinary": ordinary(tmp),
            "planted": recall(tmp, items, masked=False), "planted_masked": recall(tmp, items, masked=True),
            "guard_seconds_sample": guard_seconds(ROOT / "diaries"),
        }
        if args.jionlp:
            result["jionlp"] = jionlp_compare(tmp, items, args.jionlp)
    print(f"nproc {result['nproc']}, load {result['load']:.2f}\n")
    print("| ordinary text | files | published | pii findings | entries held back | load s |")
    print("|---|---|---|---|---|---|")
    for name, r in result["ordinary"].items():
        print(f"| {name} | {r['files']} | {r['published']} | {r['findings']} | {r['held_back']} | {r['seconds']} |")
    print(f"\nthe guard alone over the {result['ordinary']['sample diaries']['files']} sample diaries: "
          f"{result['guard_seconds_sample']} s")
    for key, label in (("planted", "nothing masked"), ("planted_masked", "every kind masked")):
        r = result[key]
        print(f"\nplanted, {label}: {r['caught']}/{r['items']} caught; {r['outcomes']}; by kind {r['by_kind']}")
        if r["mask_shown"] != "0/0":
            print(f"  masks visible (＊, X, 某) in the published text: {r['mask_shown']}")
        if r["wrong_line"]:
            print(f"  wrong line: {r['wrong_line']}")
        if args.show:
            for m in r["missed"]:
                print("  missed:", m)
    if args.show:
        for name, r in result["ordinary"].items():
            for ex in r["examples"]:
                print(f"  false alarm ({name}): {ex}")
    if "jionlp" in result:
        print("\n| kind | planted (body) | ours found | jionlp found | jionlp false alarms on ordinary text |")
        print("|---|---|---|---|---|")
        for kind, r in result["jionlp"].items():
            jio = "no extractor" if r["jionlp"] is None else r["jionlp"]
            print(f"| {kind} | {r['planted']} | {r['ours']} | {jio} | {r.get('jionlp_false_alarms', '—')} |")
            if args.show and r.get("jionlp_false_alarm_examples"):
                print(f"  jionlp {kind} false alarms: {r['jionlp_false_alarm_examples']}")
    out = HERE / "results" / "privacy.jsonl"
    out.parent.mkdir(exist_ok=True)
    with out.open("a", encoding="utf-8") as f:
        f.write(json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
