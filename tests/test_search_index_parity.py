"""The Whoosh index `diary search` keeps up to date after edits equals one built from scratch (issue #15.6).

Edits, deletions, renames and additions go through the CLI the way a secretary's saves do: each `diary search`
notices the changed sources and updates the index incrementally. Then a fresh index is built from the same files in
another cache folder and both must hold the same documents with the same terms and give the same results.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import make_project

from site_builder.cli import main
from site_builder.corpus.load import load_corpus
from site_builder.model import Settings
from site_builder.search.whoosh_index import DiaryIndex
from site_builder.text.analyzer import get_analyzer

ENTRIES = {
    "2019/jianxiu.md": "---\ndate: 2019-03-02\ntitle: 单元门禁检修\ntopics: [weixiu]\n---\n"
                       "物业来检修门禁，三号楼的门禁检修了两天才好。\n",
    "2019/loushui.md": "---\ndate: 2019-06-11\ntitle: 楼顶漏水\n---\n连着下雨，顶楼三户漏雨，先盖塑料布。\n",
    "2020/dibao.md": "---\ndate: 2020-01-08\ntitle: 低保户年度复核\ntopics: [jiuzhu]\n---\n"
                     "今天给三户低保户做年度复核。\n",
    "2020/zoushi.md": "---\ndate: 2020-09-30\ntitle: 老人走丢了\ntopics: [weilao]\n---\n"
                      "独居的张大爷早上出门没回来，网格员和民警一起找到了他。\n",
    "2021/gouyao.md": "---\ndate: 2021-05-05\ntitle: 遛狗不拴绳\n---\n邻居的狗天天叫，两家吵起来了。\n",
}
QUERIES = ["检修", "维修", "门禁 维修", "楼顶漏水", "低保", "老人走失", "狗叫扰民", "报修", "门禁", "漏雨 低保"]


def index_contents(index: DiaryIndex) -> dict[str, dict[str, Any]]:
    """Every live document: its stored fields and its index terms with their levels (Whoosh's frequencies)."""
    ix = index.open()
    with ix.searcher() as s:
        reader = s.reader()
        docs: dict[str, dict[str, Any]] = {}
        number = {}
        for n, fields in reader.iter_docs():
            docs[fields["id"]] = {"fields": dict(fields), "terms": {}}
            number[n] = fields["id"]
        for field, term in reader.all_terms():
            if field != "terms":
                continue
            m = reader.postings("terms", term)
            while m.is_active():
                docs[number[m.id()]]["terms"][term.decode() if isinstance(term, bytes) else term] = int(m.weight())
                m.next()
        assert reader.doc_count() == len(docs)
        return docs


def results(index: DiaryIndex) -> dict[str, list[tuple[str, int, bool]]]:
    return {q: [(h.id, h.score, h.full) for h in index.search(q, limit=100).hits] for q in QUERIES}


def search_cli(root: Path, capsys: pytest.CaptureFixture[str], q: str = "维修") -> dict[str, Any]:
    assert main(["--root", str(root), "search", "--json", "--limit", "100", q]) == 0
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    return out


def test_incremental_index_equals_a_fresh_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "p", ENTRIES)
    diaries = root / "diaries"
    search_cli(root, capsys)  # first run: the index is built
    assert "jianxiu" in {r["id"] for r in search_cli(root, capsys, "检修")["results"]}

    # a word changed in an entry: 检修 → 维修
    f = diaries / "2019" / "jianxiu.md"
    f.write_text(f.read_text(encoding="utf-8").replace("检修", "维修"), encoding="utf-8")
    assert "jianxiu" not in {r["id"] for r in search_cli(root, capsys, "检修")["results"]}
    assert "jianxiu" in {r["id"] for r in search_cli(root, capsys, "门禁 维修")["results"]}
    # an entry deleted
    (diaries / "2020" / "dibao.md").unlink()
    assert search_cli(root, capsys, "低保")["results"] == []
    # a file renamed (its id is its name) and one added
    (diaries / "2019" / "loushui.md").rename(diaries / "2019" / "louding-loushui.md")
    (diaries / "2021" / "menjin.md").write_text("---\ndate: 2021-08-01\ntitle: 门禁又坏了\n---\n门禁坏了，报修。\n",
                                                encoding="utf-8")
    ids = [r["id"] for r in search_cli(root, capsys, "楼顶漏水")["results"]]
    assert "louding-loushui" in ids and "loushui" not in ids

    settings = Settings(diaries, root / ".cache" / "diary")
    corpus, _ = load_corpus(settings)
    analyzer = get_analyzer(corpus.taxonomy, diaries / "userdict.txt", settings.cache_dir)
    kept = DiaryIndex(settings, analyzer)
    assert kept.update(corpus) == (0, 0)  # diary search left it up to date
    fresh = DiaryIndex(Settings(diaries, tmp_path / "fresh-cache"), analyzer)
    assert fresh.update(corpus) == (len(corpus.entries), 0)

    incremental, scratch = index_contents(kept), index_contents(fresh)
    assert set(incremental) == {e.id for e in corpus.entries} == set(scratch)
    assert incremental == scratch
    assert results(kept) == results(fresh)
    assert any(results(fresh).values())


def test_an_entry_deleted_after_indexing_is_never_shown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "p", ENTRIES)
    assert [r["id"] for r in search_cli(root, capsys, "低保")["results"]] == ["dibao"]
    (root / "diaries" / "2020" / "dibao.md").unlink()
    assert main(["--root", str(root), "search", "低保"]) == 0  # terminal output: no traceback, nothing stale
    out = capsys.readouterr().out
    assert "没有找到" in out and "低保户年度复核" not in out


def test_a_file_vanishing_while_the_corpus_is_read_does_not_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The file is listed, then gone when it is read (a save in an editor that writes a temp file and renames)."""
    import site_builder.corpus.load as corpus_module
    from site_builder.corpus.discover import discover_all

    root = make_project(tmp_path / "p", ENTRIES)
    search_cli(root, capsys)
    gone = root / "diaries" / "2020" / "zoushi.md"
    real = discover_all
    listed = []

    def discover_then_delete(diaries_dir: Path) -> Any:
        found = real(diaries_dir)
        listed.append(gone in found[0])
        if gone.exists():
            gone.unlink()
        return found

    monkeypatch.setattr(corpus_module, "discover_all", discover_then_delete)
    (root / "diaries" / "2021" / "gouyao.md").touch()  # something changed: the corpus is read again
    out = search_cli(root, capsys, "老人走失")
    assert listed and listed[0]  # it was listed when the corpus was read, and gone when its turn came
    assert "zoushi" not in {r["id"] for r in out["results"]}
