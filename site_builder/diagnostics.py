"""Problems found in the secretary's files: collected, never raised one by one, formatted in one place.

Every code has a Chinese explanation and a fix (CODES); the page 如何写日记 lists them all and a test checks it does.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


@dataclass(frozen=True)
class CodeInfo:
    severity: Severity
    title: str  # what is wrong, in general terms
    fix: str  # how to fix it, in general terms


E, W = Severity.ERROR, Severity.WARNING

CODES: dict[str, CodeInfo] = {
    "empty-file": CodeInfo(E, "文件是空的", "写上日期、标题和正文，或者删掉这个文件"),
    "binary-file": CodeInfo(E, "不是文本文件（可能是 Word 或图片）",
                "Word 文件请用 `diary import` 导入；日记要存成 .md 文本"),
    "bad-encoding": CodeInfo(E, "文件编码认不出来", "用记事本“另存为”，编码选 UTF-8"),
    "gbk-encoding": CodeInfo(W, "文件是 GBK（ANSI）编码", "运行 `diary check --fix` 自动转成 UTF-8，或另存为 UTF-8"),
    "no-front-matter": CodeInfo(E, "开头没有 `---` 信息头", "第一行写 `---`，接着写 `日期:`、`标题:`，再写一行 `---`"),
    "unclosed-front-matter": CodeInfo(E, "信息头没有结束的 `---`", "在标题等信息的下一行单独写一行 `---`"),
    "yaml-syntax": CodeInfo(E, "信息头的格式写错了", "每行写成“名称: 内容”，冒号后面空一格"),
    "yaml-tab": CodeInfo(W, "信息头里用了 Tab 键缩进", "把 Tab 换成空格（已按空格读取）"),
    "fullwidth-colon": CodeInfo(W, "信息头用了中文冒号“：”",
                "把“：”改成英文冒号加空格“: ”；`diary check --fix` 可自动改"),
    "colon-no-space": CodeInfo(W, "信息头的冒号后面没有空格",
                "在冒号后面加一个空格，例如 `标题: 屋顶漏水`；`diary check --fix` 可自动改"),
    "not-a-mapping": CodeInfo(E, "信息头不是“名称: 内容”的形式", "每行写成“名称: 内容”，例如 `标题: 屋顶漏水`"),
    "missing-date": CodeInfo(E, "缺少日期", "加一行 `日期: 2020-03-05`"),
    "missing-title": CodeInfo(E, "缺少标题", "加一行 `标题: 一句话说清这件事`"),
    "bad-date": CodeInfo(E, "日期认不出来", "写成 2020-03-05、2020年3月5日、2020/3/5 或 2020.3.5"),
    "impossible-date": CodeInfo(E, "日期不存在（比如 2月30日）", "核对日历，改成真实的日期"),
    "unknown-key": CodeInfo(W, "信息头里有不认识的名称", "检查拼写；能用的名称见“如何写日记”"),
    "topics-not-list": CodeInfo(W, "主题写成了一串文字，不是列表",
                "写成 `主题: [物业管理与业委会, 居民议事]`（已按顿号、逗号拆开）"),
    "unknown-topic": CodeInfo(E, "主题不在主题表里", "用 diaries/topics.yml 里的主题名，或先把新主题加进主题表"),
    "unknown-method": CodeInfo(W, "工作法不在工作法表里", "用 diaries/methods.yml 里的名称，或先把它加进工作法表"),
    "bad-visibility": CodeInfo(E, "“公开”只能写 public（公开）或 private（不公开）",
                "写 `公开: private` 让这篇只留在本机"),
    "bad-status": CodeInfo(W, "状态只能是 已解决、跟进中、未解决", "改成这三个之一，或删掉这一行"),
    "bad-case-id": CodeInfo(E, "案例线索编号只能用小写字母、数字和连字符",
                "写成 `案例: 2020-huguang-yeweihui` 这样的形式"),
    "bad-id": CodeInfo(E, "网址编号只能用小写字母、数字和连字符", "删掉 `id:` 这一行，或改成 `id: 2020-03-05-wuding`"),
    "duplicate-id": CodeInfo(E, "两篇日记的网址编号相同", "改其中一个文件的文件名，或给它写一个不同的 `id:`"),
    "duplicate-entry": CodeInfo(W, "这篇和另一篇日记内容完全相同", "删掉重复的文件（网站只收录先读到的那一篇）"),
    "empty-body": CodeInfo(W, "只有信息头，没有正文", "在第二个 `---` 下面写正文"),
    "long-entry": CodeInfo(W, "这篇特别长，像是把很多天的日记放进了一个文件",
                           "把它移出 diaries/，再用 `diary import 文件` 按日期拆成多篇"),
    "not-found": CodeInfo(E, "找不到这个文件或文件夹", "检查路径是否写对；路径从项目文件夹（有 diaries/ 的那个）算起"),
    "fix-skipped": CodeInfo(W, "`--fix` 没有改这个文件", "按提示手动修改；改动后信息会变的地方不会自动改"),
    # `diary import`: digitized old diaries (.txt / .docx) split into entries at their date lines
    "import-unsupported": CodeInfo(E, "不能导入这种文件", "只能导入 .txt 和 .docx；老的 .doc 请用 Word“另存为” .docx"),
    "import-unreadable": CodeInfo(E, "文件打不开（可能已损坏，或正在被 Word 占用）",
                "关掉 Word 再试；或用 Word 打开后重新“另存为” .docx"),
    "import-no-dates": CodeInfo(E, "文件里没有找到日期行，无法按天拆分",
                "每天的日记前单独写一行日期，例如 `2019年3月5日 星期二 晴`"),
    "import-no-year": CodeInfo(E, "这一行只有月、日，前面没有写过年份",
                "把这一行改成带年份的日期，例如 `2019年3月7日`"),
    "import-preamble": CodeInfo(W, "第一个日期前面的文字没有导入", "如果这些文字属于某一天，在它前面加一行日期"),
    "import-empty-day": CodeInfo(W, "这一天只有日期，没有内容",
                "没有内容的日子不导入；如果内容在别处，把它挪到日期下面"),
    "bad-taxonomy": CodeInfo(E, "主题表或工作法表写错了", "按提示修改 diaries/topics.yml 或 diaries/methods.yml"),
    # residents' personal information in a public entry (see privacy/)
    "pii-phone": CodeInfo(E, "公开的日记里有电话号码",
                "删掉号码，或写成“留了电话”；确需保留请在信息头写 `允许: [电话]`"),
    "pii-id-number": CodeInfo(E, "公开的日记里有身份证号", "删掉身份证号"),
    "pii-bank-card": CodeInfo(E, "公开的日记里有银行卡号", "删掉卡号"),
    "pii-number": CodeInfo(E, "公开的日记里有一长串号码（像账号、卡号或证件号）",
                "删掉号码，或只写后四位，例如“尾号5678”"),
    "pii-plate": CodeInfo(E, "公开的日记里有车牌号", "删掉车牌号，写成“一辆私家车”"),
    "pii-address": CodeInfo(E, "公开的日记里有具体门牌地址（几号楼几单元几室）", "写成“某小区”“一栋老楼”“顶楼一户”"),
    "pii-name": CodeInfo(E, "公开的日记里有居民的真实姓名",
                "在 diaries/people.yml 里给这个人配一个化名，网站会自动替换"),
    "bad-people": CodeInfo(E, "化名表 people.yml 写错了", "每行写成“真实姓名: 化名”"),
}


@dataclass(frozen=True)
class Diagnostic:
    path: str  # as shown to the user (relative where possible)
    line: int  # 1-based; 0 when the problem is about the whole file
    code: str
    message: str  # specific, Chinese
    hint: str = ""  # how to fix this instance; defaults to the code's general fix

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity

    @property
    def fix(self) -> str:
        """How to fix this instance: its own hint, else the code's general fix."""
        return self.hint or CODES[self.code].fix

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity.label}[{self.code}] {self.message} — {self.hint or CODES[self.code].fix}"


def summary(diagnostics: list[Diagnostic], files: int) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    if not diagnostics:
        return f"检查了 {files} 个文件，没有发现问题。"
    return f"检查了 {files} 个文件：{errors} 个错误，{warnings} 个警告。"
