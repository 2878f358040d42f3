"""`diary search` on the Whoosh index: output, filters, JSON, incremental updates, analyzer-version rebuilds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import make_project

from site_builder.cli import main
from site_builder.corpus.load import load_corpus
from site_builder.model import Settings
from site_builder.search.static_index import PARTIAL_LINE
from site_builder.search.whoosh_index import DiaryIndex

ENTRIES = {
    "a.md": "---\ndate: 2009-01-15\ntitle: 腊月里马葫芦冒水\ntopics: [weixiu]\n---\n楼前的马葫芦堵了，污水冒到路上。\n",
    "b.md": "---\ndate: 2008-02-02\ntitle: 臘月裡馬葫蘆凍堵\n---\n院裡的馬葫蘆往外冒水，一樓返水。\n",
    "c.md": "---\ndate: 2010-07-19\ntitle: 棄管樓頂漏成了篩子\ntopics: [wuye, weixiu]\n---\n"
            "物業撤了，這棟樓沒人管，屋頂漏雨。\n",
    "d.md": "---\ndate: 2021-06-20\ntitle: 物业弃管以后选业委会\ntopics: [wuye]\n---\n"
            "物业弃管一年，业委会终于开始投票。\n",
    "e.md": "---\ndate: 2015-03-02\ntitle: 低保户年度复核\ntopics: [jiuzhu]\n---\n今天给三户低保户做年度复核。\n",
}


def run_json(root: Path, *args: str, capsys) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert main(["--root", str(root), "search", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_finds_both_scripts_and_drops_filler(tmp_path, capsys):
    root = make_project(tmp_path, ENTRIES)
    out = run_json(root, "马葫芦堵了咋整", capsys=capsys)
    # c is tagged 维修 and 马葫芦 is one of that topic's tagging keywords: not enough, a topic counts only for a
    # concept it names (see test_a_topic_name_matches_the_entries_tagged_with_it)
    assert {r["id"] for r in out["results"]} == {"a", "b"}
    assert set(out["ignored"]) == {"了", "咋整"}
    first = out["results"][0]
    assert set(first) == {"id", "url", "title", "date", "score", "full", "snippet"}
    assert first["url"].startswith("entries/") and first["url"].endswith(".html")
    trad = run_json(root, "物業棄管", capsys=capsys)
    assert {"c", "d"} <= {r["id"] for r in trad["results"]}
    # the snippet keeps the entry's own script
    assert any("棄管" in r["title"] or "棄管" in r["snippet"] for r in trad["results"])


def test_sub_words_and_filters(tmp_path, capsys):
    root = make_project(tmp_path, ENTRIES)
    assert [r["id"] for r in run_json(root, "低保", capsys=capsys)["results"]] == ["e"]
    assert {r["id"] for r in run_json(root, "漏水", "--topic", "wuye", capsys=capsys)["results"]} == {"c"}
    assert [r["id"] for r in run_json(root, "马葫芦", "--year", "2008", capsys=capsys)["results"]] == ["b"]
    assert len(run_json(root, "马葫芦", "--limit", "1", capsys=capsys)["results"]) == 1


def test_a_topic_name_matches_the_entries_tagged_with_it(tmp_path, capsys):
    root = make_project(tmp_path, ENTRIES)
    corpus, _ = load_corpus(Settings(root / "diaries", root / ".cache" / "diary"))
    tagged = {e.id for e in corpus.entries if "weixiu" in e.all_topics}  # a and c by hand, b by the tagger
    assert {"a", "c"} <= tagged and "e" not in tagged
    # no entry says 报修, an alias of the topic weixiu: the entries tagged with it are found, and only them
    out = run_json(root, "报修", capsys=capsys)
    assert {r["id"] for r in out["results"]} == tagged and out["total"] == len(tagged)
    # c says 屋顶 and is tagged: the one full match; the others only have the topic: partial, after it
    out = run_json(root, "屋頂 报修", capsys=capsys)
    assert (out["results"][0]["id"], out["results"][0]["full"]) == ("c", True)
    assert {r["id"] for r in out["results"][1:] if not r["full"]} == tagged - {"c"}
    assert (out["total"], out["partial"]) == (1, len(tagged) - 1)
    assert main(["--root", str(root), "search", "屋頂 报修"]) == 0
    lines = capsys.readouterr().out.splitlines()
    line = next(i for i, t in enumerate(lines) if t.startswith(PARTIAL_LINE))
    assert any("屋頂" in t for t in lines[:line]) and "共 1 条结果" in lines[0]


def test_a_word_no_entry_has_makes_every_result_partial(tmp_path, capsys):
    root = make_project(tmp_path, ENTRIES)
    out = run_json(root, "低保 征兵体检", capsys=capsys)  # 征兵体检 is in no entry: e has only 低保
    assert [(r["id"], r["full"]) for r in out["results"]] == [("e", False)] and out["total"] == 0
    assert out["missing"] == ["征兵体检"]


def test_terminal_output_highlights(tmp_path, capsys):
    root = make_project(tmp_path, ENTRIES)
    assert main(["--root", str(root), "search", "--color", "always", "马葫芦"]) == 0
    out = capsys.readouterr().out
    assert "共 2 条结果" in out and "\x1b[1;33m馬葫蘆\x1b[0m" in out
    assert main(["--root", str(root), "search", "完全不存在的词语组合"]) == 0
    assert "没有找到" in capsys.readouterr().out


def test_incremental_update_and_rebuild_on_new_dictionary(tmp_path):
    root = make_project(tmp_path, ENTRIES)
    settings = Settings(root / "diaries", root / ".cache" / "diary")
    corpus, _ = load_corpus(settings)
    index = DiaryIndex.for_corpus(corpus, settings)
    assert index.update(corpus) == (5, 0)
    assert index.update(corpus) == (0, 0)  # nothing changed, nothing written
    (root / "diaries" / "e.md").unlink()
    (root / "diaries" / "a.md").write_text(ENTRIES["a.md"].replace("污水", "脏水"), encoding="utf-8")
    corpus, _ = load_corpus(settings)
    assert index.update(corpus) == (1, 1)
    old_dir = index.dir
    with (root / "diaries" / "userdict.txt").open("a", encoding="utf-8") as f:
        f.write("开栓\n")
    corpus, _ = load_corpus(settings)
    fresh = DiaryIndex.for_corpus(corpus, settings)
    assert fresh.dir != old_dir  # another analyzer version → another index, built from scratch
    assert fresh.update(corpus) == (4, 0)
    assert not old_dir.exists()


def test_killed_indexing_run_leaves_a_usable_index(tmp_path):
    root = make_project(tmp_path, {f"e{i}.md": f"---\ndate: 2012-01-{i % 28 + 1:02d}\ntitle: 第{i}篇\n---\n"
                                   f"马葫芦第{i}次堵了，物业撤场以后没人管。\n" for i in range(400)})
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "-m", "site_builder", "--root", str(root), "search", "马葫芦"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.2)  # jieba is loaded by now; the run is indexing or about to
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = subprocess.run([*cmd, "--json", "--limit", "500"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == 400


def test_concurrent_writers_do_not_fail(tmp_path):
    root = make_project(tmp_path, {f"e{i}.md": f"---\ndate: 2012-02-{i % 28 + 1:02d}\ntitle: 第{i}篇\n---\n"
                                   f"暖气不热，找供热公司。{i}\n" for i in range(300)})
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "-m", "site_builder", "--root", str(root), "search", "--json", "暖气"]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert json.loads(out)["total"] == 300


def test_says_when_it_updates_the_index_and_only_then(tmp_path, capsys):
    """A save makes the next search re-read the diaries (seconds on a big corpus): it says so, on stderr."""
    root = make_project(tmp_path, ENTRIES)
    assert main(["--root", str(root), "search", "--json", "低保"]) == 0
    first = capsys.readouterr()
    assert "正在更新搜索索引" in first.err and json.loads(first.out)["total"] >= 1
    assert main(["--root", str(root), "search", "--json", "低保"]) == 0
    assert "正在更新搜索索引" not in capsys.readouterr().err  # nothing changed: no re-read, no message
    entry = root / "diaries" / "e.md"
    entry.write_text(entry.read_text(encoding="utf-8") + "又复核了一户。\n", encoding="utf-8")
    assert main(["--root", str(root), "search", "--json", "低保"]) == 0
    after = capsys.readouterr()
    assert "正在更新搜索索引" in after.err and "搜索索引已更新" in after.err
    json.loads(after.out)  # stdout is still pure JSON
