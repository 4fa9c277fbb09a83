"""roles (SQLite user_role table) and an append-only audit trail

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03

``user_role`` maps OS user names to roles (read on SQLite only; on PostgreSQL
the roles are the server's, see ``etm_desktop/access/postgres.sql``).
``audit_record`` gets triggers refusing UPDATE and DELETE (and TRUNCATE on
PostgreSQL) for everyone, the owner included, as belt and braces to the
privileges. A later batch migration on SQLite that copies ``audit_record``
must create these triggers again.
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

REFUSAL = "Журнал изменений (audit_record) только дополняется: записи нельзя изменять или удалять"

SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_record_no_update BEFORE UPDATE ON audit_record "
    "BEGIN SELECT RAISE(ABORT, '{0}'); END".format(REFUSAL),
    "CREATE TRIGGER audit_record_no_delete BEFORE DELETE ON audit_record "
    "BEGIN SELECT RAISE(ABORT, '{0}'); END".format(REFUSAL),
)

POSTGRES_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION etm_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION USING MESSAGE = '{0} (' || TG_OP || ')', "
    "ERRCODE = 'insufficient_privilege'; END $$".format(REFUSAL),
    "CREATE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE ON audit_record "
    "FOR EACH ROW EXECUTE FUNCTION etm_audit_append_only()",
    "CREATE TRIGGER audit_record_no_truncate BEFORE TRUNCATE ON audit_record "
    "FOR EACH STATEMENT EXECUTE FUNCTION etm_audit_append_only()",
)


def upgrade() -> None:
    op.create_table('user_role',
    sa.Column('user_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('granted_by', sa.String(length=200), nullable=True),
    sa.Column('granted_on', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('user_name', 'role', name=op.f('pk_user_role'))
    )
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRES_TRIGGERS}.get(dialect, ())
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_record_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_record_no_delete")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_record_append_only ON audit_record")
        op.execute("DROP TRIGGER IF EXISTS audit_record_no_truncate ON audit_record")
        op.execute("DROP FUNCTION IF EXISTS etm_audit_append_only()")
    op.drop_table('user_role')
