"""tracking: rating follow-ups (差评), complaint cases (投诉), short-code lookup attempts;
one rating per application per stage

Revision ID: 0003_tracking
Revises: 0002_console
Create Date: 2026-11-25 00:12:22.466555
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_tracking"
down_revision = "0002_console"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lookup_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client', sa.String(length=80), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('code_tried', sa.String(length=16), nullable=False),
    sa.Column('success', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lookup_attempts'))
    )
    with op.batch_alter_table('lookup_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_lookup_attempts_client_at', ['client', 'at'], unique=False)

    op.create_table('complaint_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('replied_by', sa.String(length=80), nullable=False),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_cases_complaint_id_complaints'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['township_id'], ['townships.id'], name=op.f('fk_complaint_cases_township_id_townships'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_cases')),
    sa.UniqueConstraint('complaint_id', name=op.f('uq_complaint_cases_complaint_id'))
    )
    with op.batch_alter_table('complaint_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_cases_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_cases_township_id'), ['township_id'], unique=False)

    op.create_table('rating_followups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_by', sa.String(length=80), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['rating_id'], ['ratings.id'], name=op.f('fk_rating_followups_rating_id_ratings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_rating_followups_village_id_villages'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_followups')),
    sa.UniqueConstraint('rating_id', name=op.f('uq_rating_followups_rating_id'))
    )
    with op.batch_alter_table('rating_followups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_followups_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_rating_followups_village_id'), ['village_id'], unique=False)

    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index('uq_ratings_application_uuid_stage', ['application_uuid', 'stage'], unique=True)



def downgrade() -> None:
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index('uq_ratings_application_uuid_stage')

    with op.batch_alter_table('rating_followups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_followups_village_id'))
        batch_op.drop_index(batch_op.f('ix_rating_followups_deadline'))

    op.drop_table('rating_followups')
    with op.batch_alter_table('complaint_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_cases_township_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_cases_deadline'))

    op.drop_table('complaint_cases')
    with op.batch_alter_table('lookup_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_lookup_attempts_client_at')

    op.drop_table('lookup_attempts')
