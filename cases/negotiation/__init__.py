"""The negotiation log put to work: collection-misconduct rules, lender deadlines,
the escalation ladder, the timeline and calendar export (issue 6)."""
