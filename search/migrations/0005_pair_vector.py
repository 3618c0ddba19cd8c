"""PostgreSQL: check phrases from a GIN index alone.

Ranking a whole phrase above scattered words checked `a <-> b <-> c` on the
full `search_vector`: the GIN index cannot test positions, so PostgreSQL read
(and decompressed) the vector of every document holding all the words, 300 to
600 ms for a common pair at 20,000 documents. `pair_vector` holds, for each
field, every pair of adjacent terms as one lexeme (`feuill_rout`), without
positions: "feuille de route numérique" is then `'feuill_rout' & 'rout_numer'`,
which the GIN index answers exactly, reading no vector. Like the positions of a
tsvector (at most 16,383), only the first 16,384 terms of a field count.
SQLite is unchanged (FTS5 checks phrases from its own index).
"""

from django.db import migrations

POSTGRES = [
    # Linear in the number of terms: `lead` over the numbered terms (indexing
    # the array, w[i], is linear in i for text, so the whole would be quadratic).
    """
    CREATE FUNCTION search_term_pairs(terms text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_to_tsvector(array_agg(pair)), ''::tsvector)
        FROM (
            SELECT term || '_' || lead(term) OVER (ORDER BY n) AS pair
            FROM unnest(string_to_array(terms, ' ')) WITH ORDINALITY AS split(term, n)
            WHERE n <= 16384 AND term <> ''
        ) AS pairs
        WHERE pair IS NOT NULL
    $$
    """,
    """
    ALTER TABLE search_searchentry ADD COLUMN pair_vector tsvector
    GENERATED ALWAYS AS (
        search_term_pairs(coalesce(title_terms, '')) ||
        search_term_pairs(coalesce(lead_terms, '')) ||
        search_term_pairs(coalesce(body_terms, ''))
    ) STORED
    """,
    "CREATE INDEX search_entry_pairs ON search_searchentry USING GIN (pair_vector)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_entry_pairs",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS pair_vector",
    "DROP FUNCTION IF EXISTS search_term_pairs(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0004_rank_vector")]

    operations = [migrations.RunPython(_run(POSTGRES), _run(POSTGRES_REVERSE))]
