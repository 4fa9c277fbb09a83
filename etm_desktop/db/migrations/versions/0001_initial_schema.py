"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('centre',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_centre')),
    sa.UniqueConstraint('name', name=op.f('uq_centre_name'))
    )
    op.create_table('data_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('counter', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version'))
    )
    op.create_table('memo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('memo_date', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=True),
    sa.Column('subject', sa.String(length=300), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('route', sa.Text(), nullable=True),
    sa.Column('submitted_check', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('applied_on', sa.Date(), nullable=True),
    sa.Column('applied_by', sa.String(length=200), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memo')),
    sa.UniqueConstraint('number', name=op.f('uq_memo_number'))
    )
    op.create_table('norm_set',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_norm_set')),
    sa.UniqueConstraint('effective_from', name=op.f('uq_norm_set_effective_from'))
    )
    op.create_table('territory',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('in_city', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_territory')),
    sa.UniqueConstraint('code', name=op.f('uq_territory_code'))
    )
    op.create_table('audit_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('who', sa.String(length=200), nullable=True),
    sa.Column('entity', sa.String(length=50), nullable=False),
    sa.Column('entity_key', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('before', sa.Text(), nullable=True),
    sa.Column('after', sa.Text(), nullable=True),
    sa.Column('memo_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['memo_id'], ['memo.id'], name=op.f('fk_audit_record_memo_id_memo')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_record'))
    )
    op.create_table('client',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('inn', sa.String(length=20), nullable=True),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('ckg', sa.String(length=50), nullable=False),
    sa.Column('potential', sa.String(length=1), nullable=True),
    sa.Column('territory_id', sa.Integer(), nullable=True),
    sa.Column('head_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['head_id'], ['client.id'], name=op.f('fk_client_head_id_client')),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_client_territory_id_territory')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client')),
    sa.UniqueConstraint('code', name=op.f('uq_client_code'))
    )
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_head_id'), ['head_id'], unique=False)

    op.create_table('cluster',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['centre_id'], ['centre.id'], name=op.f('fk_cluster_centre_id_centre')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cluster')),
    sa.UniqueConstraint('centre_id', 'name', name=op.f('uq_cluster_centre_id'))
    )
    op.create_table('memo_approval',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('memo_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['memo_id'], ['memo.id'], name=op.f('fk_memo_approval_memo_id_memo')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memo_approval'))
    )
    with op.batch_alter_table('memo_approval', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memo_approval_memo_id'), ['memo_id'], unique=False)

    op.create_table('memo_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('memo_id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('client_code', sa.String(length=50), nullable=False),
    sa.Column('from_tab_no', sa.String(length=50), nullable=True),
    sa.Column('to_tab_no', sa.String(length=50), nullable=True),
    sa.Column('head_code', sa.String(length=50), nullable=True),
    sa.Column('potential', sa.String(length=1), nullable=True),
    sa.Column('basis', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['memo_id'], ['memo.id'], name=op.f('fk_memo_line_memo_id_memo')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memo_line')),
    sa.UniqueConstraint('memo_id', 'line_no', name=op.f('uq_memo_line_memo_id'))
    )
    op.create_table('office',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], name=op.f('fk_office_cluster_id_cluster')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office')),
    sa.UniqueConstraint('code', name=op.f('uq_office_code'))
    )
    op.create_table('receivable',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_receivable_client_id_client')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receivable')),
    sa.UniqueConstraint('client_id', 'as_of', name=op.f('uq_receivable_client_id'))
    )
    op.create_table('turnover',
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_turnover_client_id_client')),
    sa.PrimaryKeyConstraint('client_id', 'month', name=op.f('pk_turnover'))
    )
    with op.batch_alter_table('turnover', schema=None) as batch_op:
        batch_op.create_index('ix_turnover_month', ['month', 'client_id', 'amount'], unique=False)

    op.create_table('employee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tab_no', sa.String(length=50), nullable=False),
    sa.Column('full_name', sa.String(length=300), nullable=False),
    sa.Column('position', sa.String(length=50), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=True),
    sa.Column('hire_date', sa.Date(), nullable=True),
    sa.Column('novice_date', sa.Date(), nullable=True),
    sa.Column('dismissal_date', sa.Date(), nullable=True),
    sa.Column('group_lead_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_lead_id'], ['employee.id'], name=op.f('fk_employee_group_lead_id_employee')),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_employee_office_id_office')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employee')),
    sa.UniqueConstraint('tab_no', name=op.f('uq_employee_tab_no'))
    )
    op.create_table('activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('activity_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('outside_office', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_activity_client_id_client')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_activity_employee_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index('ix_activity_day', ['activity_date', 'employee_id'], unique=False)

    op.create_table('binding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('basis', sa.Text(), nullable=True),
    sa.Column('memo_id', sa.Integer(), nullable=True),
    sa.Column('closed_by_memo_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_binding_client_id_client')),
    sa.ForeignKeyConstraint(['closed_by_memo_id'], ['memo.id'], name=op.f('fk_binding_closed_by_memo_id_memo')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_binding_employee_id_employee')),
    sa.ForeignKeyConstraint(['memo_id'], ['memo.id'], name=op.f('fk_binding_memo_id_memo')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_binding'))
    )
    with op.batch_alter_table('binding', schema=None) as batch_op:
        batch_op.create_index('ix_binding_client', ['client_id', 'valid_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_binding_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index('ix_binding_open', ['valid_to', 'employee_id'], unique=False)

    op.create_table('employee_territory',
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_employee_territory_employee_id_employee')),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_employee_territory_territory_id_territory')),
    sa.PrimaryKeyConstraint('employee_id', 'territory_id', name=op.f('pk_employee_territory'))
    )
    op.create_table('specialization_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('specialization', sa.String(length=50), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_specialization_period_employee_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_specialization_period')),
    sa.UniqueConstraint('employee_id', 'start_date', name=op.f('uq_specialization_period_employee_id'))
    )
    with op.batch_alter_table('specialization_period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_specialization_period_employee_id'), ['employee_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('specialization_period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_specialization_period_employee_id'))

    op.drop_table('specialization_period')
    op.drop_table('employee_territory')
    with op.batch_alter_table('binding', schema=None) as batch_op:
        batch_op.drop_index('ix_binding_open')
        batch_op.drop_index(batch_op.f('ix_binding_employee_id'))
        batch_op.drop_index('ix_binding_client')

    op.drop_table('binding')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_day')

    op.drop_table('activity')
    op.drop_table('employee')
    with op.batch_alter_table('turnover', schema=None) as batch_op:
        batch_op.drop_index('ix_turnover_month')

    op.drop_table('turnover')
    op.drop_table('receivable')
    op.drop_table('office')
    op.drop_table('memo_line')
    with op.batch_alter_table('memo_approval', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memo_approval_memo_id'))

    op.drop_table('memo_approval')
    op.drop_table('cluster')
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_head_id'))

    op.drop_table('client')
    op.drop_table('audit_record')
    op.drop_table('territory')
    op.drop_table('norm_set')
    op.drop_table('memo')
    op.drop_table('data_version')
    op.drop_table('centre')

