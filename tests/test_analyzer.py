"""Golden cases for the one analyzer: folding, segmentation with the user dictionary, query parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.corpus.taxonomy import load_taxonomy
from site_builder.text.analyzer import Analyzer
from site_builder.text.fold import fold, fold_table, is_traditional

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def analyzer(tmp_path_factory: pytest.TempPathFactory) -> Analyzer:
    taxonomy, problems = load_taxonomy(REPO / "diaries")
    assert problems == []
    return Analyzer(taxonomy, REPO / "diaries" / "userdict.txt", tmp_path_factory.mktemp("cache"))


def test_fold_keeps_length_and_offsets():
    pairs = [("物業棄管", "物业弃管"), ("馬葫蘆", "马葫芦"), ("留守兒童", "留守儿童"), ("獨居老人", "独居老人"),
             ("屋頂漏水", "屋顶漏水"), ("裡面", "里面"), ("清理牛皮癬", "清理牛皮癣")]
    for trad, simp in pairs:
        assert fold(trad) == simp
        assert len(fold(trad)) == len(trad)
    assert all(len(k) == len(v) == 1 for k, v in fold_table().items())
    assert is_traditional("物業棄管小區選出業主委員會") and not is_traditional("物业弃管小区选出业主委员会")


@pytest.mark.parametrize("text, expected", [
    ("马葫芦堵了", ["马葫芦"]),
    ("馬葫蘆堵塞", ["马葫芦"]),
    ("网格长楼栋长单元长", ["网格长", "楼栋长", "单元长"]),
    ("四步议事工作法", ["四步议事工作法"]),
    ("弃管楼", ["弃管楼"]),
    ("楼上跑水", ["跑水"]),
    ("低保户年度复核", ["低保户", "低保"]),  # the whole word and its sub-word
    ("獨居老人", ["独居老人", "老人"]),
    ("清理牛皮癬小廣告", ["牛皮癣", "小广告"]),
])
def test_tokens_keep_local_terms_whole(analyzer, text, expected):
    tokens = analyzer.tokens(text)
    for word in expected:
        assert word in tokens, (text, tokens)


def test_tokens_drop_punctuation_and_stop_chars(analyzer):
    tokens = analyzer.tokens("今天，我们去了！")
    assert "，" not in tokens and "！" not in tokens and "了" not in tokens and "我们" in tokens


def parse(analyzer, q, vocab=("屋顶", "漏水", "马葫芦", "堵", "老人", "走失", "低保", "弃管", "物业")):
    return analyzer.parse(q, lambda t: t in vocab)


def test_filler_is_dropped(analyzer):
    p = parse(analyzer, "马葫芦堵了咋整")
    # 马葫芦堵 is a declared variant of 下水堵: one concept that matches any word of the group
    assert [c.label for c in p.concepts] == ["马葫芦堵"]
    assert {"马葫芦", "下水堵", "返水"} <= set(p.concepts[0].terms)
    assert set(p.dropped) == {"了", "咋整"}
    p = parse(analyzer, "老人总走失怎么办")
    assert [c.label for c in p.required] == ["老人", "走失"] and p.dropped == ("怎么办",)


def test_dialect_and_synonyms_expand(analyzer):
    leak = parse(analyzer, "楼上跑水怎么办").concepts
    assert any("漏水" in c.terms and "跑水" in c.terms for c in leak)
    weights = {a.term: a.weight for c in leak for a in c.alternatives}
    assert weights["跑水"] == 100 and weights["漏水"] < 100  # what was typed counts most
    flyers = parse(analyzer, "小广告").concepts[0]
    assert "牛皮癣" in flyers.terms
    assert "弃管" in parse(analyzer, "物业不管了怎么办").concepts[0].terms
    assert "弃管" in parse(analyzer, "没有物业").concepts[0].terms


def test_traditional_query_folds(analyzer):
    assert parse(analyzer, "物業棄管").concepts[0].label == "物业弃管"
    assert parse(analyzer, "馬葫蘆").concepts[0].label == "马葫芦"


def test_two_words_are_two_concepts(analyzer):
    p = parse(analyzer, "屋顶 漏水")
    assert [c.label for c in p.required] == ["屋顶", "漏水"]


def test_version_changes_with_dictionary(tmp_path):
    taxonomy, _ = load_taxonomy(REPO / "diaries")
    a = Analyzer(taxonomy, REPO / "diaries" / "userdict.txt", tmp_path)
    extra = tmp_path / "userdict.txt"
    extra.write_text((REPO / "diaries" / "userdict.txt").read_text(encoding="utf-8") + "新造词语\n", encoding="utf-8")
    b = Analyzer(taxonomy, extra, tmp_path)
    assert a.version != b.version
    a.tokens("马葫芦")
    assert (tmp_path / "jieba").is_dir()  # jieba's cache lives in the project cache, not the shared temp dir


def test_the_cli_starts_without_loading_jieba_or_pypinyin() -> None:
    """Each costs ~0.5–1 s to import; `diary search` of a current index, `diary new` and `--help` need neither."""
    import subprocess
    import sys

    code = "import sys, site_builder.cli; print(sorted(m for m in ('jieba', 'pypinyin') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", out


def test_the_dictionary_file_name_is_jiebas() -> None:
    import jieba

    from site_builder.text import segment

    assert segment._JIEBA_DICT == jieba.DEFAULT_DICT_NAME
    assert "狗" in segment.noun_characters()


def test_dictionary_shards_segment_as_the_whole_dictionary(tmp_path: Path):
    """The second process loads the dictionary by first character (segment.Shards): every sample diary is cut into
    the same tokens and words as with jieba's whole dictionary plus the project's words."""
    from site_builder.text.segment import Segmenter

    texts = [p.read_text(encoding="utf-8").lower() for p in sorted((REPO / "diaries").rglob("*.md"))]
    words = ["马葫芦", "网格长", "弃管楼", "物业弃管"]
    whole = Segmenter(words, tmp_path)
    expected = [(whole.search_tokens(t), whole.words(t)) for t in texts]
    assert whole._shards is None and list(tmp_path.glob("shards-*.bin"))
    sharded = Segmenter(words, tmp_path)
    assert [(sharded.search_tokens(t), sharded.words(t)) for t in texts] == expected
    assert sharded._shards is not None  # it did come from the shards
    assert "马葫芦" in sharded.search_tokens("马葫芦堵了")


def test_dictionary_shards_follow_the_project_words(tmp_path: Path):
    """Other project words are another dictionary: their shards are not the old ones; a damaged file is ignored."""
    from site_builder.text.segment import Segmenter

    Segmenter(["马葫芦"], tmp_path).search_tokens("马葫芦")
    with_word = Segmenter(["马葫芦", "堵了咋整"], tmp_path)
    assert "堵了咋整" in with_word.search_tokens("马葫芦堵了咋整")
    assert with_word._shards is None  # a new key: the whole dictionary, then its own shards
    assert len(list(tmp_path.glob("shards-*.bin"))) == 2
    for shard in tmp_path.glob("shards-*.bin"):
        shard.write_bytes(shard.read_bytes()[:1000])
    damaged = Segmenter(["马葫芦", "堵了咋整"], tmp_path)
    assert "堵了咋整" in damaged.search_tokens("马葫芦堵了咋整") and damaged._shards is None


def test_dictionary_shards_damaged_inside_fall_back_to_the_whole_dictionary(tmp_path: Path):
    from site_builder.text.segment import Segmenter

    expected = Segmenter(["马葫芦"], tmp_path).search_tokens("马葫芦堵了，楼上跑水")
    (shard,) = tmp_path.glob("shards-*.bin")
    data = bytearray(shard.read_bytes())
    data[len(data) // 2: len(data) // 2 + 4000] = b"\xff" * 4000  # same size: the head reads fine
    shard.write_bytes(bytes(data))
    again = Segmenter(["马葫芦"], tmp_path)
    assert again.search_tokens("马葫芦堵了，楼上跑水") == expected
    texts = [p.read_text(encoding="utf-8").lower() for p in sorted((REPO / "diaries").rglob("*.md"))[:80]]
    whole = Segmenter(["马葫芦"], tmp_path / "fresh")
    assert [again.search_tokens(t) for t in texts] == [whole.search_tokens(t) for t in texts]


def test_jieba_without_pkg_resources_reads_its_dictionary_the_same(tmp_path: Path):
    """A fresh process imports jieba with pkg_resources blocked (segment._import_jieba): jieba opens its dict.txt
    beside its module instead, and cuts exactly as this process does; pkg_resources stays importable."""
    import json
    import subprocess
    import sys

    from site_builder.text.segment import Segmenter

    text = "网格长去马葫芦那里看了看，低保户年度复核，楼上跑水淹了二楼"
    probe = ("import json, sys; from pathlib import Path; from site_builder.text.segment import Segmenter; "
             "s = Segmenter(['马葫芦', '网格长'], Path(sys.argv[1])); t = s.search_tokens(sys.argv[2]); "
             "blocked = 'pkg_resources' not in sys.modules; import pkg_resources; "
             "print(json.dumps([t, blocked, s._shards is None]))")
    out = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "a"), text], capture_output=True, text=True,
                         check=True, cwd=REPO)
    tokens, blocked, whole = json.loads(out.stdout)
    assert blocked and whole  # the whole dictionary, read through jieba's fallback
    assert tokens == Segmenter(["马葫芦", "网格长"], tmp_path / "b").search_tokens(text)
    assert "马葫芦" in tokens and "网格长" in tokens
