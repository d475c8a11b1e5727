import ClawGuardCore
import CClawGuardSandbox

/// The Linux sandbox runner (namespaces, seccomp, rlimits, cgroups) and the egress proxy.
public enum ClawGuardSandbox {}
