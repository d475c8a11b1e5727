/// Parses `clawguard run [OPTIONS] -- COMMAND [ARGS…]` without ArgumentParser, whose set-up (type metadata for
/// every command of `clawguard-full`) costs more than the sandbox itself. The table below must name exactly the
/// options of `RunCommand` (`Tests/ClawGuardFastPathTests` checks both parsers agree). Anything this parser does
/// not recognise — help, a short flag, a bad number, a missing `--` — returns nil, and the front hands the whole
/// command line to `clawguard-full`, whose ArgumentParser reports the error properly.
package enum RunArguments {
    private enum Setter {
        case string(WritableKeyPath<RunInvocation, String>)
        case optionalString(WritableKeyPath<RunInvocation, String?>)
        case strings(WritableKeyPath<RunInvocation, [String]>)
        case int(WritableKeyPath<RunInvocation, Int>)
        case optionalInt(WritableKeyPath<RunInvocation, Int?>)
        case ints(WritableKeyPath<RunInvocation, [Int]>)
        case flag(WritableKeyPath<RunInvocation, Bool>)
    }

    /// Long option name → the field it sets (the names ArgumentParser derives from `RunCommand`'s properties).
    private static var options: [String: Setter] { [
        "profile": .optionalString(\.profile), "policy": .optionalString(\.policy), "state": .optionalString(\.state),
        "workspace": .optionalString(\.workspace), "no-workspace": .flag(\.noWorkspace), "overlay": .flag(\.overlay),
        "network": .string(\.network), "allow-domain": .strings(\.allowDomains), "deny-domain": .strings(\.denyDomains),
        "allow-port": .ints(\.allowPorts), "proxy-port": .int(\.proxyPort), "timeout": .optionalString(\.timeout),
        "memory": .optionalString(\.memory), "processes": .optionalInt(\.processes),
        "cpu-seconds": .optionalInt(\.cpuSeconds), "open-files": .optionalInt(\.openFiles),
        "file-size": .optionalString(\.fileSize), "tmp-size": .optionalString(\.tmpSize), "tmp-exec": .flag(\.tmpExec),
        "ro-bind": .strings(\.roBinds), "bind": .strings(\.binds), "env": .strings(\.env), "cwd": .optionalString(\.cwd),
        "backend": .string(\.backend), "image": .string(\.image), "no-cgroups": .flag(\.noCgroups),
        "json": .flag(\.json), "runs-dir": .optionalString(\.runsDir),
    ] }

    /// The option names this parser knows (for the parity test).
    package static var optionNames: Set<String> { Set(options.keys) }

    /// - Parameter arguments: the words after `run`.
    /// - Returns: the invocation, or nil when the front should hand the command line to `clawguard-full`.
    package static func parse(_ arguments: [String]) -> RunInvocation? {
        let options = Self.options
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
            guard let setter = options[name] else { return nil }
            if case .flag(let path) = setter {
                guard inlineValue == nil else { return nil }
                invocation[keyPath: path] = true
                i += 1
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
                i += 1
            } else {
                guard i + 1 < arguments.count, !arguments[i + 1].hasPrefix("-") else { return nil }
                value = arguments[i + 1]
                i += 2
            }
            switch setter {
            case .string(let path): invocation[keyPath: path] = value
            case .optionalString(let path): invocation[keyPath: path] = value
            case .strings(let path): invocation[keyPath: path].append(value)
            case .int(let path):
                guard let n = Int(value) else { return nil }
                invocation[keyPath: path] = n
            case .optionalInt(let path):
                guard let n = Int(value) else { return nil }
                invocation[keyPath: path] = n
            case .ints(let path):
                guard let n = Int(value) else { return nil }
                invocation[keyPath: path].append(n)
            case .flag: return nil
            }
        }
        return nil  // no `--`: let ArgumentParser decide what the words mean
    }
}
