"""Working-day calendar: official exceptions in the database, law-derived provisional years."""
