"""Accounts, roles, login and API tokens."""
