/// Parses `clawguard run [OPTIONS] -- COMMAND [ARGS…]` without ArgumentParser, whose set-up (type metadata for
/// every command of `clawguard-full`) costs more than the sandbox itself. It must accept exactly the options of
/// `RunCommand` with the same meaning (`Tests/ClawGuardFastPathTests` checks both parsers agree on every option).
/// Anything this parser does not recognise — help, a short flag, a bad number, a missing `--` — returns nil, and
/// the front hands the whole command line to `clawguard-full`, whose ArgumentParser reports the error properly.
package enum RunArguments {
    private enum Kind { case flag, value }

    /// Long option names (as ArgumentParser derives them from `RunCommand`'s properties) that take no value.
    /// Plain arrays, not a dictionary: a `[String: Kind]` table cost 3 % of a run in generic-metadata set-up.
    private static let flags = ["no-workspace", "overlay", "tmp-exec", "no-cgroups", "json"]
    private static let valued = [
        "profile", "policy", "state", "workspace", "network", "allow-domain", "deny-domain", "allow-port",
        "proxy-port", "timeout", "memory", "processes", "cpu-seconds", "open-files", "file-size", "tmp-size",
        "ro-bind", "bind", "env", "cwd", "backend", "image", "runs-dir",
    ]

    private static func kind(of name: String) -> Kind? {
        if flags.contains(name) { return .flag }
        if valued.contains(name) { return .value }
        return nil
    }

    /// The option names this parser knows (for the parity test).
    package static var optionNames: Set<String> { Set(flags + valued) }

    /// Sets one option (a `switch`, not a key-path table: key paths are instantiated at run time, which cost
    /// more than the whole parse). Returns false for a value that does not parse.
    private static func set(_ name: String, _ value: String, in r: inout RunInvocation) -> Bool {
        switch name {
        case "no-workspace": r.noWorkspace = true
        case "overlay": r.overlay = true
        case "tmp-exec": r.tmpExec = true
        case "no-cgroups": r.noCgroups = true
        case "json": r.json = true
        case "profile": r.profile = value
        case "policy": r.policies.append(value)
        case "state": r.state = value
        case "workspace": r.workspace = value
        case "network": r.network = value
        case "allow-domain": r.allowDomains.append(value)
        case "deny-domain": r.denyDomains.append(value)
        case "allow-port":
            guard let n = Int(value) else { return false }
            r.allowPorts.append(n)
        case "proxy-port":
            guard let n = Int(value) else { return false }
            r.proxyPort = n
        case "timeout": r.timeout = value
        case "memory": r.memory = value
        case "processes":
            guard let n = Int(value) else { return false }
            r.processes = n
        case "cpu-seconds":
            guard let n = Int(value) else { return false }
            r.cpuSeconds = n
        case "open-files":
            guard let n = Int(value) else { return false }
            r.openFiles = n
        case "file-size": r.fileSize = value
        case "tmp-size": r.tmpSize = value
        case "ro-bind": r.roBinds.append(value)
        case "bind": r.binds.append(value)
        case "env": r.env.append(value)
        case "cwd": r.cwd = value
        case "backend": r.backend = value
        case "image": r.image = value
        case "runs-dir": r.runsDir = value
        default: return false
        }
        return true
    }

    /// - Parameter arguments: the words after `run`.
    /// - Returns: the invocation, or nil when the front should hand the command line to `clawguard-full`.
    package static func parse(_ arguments: [String]) -> RunInvocation? {
        var invocation = RunInvocation()
        var i = 0
        while i < arguments.count {
            let word = arguments[i]
            if word == "--" {
                // Kept with its `--`, as ArgumentParser's passthrough capture keeps it (`execute` drops one).
                invocation.command = Array(arguments[i...])
                return invocation.command.count > 1 ? invocation : nil
            }
            guard word.hasPrefix("--") else { return nil }
            var name = String(word.dropFirst(2))
            var inlineValue: String?
            if let eq = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let kind = kind(of: name) else { return nil }
            let value: String
            switch kind {
            case .flag:
                guard inlineValue == nil else { return nil }
                value = ""
                i += 1
            case .value:
                if let inlineValue {
                    value = inlineValue
                    i += 1
                } else {
                    guard i + 1 < arguments.count, !arguments[i + 1].hasPrefix("-") else { return nil }
                    value = arguments[i + 1]
                    i += 2
                }
            }
            guard set(name, value, in: &invocation) else { return nil }
        }
        return nil  // no `--`: let ArgumentParser decide what the words mean
    }
}
