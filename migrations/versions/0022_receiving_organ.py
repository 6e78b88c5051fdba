"""The receiving organ (受理机关) of a disclosure application, the approver of its extension, the contact of the
organ that holds the information, and a gapless per-year counter of reply-letter numbers (issue 15 items 2,
5, 9; 条例 Art. 27, 33 para. 2, 36 (5)).

Backfill: a letter already issued keeps the organ it was issued in (the handling department, as before);
an open online application was received by the district government (its 公开办, NULL); an open paper
application by the organ of the staff member who registered it (their department, NULL for 政府办). The
letter counter of each year starts after the highest number already issued in that year.

Revision ID: 0022_receiving_organ
Revises: 0019_reconsideration_body
Create Date: 2026-11-29 21:40:00

"""
import re

import sqlalchemy as sa
from alembic import op

revision = '0022_receiving_organ'
down_revision = '0021_fee_calculation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'letter_number_counters',
        sa.Column('series', sa.String(length=20), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('series', 'year', name='pk_letter_number_counters'),
    )
    with op.batch_alter_table('disclosure_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('receiving_department_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('extension_approver_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('holder_contact', sa.String(length=200), nullable=True))
        batch_op.create_foreign_key('fk_disclosure_requests_receiving_department_id_departments', 'departments',
                                    ['receiving_department_id'], ['id'])
        batch_op.create_foreign_key('fk_disclosure_requests_extension_approver_id_users', 'users',
                                    ['extension_approver_id'], ['id'])
    bind = op.get_bind()
    # issued letters keep their signer
    bind.execute(sa.text("UPDATE disclosure_requests SET receiving_department_id = department_id "
                         "WHERE reply_doc_number IS NOT NULL"))
    # open paper applications: the registering staff member's department (the audit row of the submission)
    bind.execute(sa.text(
        "UPDATE disclosure_requests SET receiving_department_id = ("
        " SELECT u.department_id FROM audit_events a JOIN users u ON u.id = a.actor_id"
        " WHERE a.entity_kind = 'disclosure_request' AND a.action = 'submitted'"
        " AND a.entity_id = CAST(disclosure_requests.id AS VARCHAR(64))"
        " AND u.role IN ('staff', 'approver') ORDER BY a.id LIMIT 1) "
        "WHERE reply_doc_number IS NULL AND channel <> 'online'"))
    last = {}
    for (number,) in bind.execute(sa.text("SELECT reply_doc_number FROM disclosure_requests "
                                          "WHERE reply_doc_number IS NOT NULL")):
        m = re.search(r"〔(\d{4})〕(\d+)号", number)
        if m:
            year, n = int(m.group(1)), int(m.group(2))
            last[year] = max(last.get(year, 0), n)
    counters = sa.table('letter_number_counters', sa.column('series', sa.String), sa.column('year', sa.Integer),
                        sa.column('last', sa.Integer))
    if last:
        op.bulk_insert(counters, [{"series": "disclosure_reply", "year": y, "last": n} for y, n in last.items()])


def downgrade():
    with op.batch_alter_table('disclosure_requests', schema=None) as batch_op:
        batch_op.drop_constraint('fk_disclosure_requests_extension_approver_id_users', type_='foreignkey')
        batch_op.drop_constraint('fk_disclosure_requests_receiving_department_id_departments', type_='foreignkey')
        batch_op.drop_column('holder_contact')
        batch_op.drop_column('extension_approver_id')
        batch_op.drop_column('receiving_department_id')
    op.drop_table('letter_number_counters')
