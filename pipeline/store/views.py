"""SQL views for people who query the database with sqlite3 or Datasette directly."""

VIEWS = {
    "v_facts": """
CREATE VIEW v_facts AS
SELECT f.id AS fact_id, f.kind, f.topic, f.measure, f.summary, f.value, f.low, f.high, f.unit,
       f.corroboration AS sources, f.first_seen, f.last_seen
FROM facts f
WHERE f.kind <> 'figure'""",
    "v_contradictions": """
CREATE VIEW v_contradictions AS
SELECT c.id AS contradiction_id, c.kind, c.topic, c.severity, c.confidence, c.status, c.reason, c.note,
       ca.sentence AS sentence_a, aa.title AS title_a, aa.url AS url_a, aa.source AS source_a,
       aa.published AS date_a,
       cb.sentence AS sentence_b, ab.title AS title_b, ab.url AS url_b, ab.source AS source_b,
       ab.published AS date_b
FROM contradictions c
JOIN claims ca ON ca.id = c.claim_a_id JOIN articles aa ON aa.id = ca.article_id
JOIN claims cb ON cb.id = c.claim_b_id JOIN articles ab ON ab.id = cb.article_id""",
    "v_entity_facts": """
CREATE VIEW v_entity_facts AS
SELECT e.id AS entity_id, e.name AS entity, e.type AS entity_type, fe.role, f.id AS fact_id,
       f.kind, f.summary, f.corroboration AS sources, f.first_seen, f.last_seen
FROM entities e
JOIN fact_entities fe ON fe.entity_id = e.id
JOIN facts f ON f.id = fe.fact_id""",
}
