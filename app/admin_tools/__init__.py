"""The administrator's low-code screens: procedure editor, versions, units, texts, users, audit."""
