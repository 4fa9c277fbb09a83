"""A bar chart of monthly turnover with the paying threshold line, painted with QPainter."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from etm_desktop.domain.people import rub

MONTH_LETTERS = "ЯФМАМИИАСОНД"
BAR_OVER = QColor("#4F81BD")
BAR_UNDER = QColor("#B8CCE4")
LINE = QColor("#C0504D")


class TurnoverChart(QWidget):
    """Bars per month; bars under the threshold are pale; the threshold is a red dashed line."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("turnover_chart")
        self.points: list[tuple[date, float]] = []
        self.threshold: float | None = None
        self.setMinimumHeight(140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(480, 180)

    def set_data(self, points: list[tuple[date, float]], threshold: float | None) -> None:
        """Show ``points`` (month, amount) with the threshold line at ``threshold``."""
        self.points = list(points)
        self.threshold = threshold
        self.setToolTip(self._tooltip())
        self.update()

    def _tooltip(self) -> str:
        lines = [f"{m.strftime('%m.%Y')}: {rub(a)}" for m, a in self.points if a]
        if self.threshold is not None:
            lines.append(f"Порог платящего клиента: {rub(self.threshold)}")
        return "\n".join(lines)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        if not self.points:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Нет данных об обороте")
            return
        metrics = painter.fontMetrics()
        left, top, bottom = metrics.horizontalAdvance("000 000 000") + 8, 8, metrics.height() + 6
        plot = QRectF(left, top, max(1, self.width() - left - 8), max(1, self.height() - top - bottom))
        top_value = max([a for _m, a in self.points] + [self.threshold or 0]) * 1.1 or 1.0
        painter.setPen(self.palette().text().color())
        painter.drawText(QRectF(0, plot.top() - 6, left - 4, metrics.height()),
                         Qt.AlignmentFlag.AlignRight, "{0:,.0f}".format(top_value).replace(",", " "))
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        step = plot.width() / len(self.points)
        for i, (month, amount) in enumerate(self.points):
            height = plot.height() * max(amount, 0) / top_value
            over = self.threshold is None or amount > self.threshold
            bar = QRectF(plot.left() + i * step + step * 0.15, plot.bottom() - height, step * 0.7, height)
            painter.fillRect(bar, BAR_OVER if over else BAR_UNDER)
            label = MONTH_LETTERS[month.month - 1] if month.month != 1 else str(month.year % 100)
            painter.drawText(QRectF(plot.left() + i * step, plot.bottom() + 2, step, metrics.height()),
                             Qt.AlignmentFlag.AlignHCenter, label)
        if self.threshold is not None:
            y = plot.bottom() - plot.height() * self.threshold / top_value
            painter.setPen(QPen(LINE, 1.5, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.drawText(QRectF(0, y - metrics.height() / 2, left - 4, metrics.height()),
                             Qt.AlignmentFlag.AlignRight, "{0:,.0f}".format(self.threshold).replace(",", " "))
        painter.end()
