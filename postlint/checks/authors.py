"""Placeholder."""
from postlint.rule import Family

FAMILY = Family(name="authors", prefix="AUT", description="Authors.", rules=())
