"""The paper: results loaded with their provenance (``results``), facts and sections of both
documents, tables, alt texts, Markdown and APA formatting, the seaborn figures, the built-in
renderer and the PDF's metadata.

May import every other wing (it is the top layer below ``steps`` and ``cli``)."""
