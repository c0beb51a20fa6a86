"""Read claims off an annotated sentence, one module per claim kind: money, counts, percentages, roles."""

from __future__ import annotations

from spacy.tokens import Span

from pipeline.nlp.claims.common import (
    RawClaim,
    SentenceContext,
    sentence_entities,
    sentence_quantities,
    subject_company,
)
from pipeline.nlp.claims.counts import count_claim
from pipeline.nlp.claims.money import is_conversion, money_claims, round_followup
from pipeline.nlp.claims.percentages import percentage_claim
from pipeline.nlp.claims.roles import COMPANY_ROLES, canonical_role, role_claims
from pipeline.nlp.components import COUNT, MONEY, PERCENT

__all__ = ["COMPANY_ROLES", "RawClaim", "SentenceContext", "canonical_role", "extract_sentence", "round_followup",
           "sentence_quantities", "subject_company"]


def extract_sentence(sent: Span, ctx: SentenceContext | None = None) -> list[RawClaim]:
    """Claims of one sentence; `ctx` carries what the article said before (see SentenceContext)."""
    ctx = ctx or SentenceContext()
    entities = sentence_entities(sent)
    claims: list[RawClaim] = []
    group = ctx.previous_group
    quantities = sentence_quantities(sent)
    for index, q in enumerate(quantities):
        if q.label_ == MONEY:
            if is_conversion(q, quantities[index - 1] if index else None):
                continue
            claims.extend(money_claims(sent, q, entities, ctx))
        elif q.label_ == PERCENT:
            claims.extend(percentage_claim(sent, q, entities, ctx))
        elif q.label_ == COUNT:
            claim = count_claim(sent, q, entities, group, ctx)
            if claim is not None:
                group = claim.fields["group"]
                claims.append(claim)
    claims.extend(role_claims(sent, entities))
    return claims
