"""docs/flows/*.md hold the diagrams generated from the current Flow classes."""

from __future__ import annotations

from workflows.tasks.flowdocs import DOCS_DIR, mermaid
from workflows.tasks.routing import FLOWS, flow_class_for


def test_every_flow_diagram_in_the_docs_is_current() -> None:
    for key in FLOWS:
        package = key.split(".", 1)[0]
        page = (DOCS_DIR / f"{package}.md").read_text(encoding="utf-8")
        diagram = mermaid(flow_class_for(key))
        assert diagram in page, f"{key}: run `python manage.py flow_docs`"


def test_diagram_has_every_node_and_branch() -> None:
    diagram = mermaid(flow_class_for("public_security.household_move"))
    assert 'chief_approval["所长审批<br/>（负责人）"]' in diagram
    assert "approved -->|是| police_review" in diagram
    assert "report --> END" in diagram
