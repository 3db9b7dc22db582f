"""Exports: records and graphs -> text summaries, JSON, RDF, HTML and tabular files."""
