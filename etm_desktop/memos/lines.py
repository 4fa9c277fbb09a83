"""Applying a memo's lines to a copy of the bindings, checking each line's own rules.

:class:`MemoState` starts from the bindings in force on the memo date and
applies the lines in order, as the analyst would in classifier 37; every line
that cannot be applied gets a :class:`Problem` and is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from etm_desktop.domain.vocabulary import CLIENT_HOLDERS, OOK_NAMES, Potential, normalize_potential
from etm_desktop.memos.draft import MemoDraft, MemoLineDraft
from etm_desktop.memos.problems import Problem
from etm_desktop.norms.schema import NormSetView

HOLDER_POSITIONS = {p.value for p in CLIENT_HOLDERS}


@dataclass
class LineEffect:
    """What one applied line did: who lost and who got which client."""

    line_no: int
    client_id: int
    removed_from: list[int] = field(default_factory=list)
    added_to: list[int] = field(default_factory=list)
    regrouped_for: list[int] = field(default_factory=list)  # holders whose KB a 140 link regroups

    @property
    def managers(self) -> list[int]:
        return self.removed_from + self.added_to + self.regrouped_for


def _lookups(inputs) -> tuple[dict[str, int], dict[int, list[tuple[int, int]]]]:
    """Client code → id, and client id → its (employee_id, binding_id) in force; once per inputs."""
    key = ("memo_lookups",)
    if key not in inputs.derived:
        clients, bindings = inputs.clients, inputs.bindings
        holders: dict[int, list[tuple[int, int]]] = {}
        for client_id, employee_id, binding_id in zip(bindings["client_id"].tolist(), bindings["employee_id"].tolist(),
                                                       bindings["binding_id"].tolist()):
            holders.setdefault(client_id, []).append((employee_id, binding_id))
        inputs.derived[key] = (dict(zip(clients["code"].tolist(), clients.index.tolist())), holders)
    return inputs.derived[key]


class MemoState:
    def __init__(self, inputs, staff: pd.DataFrame, draft: MemoDraft, norms: NormSetView):
        self.inputs = inputs
        self.staff = staff
        self.draft = draft
        self.norms = norms
        self.problems: list[Problem] = []
        self.effects: list[LineEffect] = []
        self.approval_extra: set[str] = set()
        codes = {line.client for line in draft.lines} | {line.head for line in draft.lines if line.head}
        client_ids, holders = _lookups(inputs)
        self.client_ids = {code: client_ids[code] for code in codes if code in client_ids}
        self.tab_ids = dict(zip(inputs.employees["tab_no"], inputs.employees["id"]))
        # client_id → {employee_id: binding_id}
        self.holders: dict[int, dict[int, int]] = {
            client_id: dict(holders[client_id]) for client_id in self.client_ids.values() if client_id in holders
        }
        self.removed_bindings: set[int] = set()
        self.added: list[tuple[int, int]] = []  # (client_id, employee_id)
        self.client_updates: dict[int, dict] = {}

    # -- helpers --------------------------------------------------------------
    def _problem(self, line: MemoLineDraft, rule: str, message: str, severity: str = "breach") -> None:
        self.problems.append(Problem(line.line_no, rule, severity, f"Строка {line.line_no}: {message}"))

    def _client(self, line: MemoLineDraft, code: str) -> int | None:
        client_id = self.client_ids.get(code)
        if client_id is None:
            self._problem(line, "unknown_client", f"клиент «{code}» не найден")
        return client_id

    def _receiver(self, line: MemoLineDraft) -> int | None:
        """The manager a client goes to: a concrete, employed МОПП (binding rule 1)."""
        tab = line.to_manager
        if tab is None:
            self._problem(line, "no_manager", "не указан МОПП, за которым закрепляется клиент («to»)")
            return None
        if tab.upper() in OOK_NAMES:
            self._problem(line, "bind_to_ook", "закрепление за ООК / НООК запрещено; используйте «to_ook»")
            return None
        employee_id = self.tab_ids.get(tab)
        if employee_id is None:
            self._problem(line, "unknown_manager", f"сотрудник с таб. номером «{tab}» не найден")
            return None
        position = self.staff.at[employee_id, "position"]
        if position not in HOLDER_POSITIONS:
            self._problem(line, "no_manager",
                          f"за сотрудником {tab} ({position}) нельзя закреплять клиентов")
            return None
        if not self.staff.at[employee_id, "employed"]:
            self._problem(line, "no_manager", f"сотрудник {tab} не работает на дату записки")
            return None
        return employee_id

    def _giver(self, line: MemoLineDraft, client_id: int) -> int | None:
        """The manager a client leaves: named in ``from``, or the only holder."""
        held = self.holders.get(client_id, {})
        if line.from_manager is None:
            if len(held) == 1:
                return next(iter(held))
            why = "клиент не закреплён ни за кем" if not held else "клиент закреплён за несколькими МОПП; укажите «from»"
            self._problem(line, "not_bound", why)
            return None
        employee_id = self.tab_ids.get(line.from_manager)
        if employee_id is None:
            self._problem(line, "unknown_manager", f"сотрудник с таб. номером «{line.from_manager}» не найден")
            return None
        if employee_id not in held:
            self._problem(line, "not_bound", f"клиент «{line.client}» не закреплён за {line.from_manager}")
            return None
        return employee_id

    def _move(self, line: MemoLineDraft, client_id: int, giver: int | None, receiver: int | None) -> None:
        effect = LineEffect(line.line_no, client_id)
        held = self.holders.setdefault(client_id, {})
        if giver is not None:
            binding_id = held.pop(giver)
            if binding_id is not None:
                self.removed_bindings.add(binding_id)
            else:
                self.added.remove((client_id, giver))
            effect.removed_from.append(giver)
        if receiver is not None:
            held[receiver] = None
            self.added.append((client_id, receiver))
            effect.added_to.append(receiver)
        self.effects.append(effect)
        for employee_id in effect.removed_from + effect.added_to:
            spec = self.norms.spec(self.staff.at[employee_id, "specialization"] or "")
            if spec is not None:
                self.approval_extra.update(spec.approval_extra)

    # -- actions --------------------------------------------------------------
    def apply(self) -> None:
        for line in self.draft.lines:
            client_id = self._client(line, line.client)
            if client_id is None:
                continue
            getattr(self, "_apply_" + line.action)(line, client_id)

    def _apply_bind(self, line, client_id) -> None:
        receiver = self._receiver(line)
        if self.holders.get(client_id):
            self._problem(line, "already_bound", f"клиент «{line.client}» уже закреплён; используйте «transfer»")
            return
        if receiver is not None:
            self._move(line, client_id, None, receiver)

    def _apply_from_ook(self, line, client_id) -> None:
        allowed = self.norms.common.ook_transfer_potentials
        try:
            potential = normalize_potential(line.potential or "")
        except ValueError:
            potential = None
        if potential is None or potential.value not in allowed:
            self._problem(line, "potential_required", "для передачи из ООК нужен потенциал клиента {0}".format(
                ", ".join(p.value for p in Potential if p.value in allowed)))
        if not line.reason:
            self._problem(line, "justification_required",
                          "для передачи из ООК нужно обоснование: почему потенциал не реализуется в ООК")
        receiver = self._receiver(line)
        if self.holders.get(client_id):
            self._problem(line, "already_bound", f"клиент «{line.client}» не в ООК: он уже закреплён")
            return
        if receiver is not None and potential is not None and potential.value in allowed and line.reason:
            self.client_updates.setdefault(client_id, {})["potential"] = potential.value
            self._move(line, client_id, None, receiver)

    def _apply_transfer(self, line, client_id) -> None:
        giver = self._giver(line, client_id)
        receiver = self._receiver(line)
        if giver is not None and receiver is not None:
            if giver == receiver or receiver in self.holders.get(client_id, {}):
                self._problem(line, "already_bound", f"клиент «{line.client}» уже закреплён за {line.to_manager}")
                return
            self._move(line, client_id, giver, receiver)

    def _apply_unbind(self, line, client_id) -> None:
        giver = self._giver(line, client_id)
        if giver is not None:
            self._move(line, client_id, giver, None)

    _apply_to_ook = _apply_unbind

    def _apply_multi_bind(self, line, client_id) -> None:
        receiver = self._receiver(line)
        held = self.holders.get(client_id, {})
        if not held:
            self._problem(line, "not_bound", "множественная классификация: клиент ещё не закреплён; используйте «bind»")
            return
        if receiver is None:
            return
        if receiver in held:
            self._problem(line, "already_bound", f"клиент «{line.client}» уже закреплён за {line.to_manager}")
            return
        common = self.norms.common
        new_office = self.staff.at[receiver, "office_id"]
        new_cluster = self.staff.at[receiver, "cluster_id"]
        for holder in held:
            if self.staff.at[holder, "office_id"] == new_office:
                self._problem(line, "multi_same_office",
                              "множественная классификация за МОПП одного ОП не допускается")
                return
            if self.staff.at[holder, "cluster_id"] == new_cluster:
                self.approval_extra.add(common.multi_bind_same_cluster)
            else:
                self.approval_extra.add(common.multi_bind_other_cluster)
        self._move(line, client_id, None, receiver)

    def _apply_link_140(self, line, client_id) -> None:
        if line.head is None:
            self._problem(line, "invalid_140", "не указана головная организация («head»)")
            return
        head_id = self._client(line, line.head)
        if head_id is None:
            return
        clients = self.inputs.clients
        head_of_head = self.client_updates.get(head_id, {}).get("head_id", clients.at[head_id, "head_id"])
        if head_id == client_id:
            self._problem(line, "invalid_140", "клиент не может быть головной организацией сам себе")
        elif pd.notna(head_of_head):
            self._problem(line, "invalid_140", f"«{line.head}» сама связана с другой головной организацией")
        elif (clients["head_id"] == client_id).any() or any(
                changes.get("head_id") == client_id for changes in self.client_updates.values()):
            self._problem(line, "invalid_140", f"у «{line.client}» есть свои связанные организации")
        else:
            self.client_updates.setdefault(client_id, {})["head_id"] = head_id
            holders = set(self.holders.get(client_id, {})) | set(self.holders.get(head_id, {}))
            self.effects.append(LineEffect(line.line_no, client_id, regrouped_for=sorted(holders)))

    # -- the state after the memo -------------------------------------------------
    def bindings_after(self) -> pd.DataFrame:
        bindings = self.inputs.bindings
        if self.removed_bindings:
            bindings = bindings[~bindings["binding_id"].isin(self.removed_bindings)]
        if self.added:
            new = pd.DataFrame(
                {
                    "binding_id": [-(i + 1) for i in range(len(self.added))],
                    "client_id": [c for c, _ in self.added],
                    "employee_id": [e for _, e in self.added],
                    "valid_from": [self.draft.memo_date] * len(self.added),
                }
            )
            bindings = pd.concat([bindings, new], ignore_index=True)
        return bindings

    def clients_after(self) -> pd.DataFrame | None:
        if not self.client_updates:
            return None
        clients = self.inputs.clients.copy()
        for client_id, changes in self.client_updates.items():
            for column, value in changes.items():
                clients.at[client_id, column] = value
            if "head_id" in changes:
                clients.at[client_id, "group_id"] = changes["head_id"]
        return clients

    def touched_managers(self) -> set[int]:
        """Managers whose grid row the memo may change, and their group leads."""
        touched = {employee for effect in self.effects for employee in effect.managers}
        leads = self.staff.loc[sorted(touched), "lead_id"].dropna().astype("int64") if touched else []
        return touched | set(leads)
