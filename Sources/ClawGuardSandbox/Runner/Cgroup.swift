#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What the cgroup saw during a run.
public struct CgroupEvents: Sendable, Equatable, Codable {
    /// Processes killed by the out-of-memory killer inside the sandbox.
    public var oomKills: Int = 0
    /// Times the memory limit was hit.
    public var memoryLimitHits: Int = 0
    /// Times a fork was refused by the process limit.
    public var processLimitHits: Int = 0
}

/// A cgroup (v1 or v2, whichever the host has) holding one sandbox: memory and process limits for the
/// whole tree. Created before the sandbox starts, removed after.
package struct SandboxCgroup: Sendable {
    package enum Version: String, Sendable { case v1, v2 }
    package let version: Version
    /// Directories created: one per v1 controller, or one v2 directory.
    package let directories: [String: String]

    /// Creates the cgroup. Throws a message saying why cgroups are unavailable (not an error for the run:
    /// the caller falls back to rlimits and says so in the result).
    package static func create(name: String, limits: ResourceLimits, root: String = "/sys/fs/cgroup") throws(CgroupUnavailable) -> SandboxCgroup {
        let own = ownCgroups()
        if access(root + "/cgroup.controllers", F_OK) == 0 {
            let base = PathUtilities.join(root, own[""] ?? "/")
            sweepStale(in: base)
            let dir = PathUtilities.join(base, name)
            _ = writeFile(base + "/cgroup.subtree_control", "+memory +pids")
            guard mkdir(dir, 0o755) == 0 else { throw CgroupUnavailable("cannot create \(dir): \(errnoText())") }
            let cgroup = SandboxCgroup(version: .v2, directories: ["": dir])
            do {
                if let memory = limits.memoryBytes {
                    try cgroup.set("", "memory.max", "\(memory)")
                    _ = writeFile(dir + "/memory.swap.max", "0")
                }
                if let pids = limits.processes { try cgroup.set("", "pids.max", "\(pids)") }
            } catch { cgroup.remove(); throw error }
            return cgroup
        }
        var dirs: [String: String] = [:]
        for controller in ["memory", "pids"] {
            let mountPoint = root + "/" + controller
            guard access(mountPoint, W_OK) == 0 else { continue }
            let base = PathUtilities.join(mountPoint, own[controller] ?? "/")
            sweepStale(in: base)
            let dir = PathUtilities.join(base, name)
            guard mkdir(dir, 0o755) == 0 else {
                SandboxCgroup(version: .v1, directories: dirs).remove()
                throw CgroupUnavailable("cannot create \(dir): \(errnoText())")
            }
            dirs[controller] = dir
        }
        guard !dirs.isEmpty else { throw CgroupUnavailable("no writable cgroup hierarchy under \(root)") }
        let cgroup = SandboxCgroup(version: .v1, directories: dirs)
        do {
            if let memory = limits.memoryBytes, dirs["memory"] != nil {
                try cgroup.set("memory", "memory.limit_in_bytes", "\(memory)")
                _ = writeFile(dirs["memory"]! + "/memory.memsw.limit_in_bytes", "\(memory)")
            }
            if let pids = limits.processes, dirs["pids"] != nil { try cgroup.set("pids", "pids.max", "\(pids)") }
        } catch { cgroup.remove(); throw error }
        return cgroup
    }

    /// The cgroup name for a run: the creating process's pid is part of it, so a later run can tell a cgroup
    /// whose creator is gone (killed with SIGKILL before it could remove it) from one still in use.
    package static func name(forRun id: String, pid: pid_t = getpid()) -> String { "clawguard-p\(pid)-\(id)" }

    /// Removes sibling cgroups left by runs whose creating process no longer exists. `rmdir` refuses a cgroup that
    /// still holds processes, so a group with survivors stays (and stays visible to the operator).
    /// - Returns: the names removed.
    @discardableResult
    package static func sweepStale(in base: String) -> [String] {
        guard let dir = opendir(base) else { return [] }
        defer { closedir(dir) }
        var removed: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name.hasPrefix("clawguard-p") else { continue }
            let digits = name.dropFirst("clawguard-p".count).prefix(while: \.isNumber)
            guard let pid = pid_t(digits), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH && rmdir(PathUtilities.join(base, name)) == 0 { removed.append(name) }
        }
        return removed
    }

    private func set(_ controller: String, _ file: String, _ value: String) throws(CgroupUnavailable) {
        guard let dir = directories[controller] else { return }
        guard Self.writeFile(dir + "/" + file, value) else {
            throw CgroupUnavailable("cannot write \(value) to \(dir)/\(file): \(Self.errnoText())")
        }
    }

    /// Whether memory is limited by this cgroup.
    package var hasMemoryController: Bool { version == .v2 || directories["memory"] != nil }

    /// Moves a process (and its future children) into the cgroup.
    package func add(pid: pid_t) throws(CgroupUnavailable) {
        for (_, dir) in directories {
            guard Self.writeFile(dir + "/cgroup.procs", "\(pid)") else {
                throw CgroupUnavailable("cannot move the sandbox into \(dir): \(Self.errnoText())")
            }
        }
    }

    /// Counters read after the run.
    package func events() -> CgroupEvents {
        var events = CgroupEvents()
        switch version {
        case .v2:
            guard let dir = directories[""] else { return events }
            let memory = Self.keyValues(Self.readFile(dir + "/memory.events"))
            events.oomKills = memory["oom_kill"] ?? 0
            events.memoryLimitHits = memory["max"] ?? 0
            events.processLimitHits = Self.keyValues(Self.readFile(dir + "/pids.events"))["max"] ?? 0
        case .v1:
            if let dir = directories["memory"] {
                events.oomKills = Self.keyValues(Self.readFile(dir + "/memory.oom_control"))["oom_kill"] ?? 0
                events.memoryLimitHits = Int(Self.readFile(dir + "/memory.failcnt").trimmingSpaces) ?? 0
            }
            if let dir = directories["pids"] {
                events.processLimitHits = Self.keyValues(Self.readFile(dir + "/pids.events"))["max"] ?? 0
            }
        }
        return events
    }

    /// Removes the cgroup directories (retrying briefly while the last processes exit).
    package func remove() {
        for (_, dir) in directories {
            for attempt in 0..<200 {
                if rmdir(dir) == 0 || errno == ENOENT { break }
                if attempt == 199 { break }
                usleep(1000)
            }
        }
    }

    private static func ownCgroups() -> [String: String] {
        var result: [String: String] = [:]
        for line in readFile("/proc/self/cgroup").split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            for controller in parts[1].split(separator: ",") { result[String(controller)] = String(parts[2]) }
            if parts[1].isEmpty { result[""] = String(parts[2]) }
        }
        return result
    }

    private static func keyValues(_ text: String) -> [String: Int] {
        var result: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = Int(parts[1]) { result[String(parts[0])] = value }
        }
        return result
    }

    static func readFile(_ path: String) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 8192)
        let n = read(fd, &buffer, buffer.count)
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
    }

    static func writeFile(_ path: String, _ text: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        return write(fd, bytes, bytes.count) == bytes.count
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// Why cgroups could not be used for a run.
package struct CgroupUnavailable: Error, Sendable, CustomStringConvertible {
    package var description: String
    init(_ description: String) { self.description = description }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
