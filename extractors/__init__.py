"""Extractors: plain functions ``(ctx: DocContext) -> output`` over a document's blocks.

:mod:`extractors.registry` lists them in the order they run. The package itself imports nothing,
so a process that needs only the lexicons (:mod:`extractors.lexicons`) does not load spaCy.
"""
