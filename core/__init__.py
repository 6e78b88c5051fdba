"""Shared pieces: extensions, accounts, departments, calendar, clock, audit, API."""
