import ClawGuardCore

/// State (sessions, limits, budgets) in SQLite, and the tamper-evident audit trail.
public enum ClawGuardStore {}
