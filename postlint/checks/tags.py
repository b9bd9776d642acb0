"""Placeholder."""
from postlint.rule import Family

FAMILY = Family(name="tags", prefix="TAG", description="Tags.", rules=())
