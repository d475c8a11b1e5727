/// Credential, prompt-injection and personal-data scanners (pure; no I/O beyond what callers hand in).
public enum ClawGuardScanners {}
