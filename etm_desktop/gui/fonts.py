"""Registering the bundled PT Serif / PT Sans, so Cyrillic prints on any machine.

Without a Cyrillic font Qt writes a PDF with empty glyphs and says nothing;
the fonts in ``resources/fonts`` are registered at start instead.
"""

from __future__ import annotations

from etm_desktop.paths import resources_dir

_registered: list[str] = []


def register_bundled_fonts() -> list[str]:
    """Add every font of ``resources/fonts`` to Qt's database (once); returns the families."""
    if _registered:
        return list(_registered)
    from PySide6.QtGui import QFontDatabase

    families: set[str] = set()
    for path in sorted((resources_dir() / "fonts").glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families.update(QFontDatabase.applicationFontFamilies(font_id))
    if not families:
        raise RuntimeError("Не найдены шрифты программы в {0}".format(resources_dir() / "fonts"))
    _registered.extend(sorted(families))
    return list(_registered)
