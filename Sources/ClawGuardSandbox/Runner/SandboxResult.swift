/// Why the sandbox, rather than the command itself, ended the run.
public enum StopReason: String, Sendable, Codable, CaseIterable {
    case timeout
    case memoryLimit = "memory-limit"
    case processLimit = "process-limit"
    case cpuTimeLimit = "cpu-time-limit"
    case fileSizeLimit = "file-size-limit"
    case refusedSystemCall = "refused-system-call"
    case interrupted

    /// A sentence for the text output.
    public var explanation: String {
        switch self {
        case .timeout: "the wall-clock timeout passed; the whole process tree was killed"
        case .memoryLimit: "the memory limit was reached; the kernel killed a process"
        case .processLimit: "the process limit was reached; forks were refused"
        case .cpuTimeLimit: "the CPU time limit was reached (SIGXCPU)"
        case .fileSizeLimit: "the file size limit was reached (SIGXFSZ)"
        case .refusedSystemCall: "the command made a system call the sandbox refuses (seccomp, SIGSYS)"
        case .interrupted: "clawguard was interrupted (SIGINT/SIGTERM/SIGHUP); the whole sandbox was killed"
        }
    }
}

/// The outcome of one sandboxed run.
public struct SandboxResult: Sendable, Codable, Equatable {
    /// The run's identifier (its directory under the runs directory for `--overlay`).
    public var runID: String
    /// The command's exit status; `128 + signal` when a signal ended it.
    public var exitCode: Int32
    /// The signal that ended the command, if any.
    public var signal: Int32?
    /// Set when the sandbox ended the run: which limit or rule.
    public var stoppedBy: StopReason?
    /// Limit events seen during the run (also when the command survived them).
    public var events: CgroupEvents
    /// `v1`, `v2`, or `nil` when limits were enforced by rlimits only.
    public var cgroup: String?
    /// Why cgroups were not used, when they were not.
    public var cgroupUnavailableReason: String?
    /// Wall-clock seconds.
    public var durationSeconds: Double
    /// Connections through the egress proxy.
    public var egress: [EgressEvent]
    /// Whether the workspace was mounted copy-on-write (see `clawguard changes`).
    public var overlay: Bool
    /// Protected paths hidden inside the sandbox (inside paths).
    public var maskedPaths: [String]

    enum CodingKeys: String, CodingKey {
        case runID, exitCode, signal, stoppedBy, events, cgroup, cgroupUnavailableReason, durationSeconds, egress, overlay,
            maskedPaths
    }

    public func encode(to encoder: any Encoder) throws {
        // Absent values are written as null, so consumers see every key.
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(runID, forKey: .runID)
        try c.encode(exitCode, forKey: .exitCode)
        try c.encode(signal, forKey: .signal)
        try c.encode(stoppedBy, forKey: .stoppedBy)
        try c.encode(events, forKey: .events)
        try c.encode(cgroup, forKey: .cgroup)
        try c.encode(cgroupUnavailableReason, forKey: .cgroupUnavailableReason)
        try c.encode(durationSeconds, forKey: .durationSeconds)
        try c.encode(egress, forKey: .egress)
        try c.encode(overlay, forKey: .overlay)
        try c.encode(maskedPaths, forKey: .maskedPaths)
    }

    /// One line for people: what happened.
    public var summary: String {
        var text = "run \(runID): exit \(exitCode)"
        if let signal { text += " (signal \(signal))" }
        if let stoppedBy { text += "; stopped by the sandbox: \(stoppedBy.rawValue): \(stoppedBy.explanation)" }
        if events.processLimitHits > 0 && stoppedBy != .processLimit {
            text += "; process limit hit \(events.processLimitHits) times"
        }
        if events.oomKills > 0 && stoppedBy != .memoryLimit { text += "; \(events.oomKills) out-of-memory kills" }
        let denied = egress.filter { !$0.allowed }.count
        if denied > 0 { text += "; \(denied) connection(s) refused by the egress proxy" }
        return text
    }
}
