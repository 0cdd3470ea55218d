"""The citizen's filing wizard and "My dossiers" (pages; rules live in app.dossiers)."""
