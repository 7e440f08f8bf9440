"""Read queries for the views: each takes a Session and returns plain frozen rows.

Views never see ORM objects or SQL; they call these and get dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import schema


@dataclass(frozen=True)
class SectionNode:
    """A node of the document > chapter > section tree."""

    key: tuple  # ("doc", id) or ("section", id)
    parent: tuple | None
    title: str


def section_tree(session: Session) -> list[SectionNode]:
    nodes: list[SectionNode] = []
    for document in session.scalars(select(schema.Document).order_by(schema.Document.position)):
        nodes.append(SectionNode(("doc", document.id), None, document.title))
        sections = session.scalars(
            select(schema.Section).where(schema.Section.document_id == document.id).order_by(schema.Section.position)
        )
        for section in sections:
            parent = ("section", section.parent_id) if section.parent_id else ("doc", document.id)
            nodes.append(SectionNode(("section", section.id), parent, f"{section.label}. {section.title}"))
    return nodes
