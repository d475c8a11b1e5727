import ClawGuardCore

/// The configuration auditor: the reference security-audit checklist, checked by machine.
public enum ClawGuardConfigAudit {}
