"""Entry point for `flask` (FLASK_APP=run.py) and gunicorn (run:app)."""
from app import configure_logging, create_app

configure_logging()
app = create_app()
