"""The shape of an event kind, without a database."""

import pytest

from services.outbox.rules import NO_TENANT, check_event, tenant_of, valid_kind


@pytest.mark.parametrize("kind", ["project.created", "tender.bid_opened", "a.b.c", "x1.y2"])
def test_a_kind_is_part_dot_event_in_lower_case(kind):
    assert valid_kind(kind)
    check_event(kind, {})


@pytest.mark.parametrize(
    "kind", ["", "project", "Project.created", "project.", ".created", "project created", "1a.b"]
)
def test_other_kinds_are_refused(kind):
    assert not valid_kind(kind)
    with pytest.raises(ValueError):
        check_event(kind, {})


def test_a_payload_is_a_dict():
    with pytest.raises(TypeError):
        check_event("project.created", ["project_id", 1])


def test_tenant_zero_means_no_tenant():
    assert tenant_of(NO_TENANT) is None
    assert tenant_of(301) == 301
