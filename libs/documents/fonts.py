"""The CJK font documents are set in: Debian's Noto Serif CJK (fonts-noto-cjk, installed by tools/ensure-fonts.sh).

The font is found at run time, never bundled: a missing font stops rendering with a message saying what to install,
instead of a PDF of empty boxes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTCollection

# Where Debian puts the collections; JIUZHU_CJK_FONT names another .ttc/.otf (a face of Simplified Chinese).
_CANDIDATES = (
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)
_ENV = "JIUZHU_CJK_FONT"


class FontMissing(RuntimeError):
    """No font that renders Chinese is installed."""


@dataclass(frozen=True)
class CjkFont:
    path: Path
    # The face of a collection (.ttc) that is Simplified Chinese; 0 for a single font file.
    face: int


def _simplified_face(path: Path) -> int:
    if path.suffix.lower() != ".ttc":
        return 0
    collection = TTCollection(str(path), lazy=True)
    try:
        for index, font in enumerate(collection.fonts):
            family = font["name"].getDebugName(1) or ""
            # Noto CJK names its Simplified Chinese faces "... CJK SC".
            if family.endswith(" SC"):
                return index
    finally:
        collection.close()
    return 0


@cache
def cjk_font() -> CjkFont:
    """The installed CJK font, or FontMissing saying (in Chinese and English) how to install one."""
    configured = os.environ.get(_ENV)
    candidates = (Path(configured),) if configured else _CANDIDATES
    for path in candidates:
        if path.is_file():
            return CjkFont(path, _simplified_face(path))
    raise FontMissing(
        "未安装中文字体，无法生成打印文书：请以 root 运行 tools/ensure-fonts.sh（apt-get install fonts-noto-cjk）。"
        f" No CJK font found ({', '.join(str(p) for p in candidates)}): run tools/ensure-fonts.sh as root"
        f" (apt-get install fonts-noto-cjk), or set {_ENV} to a .ttc/.otf with Simplified Chinese."
    )
