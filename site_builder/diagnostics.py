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
    "no-diaries-folder": CodeInfo(E, "找不到日记文件夹",
                "检查 mkdocs.yml 里的 `diaries_dir`，或在项目文件夹里建一个 diaries/"),
    "special-file": CodeInfo(W, "这不是普通文件（管道、设备、断开或循环的链接），没有读取",
                "把真正的日记文件放进 diaries/，删掉这个链接或特殊文件"),
    "unreadable-file": CodeInfo(W, "文件读不了（没有权限，或读取时不见了），这一篇没有读取",
                "检查文件是否还在、是否被别的程序占用，再运行一次"),
    "file-too-large": CodeInfo(E, "文件太大（超过 10 MB），没有读取",
                "日记是文本，一篇不会这么大；整本旧日记请用 `diary import` 拆成一篇篇"),
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
    "yaml-too-complex": CodeInfo(E, "信息头太长、套得太深或引用太多，没有读取",
                "信息头只写“名称: 内容”几行；不要用 & 和 * 引用，列表写成 `[甲, 乙]`"),
    "yaml-tag": CodeInfo(W, "信息头里有 `!!` 开头的标记，已按文字读取", "删掉 `!!…` 标记，直接写内容"),
    "not-a-mapping": CodeInfo(E, "信息头不是“名称: 内容”的形式", "每行写成“名称: 内容”，例如 `标题: 屋顶漏水`"),
    "missing-date": CodeInfo(E, "缺少日期", "加一行 `日期: 2020-03-05`"),
    "missing-title": CodeInfo(E, "缺少标题", "加一行 `标题: 一句话说清这件事`"),
    "bad-date": CodeInfo(E, "日期认不出来", "写成 2020-03-05、2020年3月5日、2020/3/5 或 2020.3.5"),
    "impossible-date": CodeInfo(E, "日期不存在（比如 2月30日）", "核对日历，改成真实的日期"),
    "unknown-key": CodeInfo(W, "信息头里有不认识的名称", "检查拼写；能用的名称见“如何写日记”"),
    "topics-not-list": CodeInfo(W, "主题写成了一串文字，不是列表",
                "写成 `主题: [物业管理与业委会, 居民议事]`（已按顿号、逗号拆开）"),
    "unknown-topic": CodeInfo(W, "主题不在主题表里（日记照常发布，这个词帮助自动建议主题）",
                "用 diaries/topics.yml 里的主题名，或把这个词加进相近主题的 aliases"),
    "unknown-method": CodeInfo(W, "工作法不在工作法表里（照写的显示，不链接）",
                "用 diaries/methods.yml 里的名称，或把这个叫法加进那个工作法的 aliases"),
    "bad-visibility": CodeInfo(E, "“公开”只能写 public（公开）或 private（不公开），这篇先按不公开处理",
                "写 `公开: public` 或 `公开: private`"),
    "conflicting-visibility": CodeInfo(E, "“公开”写了不止一次，这篇按不公开处理",
                "只留一行 `公开: public` 或 `公开: private`"),
    "visibility-guess": CodeInfo(W, "有一行像是在说公开不公开，但不是“公开”，这篇按不公开处理",
                "要公开就删掉这一行（或改成 `公开: public`），不公开就写 `公开: private`"),
    "repeated-key": CodeInfo(W, "信息头里同一项写了两次，只用了其中一次", "删掉多余的那一行"),
    "bad-status": CodeInfo(W, "状态只能是 已解决、跟进中、未解决", "改成这三个之一，或删掉这一行"),
    "bad-case-id": CodeInfo(W, "案例线索的名字里没有字（这篇照常发布，只是不归入线索）",
                "写这件事的名字，例如 `案例: 湖光小区物业弃管`"),
    "bad-id": CodeInfo(W, "网址编号只能用小写字母、数字和连字符（已改用文件名做网址）",
                "删掉 `id:` 这一行，或改成 `id: 2020-03-05-wuding`"),
    "url-too-long": CodeInfo(E, "网址编号或案例编号太长（超过 100 个字符）", "写一个短一点的编号，或删掉这一行"),
    "duplicate-id": CodeInfo(E, "两篇日记的网址编号相同", "改其中一个文件的文件名，或给它写一个不同的 `id:`"),
    "same-date-title": CodeInfo(W, "两篇日记的日期和标题都相同", "改一下其中一篇的标题，让读者分得清"),
    "duplicate-entry": CodeInfo(W, "这篇和另一篇日记内容完全相同", "删掉重复的文件（网站只收录先读到的那一篇）"),
    "body-too-deep": CodeInfo(E, "正文的列表、引用或符号套得太深，网页排不出来",
                "列表最多缩进几层；分隔线写成单独一行 `---`；不要连着写几百个 * 或 _"),
    "remote-image": CodeInfo(W, "图片或样式来自别的网站，网页上只显示成一个链接（网站从不向别的网站要东西）",
                "把图片存进网站的 docs/images/ 文件夹，再写 `![说明](../images/图片文件名.jpg)`"),
    "empty-body": CodeInfo(W, "只有信息头，没有正文", "在第二个 `---` 下面写正文"),
    "long-entry": CodeInfo(W, "这篇特别长，像是把很多天的日记放进了一个文件",
                           "把它移出 diaries/，再用 `diary import 文件` 按日期拆成多篇"),
    "not-found": CodeInfo(E, "找不到这个文件或文件夹", "检查路径是否写对；路径从项目文件夹（有 diaries/ 的那个）算起"),
    "write-failed": CodeInfo(E, "写文件失败（没有权限、文件被锁定或磁盘已满），已停止写入",
                "关掉占用文件的程序、检查文件是否只读或磁盘空间，再运行一次"),
    "fix-skipped": CodeInfo(W, "`--fix` 没有改这个文件", "按提示手动修改；改动后信息会变的地方不会自动改"),
    # `diary import`: digitized old diaries (.txt / .docx) split into entries at their date lines
    "import-unsupported": CodeInfo(E, "不能导入这种文件", "只能导入 .txt 和 .docx；老的 .doc 请用 Word“另存为” .docx"),
    "import-unreadable": CodeInfo(E, "文件打不开（可能已损坏，或正在被 Word 占用）",
                "关掉 Word 再试；或用 Word 打开后重新“另存为” .docx"),
    "import-too-large": CodeInfo(E, "Word 文件解压后太大，没有导入（可能是损坏或恶意的文件）",
                "用 Word 打开，另存为新的 .docx 再导入；或者另存为 .txt"),
    "import-unsafe": CodeInfo(E, "Word 文件里有 Word 不会写的 XML 定义（DTD/实体），没有导入",
                "用 Word 打开，另存为新的 .docx 再导入；或者另存为 .txt"),
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
