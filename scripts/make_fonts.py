"""Make the static fonts bundled in calculator/export/fonts/ (run once, by hand).

The screen's font is Source Sans (Streamlit ships it as a variable font). The exported
charts are drawn by vl-convert, whose renderer wants plain static faces, so this script
cuts the weights the charts use (400 for text, 600 for titles and labels, 700 for bold)
out of the variable Source Sans 3 of the PyPI package ``fontpkg-source-sans-3`` (Adobe's
font, SIL Open Font License 1.1, redistributed unmodified there; the license is copied
next to the fonts).

    pip download --no-deps fontpkg-source-sans-3 -d /tmp/fontpkg
    unzip /tmp/fontpkg/*.whl -d /tmp/fontpkg/x
    pip install fonttools          # not a dependency of the product
    python scripts/make_fonts.py /tmp/fontpkg/x/fontpkg_source_sans_3

The result is committed: nothing here runs at install or at run time.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont

OUT = Path(__file__).resolve().parents[1] / "calculator" / "export" / "fonts"
WEIGHTS = {400: "Regular", 600: "SemiBold", 700: "Bold"}


def main(package: str) -> None:
    src = Path(package)
    variable = src / "files" / "SourceSans3[wght].ttf"
    OUT.mkdir(parents=True, exist_ok=True)
    for weight, style in WEIGHTS.items():
        font = TTFont(variable)
        static = instantiateVariableFont(font, {"wght": weight}, updateFontNames=True)
        static.save(OUT / f"SourceSans3-{style}.ttf")
    shutil.copy(src / "LICENSE", OUT / "OFL.txt")


if __name__ == "__main__":
    main(sys.argv[1])
