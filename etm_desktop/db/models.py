"""The database schema (SQLAlchemy 2 typed ORM), portable to SQLite and PostgreSQL.

Bindings (classifier 37) are never overwritten: a change closes one row
(``valid_to``) and opens another (``valid_from``). A binding is in force on day
``d`` when ``valid_from <= d`` and (``valid_to`` is empty or ``d < valid_to``).
Editable rows carry a ``version`` column for optimistic locking.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Money = Numeric(16, 2)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Centre(Base):
    """A regional centre (РЦ)."""

    __tablename__ = "centre"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Cluster(Base):
    """A cluster (куст) of sales offices within a centre."""

    __tablename__ = "cluster"
    __table_args__ = (UniqueConstraint("centre_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"))
    name: Mapped[str] = mapped_column(String(200))


class Office(Base):
    """A sales office (ОП)."""

    __tablename__ = "office"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    cluster_id: Mapped[int] = mapped_column(ForeignKey("cluster.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}


class Territory(Base):
    __tablename__ = "territory"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    in_city: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}


class Employee(Base):
    """Anyone the regulation names: МОПП, heads, analysts. ``tab_no`` is the key."""

    __tablename__ = "employee"
    id: Mapped[int] = mapped_column(primary_key=True)
    tab_no: Mapped[str] = mapped_column(String(50), unique=True)
    full_name: Mapped[str] = mapped_column(String(300))
    position: Mapped[str] = mapped_column(String(50))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"))
    hire_date: Mapped[date | None] = mapped_column(Date)
    novice_date: Mapped[date | None] = mapped_column(Date)  # empty: стажер
    dismissal_date: Mapped[date | None] = mapped_column(Date)
    group_lead_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}

    territories: Mapped[list[Territory]] = relationship(secondary="employee_territory")


class EmployeeTerritory(Base):
    """Territories assigned to an employee (the territorial МОПП's own ones)."""

    __tablename__ = "employee_territory"
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), primary_key=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id"), primary_key=True)


class SpecializationPeriod(Base):
    """A specialization held from ``start_date`` until the next period starts."""

    __tablename__ = "specialization_period"
    __table_args__ = (UniqueConstraint("employee_id", "start_date"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    specialization: Mapped[str] = mapped_column(String(50))
    start_date: Mapped[date] = mapped_column(Date)


class Client(Base):
    """A client card; ``head_id`` is признак 140 (the head organisation)."""

    __tablename__ = "client"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    inn: Mapped[str | None] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(500))
    ckg: Mapped[str] = mapped_column(String(50))
    potential: Mapped[str | None] = mapped_column(String(1))
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id"))
    head_id: Mapped[int | None] = mapped_column(ForeignKey("client.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}


class Memo(Base):
    """A memo (служебная записка): the only way a binding changes."""

    __tablename__ = "memo"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(50), unique=True)
    memo_date: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(30), default="черновик")
    author: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str | None] = mapped_column(String(300))
    reason: Mapped[str | None] = mapped_column(Text)
    override_reason: Mapped[str | None] = mapped_column(Text)
    route: Mapped[str | None] = mapped_column(Text)  # JSON list of approval steps, fixed at submission
    submitted_check: Mapped[str | None] = mapped_column(Text)  # JSON what-if at submission
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    submitted_on: Mapped[date | None] = mapped_column(Date)
    applied_on: Mapped[date | None] = mapped_column(Date)
    applied_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}

    lines: Mapped[list[MemoLine]] = relationship(
        back_populates="memo", order_by="MemoLine.line_no", cascade="all, delete-orphan"
    )


class MemoLine(Base):
    __tablename__ = "memo_line"
    __table_args__ = (UniqueConstraint("memo_id", "line_no"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    memo_id: Mapped[int] = mapped_column(ForeignKey("memo.id"))
    line_no: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(30))
    client_code: Mapped[str] = mapped_column(String(50))
    from_tab_no: Mapped[str | None] = mapped_column(String(50))
    to_tab_no: Mapped[str | None] = mapped_column(String(50))
    head_code: Mapped[str | None] = mapped_column(String(50))
    potential: Mapped[str | None] = mapped_column(String(1))
    basis: Mapped[str | None] = mapped_column(Text)

    memo: Mapped[Memo] = relationship(back_populates="lines")


class MemoApproval(Base):
    """One recorded decision on a memo's route (approval or rejection)."""

    __tablename__ = "memo_approval"
    id: Mapped[int] = mapped_column(primary_key=True)
    memo_id: Mapped[int] = mapped_column(ForeignKey("memo.id"), index=True)
    step: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str] = mapped_column(String(20))  # "approved" / "rejected"
    decided_on: Mapped[date] = mapped_column(Date)
    comment: Mapped[str | None] = mapped_column(Text)


class Binding(Base):
    """Classifier 37: a client card bound to one employee over a period."""

    __tablename__ = "binding"
    __table_args__ = (
        Index("ix_binding_open", "valid_to", "employee_id"),
        Index("ix_binding_client", "client_id", "valid_from"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    basis: Mapped[str | None] = mapped_column(Text)
    memo_id: Mapped[int | None] = mapped_column(ForeignKey("memo.id"))  # the memo that opened it
    closed_by_memo_id: Mapped[int | None] = mapped_column(ForeignKey("memo.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}


class Turnover(Base):
    """What a client bought in a month (``month`` is the month's first day)."""

    __tablename__ = "turnover"
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    amount: Mapped[float] = mapped_column(Money)

    # covering (month, client, amount): a month window is summed without touching the table
    __table_args__ = (Index("ix_turnover_month", "month", "client_id", "amount"),)


class Receivable(Base):
    """An overdue-receivables (ПДЗ) snapshot; the latest per client counts."""

    __tablename__ = "receivable"
    __table_args__ = (UniqueConstraint("client_id", "as_of"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    as_of: Mapped[date] = mapped_column(Date)
    amount: Mapped[float] = mapped_column(Money)


class Activity(Base):
    """A meeting (``outside_office``: outside the sales office) or a cold call."""

    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_day", "activity_date", "employee_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    activity_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(30))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id"))
    outside_office: Mapped[bool] = mapped_column(Boolean, default=True)


class NormSet(Base):
    """A complete set of norms in force from ``effective_from`` until the next set.

    ``body`` is the JSON document of ``data/norms.toml``'s schema; a change is a
    new set from a date, never an edit of a set that already judged a month.
    """

    __tablename__ = "norm_set"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    effective_from: Mapped[date] = mapped_column(Date, unique=True)
    note: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    created_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}


class AuditRecord(Base):
    """Append-only trail of every change to bindings, 140 links, norms and memos."""

    __tablename__ = "audit_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    who: Mapped[str | None] = mapped_column(String(200))
    entity: Mapped[str] = mapped_column(String(50))
    entity_key: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    memo_id: Mapped[int | None] = mapped_column(ForeignKey("memo.id"))


class DataVersion(Base):
    """One row: bumped by every write, so prepared frames can be cached on it."""

    __tablename__ = "data_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    counter: Mapped[int] = mapped_column(Integer, default=0)


class UserRole(Base):
    """SQLite only: the roles of an OS user (``audit.current_user()``); one row per user and role.

    While the table is empty every user holds every role (a single-user install
    works as before). On PostgreSQL the roles are the server's (``etm_viewer`` …)
    and this table is not read.
    """

    __tablename__ = "user_role"
    user_name: Mapped[str] = mapped_column(String(200), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)  # Role.key: viewer, analyst, head, admin
    granted_by: Mapped[str | None] = mapped_column(String(200))
    granted_on: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
