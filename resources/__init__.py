"""The shipped resources: report texts, topic lexicon, thesaurus, mentions catalogue, icons.

Installed from a wheel, this folder is the package ``xref_explorer_resources`` and also
holds the embedded corpus ``data.sqlite``; `models.paths` finds it through importlib.resources.
"""
