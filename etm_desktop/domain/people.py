"""How Russian documents write people's names."""

from __future__ import annotations


def short_name(full_name: str | None) -> str:
    """«Иванов Иван Иванович» → «Иванов И.И.» (as memos and signatures write it)."""
    if not full_name:
        return ""
    parts = full_name.split()
    if len(parts) == 1:
        return parts[0]
    initials = "".join(f"{p[0]}." for p in parts[1:3] if p)
    return f"{parts[0]} {initials}"


def rub(amount: float) -> str:
    """Money with a space between thousands: «1 234 567 ₽»."""
    return "{0:,.0f}".format(amount).replace(",", "\u00a0") + "\u00a0₽"
