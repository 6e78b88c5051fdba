"""Persistent named clocks: one row per clock of every item, with frozen on-time verdicts."""
