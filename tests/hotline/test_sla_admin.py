"""The SLA admin rules as use cases (hotline/sla_admin.py): one unit of work each, audited, checked field by field."""
import pytest

from core.audit import AuditEvent
from core.errors import ValidationError
from hotline import sla_admin
from hotline.models import SlaRule
from tests.conftest import at

NOW = at(2026, 11, 16, 9)


def test_add_and_delete_sla_rule_are_audited(hot):
    rule = sla_admin.add_sla_rule({"clock": "dispatch", "unit": "wall", "hours": "1", "category_prefix": "03",
                                   "type": "complaint"}, now=NOW, actor="admin")
    assert (rule.clock, rule.unit, rule.hours, rule.category_prefix, rule.type, rule.urgency) == \
        ("dispatch", "wall", 1.0, "03", "complaint", None)
    assert sla_admin.rules() == [rule]
    created = AuditEvent.query.filter_by(entity_kind="sla_rule", action="created").one()
    assert created.entity_id == str(rule.id)
    sla_admin.delete_sla_rule(rule, now=NOW, actor="admin")
    assert SlaRule.query.count() == 0
    assert AuditEvent.query.filter_by(entity_kind="sla_rule", action="deleted").count() == 1


@pytest.mark.parametrize("form, field", [
    ({"clock": "nap", "unit": "wall", "hours": "1"}, "clock"),
    ({"clock": "dispatch", "unit": "days", "hours": "1"}, "unit"),
    ({"clock": "dispatch", "unit": "wall", "hours": "1", "type": "gossip"}, "type"),
    ({"clock": "dispatch", "unit": "wall", "hours": "1", "urgency": "now"}, "urgency"),
    ({"clock": "dispatch", "unit": "wall", "hours": "1", "category_prefix": "ZZ"}, "category_prefix"),
    ({"clock": "dispatch", "unit": "wall", "hours": "0"}, "hours"),
])
def test_a_bad_rule_names_the_field_and_stores_nothing(hot, form, field):
    with pytest.raises(ValidationError) as err:
        sla_admin.add_sla_rule(form, now=NOW, actor="admin")
    assert field in err.value.fields
    assert SlaRule.query.count() == 0 and AuditEvent.query.filter_by(entity_kind="sla_rule").count() == 0
