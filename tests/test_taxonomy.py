"""topics.yml, methods.yml and glossary.yml written by hand: a bad slug is reported and left out, the rest load."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.corpus.taxonomy import load_taxonomy

HOSTILE = ["../../evil", "a\" onclick=\"x", "x) [y](javascript:alert(1)", "Wuye", ".hidden", "物业"]


@pytest.mark.parametrize("slug", HOSTILE)
def test_a_slug_that_is_no_url_part_is_refused_in_every_file(tmp_path: Path, slug: str) -> None:
    d = tmp_path / "diaries"
    d.mkdir()
    (d / "topics.yml").write_text(f"topics:\n  - {{slug: wuye, name: 物业}}\n  - {{slug: '{slug}', name: 坏主题}}\n",
                                  encoding="utf-8")
    (d / "methods.yml").write_text("methods:\n  - {slug: baobao, name: 包保}\n"
                                   f"  - {{slug: '{slug}', name: 坏方法}}\n", encoding="utf-8")
    (d / "glossary.yml").write_text("terms:\n  - {term: 马葫芦, slug: mahulu, meaning: 检查井}\n"
                                    f"  - {{term: 坏术语, slug: '{slug}', meaning: 什么}}\n", encoding="utf-8")
    taxonomy, problems = load_taxonomy(d)
    assert [t.slug for t in taxonomy.topics] == ["wuye"]
    assert [m.slug for m in taxonomy.methods] == ["baobao"]
    assert [g.slug for g in taxonomy.glossary] == ["mahulu"]
    bad = [p for p in problems if p.code == "bad-taxonomy"]
    assert len(bad) == 3, [p.format() for p in problems]
    assert {Path(p.path).name for p in bad} == {"topics.yml", "methods.yml", "glossary.yml"}
    assert all("只能用小写字母、数字和连字符" in p.message for p in bad)
