"""Helpers the tests share (not tests themselves): the browser checks, colour and PDF-word
readers, the hostile-label corpus, the HTML structure and prose readers, and the reference
implementation of the reconstruction draws."""
