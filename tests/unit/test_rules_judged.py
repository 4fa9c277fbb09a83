"""The engine says which norms it judged for each manager (the grid's "в норме" cells rely on it)."""

from __future__ import annotations

from datetime import date

from etm_desktop.compliance.service import month_grid
from tests.builders import manager_row

OCTOBER = date(2026, 10, 1)


def test_judged_norms_follow_position_specialization_and_status(database, centre):
    centre.manager("1001", "Универсальный")  # ветеран
    centre.manager("1002", "Универсальный", novice=date(2026, 9, 1))  # новичок
    centre.manager("1003", "МРД", novice=None)  # стажер
    centre.employee("2001", "НОП")
    lead = centre.manager("3001", "Территориальный", position="Старший группы")
    centre.manager("3002", "Территориальный", lead=lead)
    centre.employee("4001", "Руководитель ВТЦ")
    centre.commit()
    grid = month_grid(database, OCTOBER)
    veteran = set(manager_row(grid, "1001").judged)
    assert {"kb_size_min", "kb_size_max", "meetings", "territory", "potential"} <= veteran
    assert not veteran & {"cold_calls", "new_universal_territory", "head_meetings", "group_meetings"}
    novice = set(manager_row(grid, "1002").judged)
    assert {"cold_calls", "new_universal_territory", "meetings"} <= novice
    trainee = set(manager_row(grid, "1003").judged)
    assert "kb_size_max" in trainee and not trainee & {"kb_size_min", "meetings", "cold_calls", "paying_share"}
    assert "territory" not in trainee  # МРД: territories not regulated
    assert manager_row(grid, "2001").judged == ["head_meetings"]
    assert "group_meetings" in manager_row(grid, "3001").judged
    assert manager_row(grid, "4001").judged == []
