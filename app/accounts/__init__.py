"""Citizen accounts: registration with captcha, email verification, login, reset, OIDC."""
