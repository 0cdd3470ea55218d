"""Transparency and audit: the public dossier log, statistics and the Decision 766 indicators,
the published digests of the history, auditors' views, the access log and retention."""
