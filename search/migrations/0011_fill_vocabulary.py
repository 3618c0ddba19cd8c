"""Fill the vocabulary (`SearchWord`, migration 0009) from the entries already
indexed, so corrections work without waiting for a `search_reindex`."""

from collections import Counter

from django.db import migrations


def forwards(apps, schema_editor):
    from search.analysis import stem
    from search.vocabulary import MAX_WORD, document_words

    SearchEntry = apps.get_model("search", "SearchEntry")
    SearchWord = apps.get_model("search", "SearchWord")
    counts, shown = Counter(), {}
    entries = SearchEntry.objects.only(
        "visibility", "title", "lead", "body", "theme_names"
    )
    for entry in entries.iterator(chunk_size=500):
        found = document_words(entry.title, entry.lead, entry.body, entry.theme_names)
        for word, display in found.items():
            counts[(word, entry.visibility)] += 1
            shown.setdefault(word, display)
    SearchWord.objects.all().delete()
    SearchWord.objects.bulk_create(
        [
            SearchWord(
                word=word,
                visibility=visibility,
                term=stem(word)[:MAX_WORD],
                display=shown[word],
                initial=word[0],
                length=len(word),
                entries=number,
            )
            for (word, visibility), number in counts.items()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0010_more_synonyms")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
