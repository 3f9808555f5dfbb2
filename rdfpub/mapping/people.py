"""Authors and editors as PRO roles (OpenCitations style): role -> agent, in order by oco:hasNext and a position."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import FOAF, OWL

from rdfpub.identifiers import normalize_orcid
from rdfpub.iris import ORCID, ROR, external
from rdfpub.mapping.builder import GraphBuilder
from rdfpub.mapping.terms import boolean, integer, iri
from rdfpub.model import Affiliation, Author
from rdfpub.vocab import DATACITE, LITERAL, OCO, PRO


def map_people(builder: GraphBuilder, document: URIRef, people: tuple[Author, ...], kind: str) -> None:
    """One pro:RoleInTime per person, chained by oco:hasNext and numbered 1..n; `kind` is
    'author' or 'editor'."""
    role_type = PRO.author if kind == "author" else PRO.editor
    roles = [iri(builder.iris.role(str(document), kind, n)) for n in range(1, len(people) + 1)]
    for position, (role, person) in enumerate(zip(roles, people), start=1):
        builder.add(document, PRO.isDocumentContextFor, role)
        builder.types(role, PRO.RoleInTime)
        builder.add(role, PRO.withRole, role_type)
        builder.add(role, builder.term("position"), integer(position))
        if position < len(roles):
            builder.add(role, OCO.hasNext, roles[position])
        if person.equal_contribution:
            builder.add(role, builder.term("equalContribution"), boolean(True))
        builder.add(role, PRO.isHeldBy, _agent(builder, role, person))
        for number, affiliation in enumerate(person.affiliations, start=1):
            builder.add(role, PRO.relatesToOrganization, _organisation(builder, role, number, affiliation))


def _orcid(person: Author) -> tuple[str | None, str | None]:
    """(normalised ORCID or None, the value as written) of the person's first ORCID."""
    for identifier in person.identifiers:
        if identifier.scheme.strip().upper() == "ORCID":
            written = identifier.value.strip()
            return normalize_orcid(written), written
    return None, None


def _agent(builder: GraphBuilder, role: URIRef, person: Author) -> URIRef:
    orcid, written = _orcid(person)
    agent = iri(builder.iris.agent(str(role), orcid))
    builder.types(agent, FOAF.Agent)
    if person.collective_name:
        builder.types(agent, FOAF.Organization)
    else:
        builder.types(agent, FOAF.Person)
    builder.add(agent, FOAF.name, person.name)
    builder.add(agent, FOAF.givenName, person.fore_name)
    builder.add(agent, FOAF.familyName, person.last_name)
    builder.add(agent, builder.term("initials"), person.initials)
    if orcid:
        identifier = iri(builder.iris.identifier("orcid", orcid))
        builder.add(agent, DATACITE.hasIdentifier, identifier)
        builder.types(identifier, DATACITE.Identifier)
        builder.add(identifier, DATACITE.usesIdentifierScheme, DATACITE.orcid)
        builder.add(identifier, LITERAL.hasLiteralValue, orcid)
        builder.add(agent, OWL.sameAs, iri(external(ORCID, orcid)))
    elif written:
        # A malformed ORCID (bad form or check digit) would name the wrong person: left out, noted.
        builder.add(agent, builder.term("malformedIdentifier"), f"ORCID {written}")
    return agent


def _organisation(builder: GraphBuilder, role: URIRef, number: int, affiliation: Affiliation) -> URIRef:
    node = iri(builder.iris.affiliation(str(role), number))
    builder.types(node, FOAF.Organization)
    builder.add(node, FOAF.name, affiliation.text)
    for identifier in affiliation.identifiers:
        if identifier.scheme.strip().upper() == "ROR":
            ror_id = identifier.value.strip().rsplit("/", 1)[-1]
            builder.add(node, OWL.sameAs, iri(external(ROR, ror_id)))
    return node
