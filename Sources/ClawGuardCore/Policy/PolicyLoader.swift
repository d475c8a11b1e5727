import Foundation
import Yams

/// The result of validating policy files: the policy when it loaded, every issue, and lint findings.
public struct PolicyValidation: Sendable {
    public var policy: Policy?
    /// Errors and warnings, in file order.
    public var issues: [PolicyIssue]
    public var lint: [LintFinding]
    public var isValid: Bool { policy != nil && !issues.contains { $0.severity == .error } }
}

/// Reads policy files (ClawGuard YAML or Claude Code settings JSON), layered, and resolves one profile.
///
/// Layering: rules and lists from every file add up and evaluation is deny > ask > allow, so a deny anywhere
/// wins; the mode is the strictest any file sets; limits and budgets take the smallest value; see docs/POLICY.md.
public enum PolicyLoader {
    /// Policy files larger than this are refused.
    public static let maximumFileSize = 1 << 20

    /// One policy input: a name (path) and its text.
    public struct Input: Sendable {
        public enum Format: Sendable { case clawguard, claudeSettings }
        public var name: String
        public var text: String
        public var format: Format

        public init(name: String, text: String, format: Format? = nil) {
            self.name = name
            self.text = text
            self.format = format ?? (name.hasSuffix(".json") ? .claudeSettings : .clawguard)
        }
    }

    /// Loads and layers `paths` (a deny anywhere wins) and resolves `profile` (nil: the default profile).
    /// - Throws: `ClawGuardError` with code `.invalidPolicy` naming file, line, key and why
    ///   (`underlying` is a `PolicyIssues` with every problem).
    public static func load(paths: [String], profile: String?, cwd: String, home: String) throws -> Policy {
        let inputs = try read(paths: paths, cwd: cwd, home: home)
        return try load(inputs: inputs, profile: profile, cwd: cwd, home: home)
    }

    /// Loads policy texts already in memory.
    public static func load(inputs: [Input], profile: String?, cwd: String, home: String) throws(ClawGuardError) -> Policy {
        let result = validate(inputs: inputs, profile: profile, cwd: cwd, home: home)
        guard let policy = result.policy, result.isValid else {
            let errors = result.issues.filter { $0.severity == .error }
            let shown = errors.prefix(20).map(\.description).joined(separator: "\n  ")
            let more = errors.count > 20 ? "\n  … and \(errors.count - 20) more" : ""
            throw ClawGuardError(
                .invalidPolicy, "invalid policy; ClawGuard refuses to run on it:\n  \(shown)\(more)",
                underlying: PolicyIssues(issues: result.issues))
        }
        return policy
    }

    /// Validates without throwing: every issue, lint findings, and the policy when it is valid.
    public static func validate(paths: [String], profile: String?, cwd: String, home: String) -> PolicyValidation {
        do {
            let inputs = try read(paths: paths, cwd: cwd, home: home)
            return validate(inputs: inputs, profile: profile, cwd: cwd, home: home)
        } catch {
            let issue: PolicyIssue
            if let issues = error.underlying as? PolicyIssues, let first = issues.issues.first {
                issue = first
            } else {
                issue = PolicyIssue(.error, file: paths.first ?? "", "\(error)")
            }
            return PolicyValidation(policy: nil, issues: [issue], lint: [])
        }
    }

    /// Validates texts already in memory.
    public static func validate(inputs: [Input], profile: String?, cwd: String, home: String) -> PolicyValidation {
        var d = Diagnostics()
        var files: [(Input, PolicyFile?, ProfileLayer?, PathBase)] = []
        for input in inputs {
            guard input.text.utf8.count <= maximumFileSize else {
                d.issues.append(PolicyIssue(.error, file: input.name, "file is larger than \(maximumFileSize) bytes"))
                continue
            }
            guard let node = parse(input, &d) else { continue }
            let root = YNode(node: node, file: input.name, path: "")
            switch sniff(input, node) {
            case .clawguard:
                let base = PathBase(home: home, cwd: cwd, policyDirectory: PathResolver.normalize(input.name + "/.."))
                files.append((input, PolicyFile.decode(root, base: base, &d), nil, base))
            case .claudeSettings:
                let base = PathBase(home: home, cwd: cwd, policyDirectory: ClaudeSettings.baseDirectory(forSettingsFile: input.name))
                files.append((input, nil, ClaudeSettings.decode(root, base: base, &d), base))
            }
        }
        guard !d.hasErrors else { return PolicyValidation(policy: nil, issues: d.issues, lint: []) }

        let profileName = profile ?? files.lazy.compactMap { $0.1?.defaultProfile }.first ?? "default"
        var layers: [ProfileLayer] = []
        var sources: [String] = []
        var defined = false
        do {
            for (input, file, claude, base) in files {
                sources.append(input.name)
                if let file {
                    if let layer = try file.resolve(profileName, base: base) {
                        defined = true
                        layers.append(layer)
                        if let builtinParent = rootBuiltin(of: profileName, in: file) { sources.append("builtin:\(builtinParent)") }
                    } else {
                        layers.append(file.defaults)
                    }
                } else if let claude {
                    layers.append(claude)
                }
            }
            if !defined {
                let base = PathBase(home: home, cwd: cwd)
                guard var builtin = try BuiltinProfiles.layer(profileName, base: base) else {
                    var known = Set(BuiltinProfiles.names)
                    for f in files { known.formUnion(f.1?.profiles.keys.map { $0 } ?? []) }
                    d.issues.append(
                        PolicyIssue(.error, file: inputs.first?.name ?? "(no policy file)", key: "profile",
                            "unknown profile '\(profileName)'; known profiles: \(known.sorted().joined(separator: ", "))"))
                    return PolicyValidation(policy: nil, issues: d.issues, lint: [])
                }
                // The built-in profile is the base the files build on: a mode set by a file replaces its mode.
                if layers.contains(where: { $0.mode != nil }) { builtin.mode = nil }
                layers.insert(builtin, at: 0)
                sources.insert("builtin:\(profileName)", at: 0)
            }
        } catch {
            d.issues.append(PolicyIssue(.error, file: inputs.first?.name ?? "", error.message))
            return PolicyValidation(policy: nil, issues: d.issues, lint: [])
        }
        var policy = merge(layers, profileName: profileName, sources: sources, cwd: cwd, home: home,
                           protectedFiles: inputs.map(\.name).filter { $0.hasPrefix("/") }, &d)
        policy.warnings = d.issues.filter { $0.severity == .warning }
        let lint = PolicyLint.findings(policy)
        return PolicyValidation(policy: d.hasErrors ? nil : policy, issues: d.issues, lint: lint)
    }

    /// A built-in profile (default, explorer, reviewer, refactorer, builder, deployer), compiled for the
    /// process's working directory and `$HOME`.
    public static func builtin(_ profile: String) throws -> Policy {
        let env = ProcessInfo.processInfo.environment
        return try builtin(profile, cwd: FileManager.default.currentDirectoryPath, home: env["HOME"] ?? "/")
    }

    /// A built-in profile compiled for `cwd` and `home`.
    public static func builtin(_ profile: String, cwd: String, home: String) throws(ClawGuardError) -> Policy {
        guard BuiltinProfiles.names.contains(profile) else {
            throw ClawGuardError(
                .invalidPolicy, "unknown built-in profile '\(profile)'; built-in profiles: \(BuiltinProfiles.names.joined(separator: ", "))")
        }
        return try load(inputs: [], profile: profile, cwd: cwd, home: home)
    }

    // MARK: - Internals

    static func read(paths: [String], cwd: String, home: String) throws(ClawGuardError) -> [Input] {
        let resolver = PathResolver(home: home, followSymlinks: false)
        var inputs: [Input] = []
        for raw in paths {
            let path = resolver.lexicalPath(raw, cwd: cwd)
            let data: Data
            switch PolicyFileReader.contents(of: path, limit: maximumFileSize) {
            case .success(let bytes): data = bytes
            case .failure(.tooLarge):
                throw ClawGuardError(.invalidPolicy, "\(path): file is larger than \(maximumFileSize) bytes")
            case .failure(.system(let reason)):
                throw ClawGuardError(
                    .invalidPolicy, "\(path): cannot read the policy file (\(reason))",
                    underlying: PolicyIssues(issues: [PolicyIssue(.error, file: path, "cannot read the policy file")]))
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw ClawGuardError(
                    .invalidPolicy, "\(path): not UTF-8 text",
                    underlying: PolicyIssues(issues: [PolicyIssue(.error, file: path, "not UTF-8 text")]))
            }
            inputs.append(Input(name: path, text: text))
        }
        return inputs
    }

    /// Yams' plain resolver: no implicit tags. The policy grammar reads every scalar's text itself (`YNode.bool`,
    /// `.int`, `.isNull`), so Yams' default resolver only cost its regular expressions — compiling them (ICU's
    /// static sets) was 6 % of a hook's run.
    static let yamlResolver = Resolver.basic

    static func parse(_ input: Input, _ d: inout Diagnostics) -> Node? {
        do {
            guard let node = try Yams.compose(yaml: input.text, yamlResolver) else {
                d.issues.append(PolicyIssue(.error, file: input.name, "the file is empty"))
                return nil
            }
            return node
        } catch let error as YamlError {
            if input.format == .claudeSettings, let node = parseJSON(input.text) { return node }
            var line = 0
            var column = 0
            var problem = "\(error)"
            switch error {
            case .scanner(_, let p, let mark, _), .parser(_, let p, let mark, _), .composer(_, let p, let mark, _):
                line = mark.line
                column = mark.column
                problem = p
            case .duplicatedKeysInMapping(let duplicates, let context):
                line = context.mark.line
                column = context.mark.column
                problem = "duplicate key(s) \(duplicates.joined(separator: ", "))"
            default: break
            }
            d.issues.append(PolicyIssue(.error, file: input.name, line: line, column: column, "not valid YAML: \(problem)"))
            return nil
        } catch {
            d.issues.append(PolicyIssue(.error, file: input.name, "not valid YAML: \(error)"))
            return nil
        }
    }

    /// JSON that libyaml refuses (tabs): parsed with Foundation, without line numbers.
    static func parseJSON(_ text: String) -> Node? {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { return nil }
        func convert(_ value: JSONValue) -> Node {
            switch value {
            case .object(let dict): return Node(dict.keys.sorted().map { (Node($0), convert(dict[$0]!)) })
            case .array(let array): return Node(array.map(convert))
            case .string(let string): return Node(string, Tag(.str), .doubleQuoted)
            case .bool(let b): return Node(b ? "true" : "false")
            case .number(let n): return Node(n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n))
            case .null: return Node("null")
            }
        }
        return convert(value)
    }

    /// The format by content, when it contradicts the extension: a JSON object with `permissions` or `sandbox`
    /// and no `version` is Claude Code settings; a `.json` file with `version` or `profiles` is a ClawGuard policy.
    static func sniff(_ input: Input, _ node: Node) -> Input.Format {
        guard case .mapping(let m) = node else { return input.format }
        let keys = Set(m.keys.compactMap(\.string))
        switch input.format {
        case .clawguard:
            let looksJSON = input.text.trimmingSpaces().hasPrefix("{")
            if looksJSON, !keys.contains("version"), !keys.isDisjoint(with: ["permissions", "sandbox", "$schema"]) {
                return .claudeSettings
            }
        case .claudeSettings:
            if keys.contains("version") || keys.contains("profiles") { return .clawguard }
        }
        return input.format
    }

    static func rootBuiltin(of name: String, in file: PolicyFile) -> String? {
        var current = name
        var seen = Set<String>()
        while let layer = file.profiles[current], let parent = layer.extends, seen.insert(current).inserted {
            if file.profiles[parent] == nil { return BuiltinProfiles.names.contains(parent) ? parent : nil }
            current = parent
        }
        return nil
    }

    static func merge(
        _ layers: [ProfileLayer], profileName: String, sources: [String], cwd: String, home: String,
        protectedFiles: [String], _ d: inout Diagnostics
    ) -> Policy {
        var mode: PermissionMode?
        var rules: [PermissionRule] = []
        var fs = FilesystemRules()
        var net = NetworkRules()
        var dirs: [String] = []
        var limits = Limits()
        var budgets = Budgets()
        var loop: LoopDetection?
        var windows: [TimeWindows] = []
        var timeout: Int?
        var shadowValues: [Bool] = []
        var sandbox: SandboxSettings?
        var scanners: ScannerSettings?
        var alerts: [AlertRule] = []
        var actions: [String: ActionTarget] = [:]
        for layer in layers {
            if let m = layer.mode { mode = mode.map { $0.strictness >= m.strictness ? $0 : m } ?? m }
            rules += layer.rules
            fs.read += layer.filesystem.read
            fs.write += layer.filesystem.write
            fs.deny += layer.filesystem.deny
            fs.denyWrite += layer.filesystem.denyWrite
            fs.unprotect += layer.filesystem.unprotect
            net.allow += layer.network.allow
            net.deny += layer.network.deny
            if !layer.network.allowPorts.isEmpty {
                net.allowPorts = net.allowPorts.isEmpty ? layer.network.allowPorts : net.allowPorts.filter(layer.network.allowPorts.contains)
                if net.allowPorts.isEmpty { net.allowPorts = [0] }  // disjoint port lists: no port is allowed
            }
            for dir in layer.additionalDirectories where !dirs.contains(dir) { dirs.append(dir) }
            if let l = layer.limits { limits = limits.merged(l) }
            if let b = layer.budgets { budgets = budgets.merged(b) }
            if let l = layer.loopDetection { loop = loop.map { $0.merged(l) } ?? l }
            if let t = layer.timeWindows { windows.append(t) }
            timeout = minOpt(timeout, layer.sessionTimeout)
            if let s = layer.shadow { shadowValues.append(s) }
            if let s = layer.sandbox { sandbox = sandbox.map { $0.merged(s) } ?? s }
            if let s = layer.scanners { scanners = scanners.map { $0.merged(s) } ?? s }
            alerts += layer.alerts
            for (name, target) in layer.actions {
                if let existing = actions[name], existing != target {
                    d.issues.append(PolicyIssue(.warning, file: sources.last ?? "", key: "actions.\(name)",
                        "action '\(name)' is defined differently by several files; the first definition is used"))
                    continue
                }
                actions[name] = target
            }
        }
        var policy = Policy(
            profileName: profileName, mode: mode ?? .default, sources: sources, rules: rules, filesystem: fs,
            network: net, additionalDirectories: dirs, warnings: [], home: home, cwd: cwd, protectedFiles: protectedFiles)
        policy.limits = limits
        policy.budgets = budgets
        policy.loopDetection = loop ?? LoopDetection()
        policy.timeWindows = windows
        policy.sessionTimeoutSeconds = timeout
        // Enforcing is the safe side: shadow only when some layer asks for it and none refuses it.
        policy.shadow = !shadowValues.isEmpty && !shadowValues.contains(false)
        policy.sandbox = sandbox ?? SandboxSettings()
        policy.scanners = scanners ?? ScannerSettings()
        policy.alerts = alerts
        policy.actions = actions
        return policy
    }
}

extension PolicyFile {
    /// Every profile name a file defines.
    var profileNames: [String] { profiles.keys.sorted() }
}

/// Where ClawGuard looks for policy files when none is named.
///
/// Order (all found files are layered; a deny anywhere wins):
/// 1. `$CLAWGUARD_POLICY` — one path or several separated by `:`. When set, nothing else is read.
/// 2. `~/.clawguard/policy.yaml` — the user's policy.
/// 3. `.clawguard.yaml` and `clawguard.yaml` in the working directory and each parent up to the repository
///    root (the first directory holding `.git`) or the home directory, outermost first.
/// When nothing is found, the built-in `default` profile applies (`PolicyLoader.load(paths: [])`).
public enum PolicyLocator {
    /// The project policy file names, in the order they are read within one directory.
    public static let projectFileNames = [".clawguard.yaml", "clawguard.yaml"]

    /// The policy files that apply in `cwd`, in layer order.
    public static func locate(cwd: String, home: String, environment: [String: String]) -> [String] {
        if let explicit = environment["CLAWGUARD_POLICY"], !explicit.isEmpty {
            return explicit.split(separator: ":").map { PathResolver(home: home, followSymlinks: false).lexicalPath(String($0), cwd: cwd) }
        }
        let fm = FileManager.default
        var found: [String] = []
        let user = PathResolver.normalize(home + "/.clawguard/policy.yaml")
        if fm.fileExists(atPath: user) { found.append(user) }
        var project: [String] = []
        var dir = PathResolver.normalize(cwd)
        let stop = PathResolver.normalize(home)
        while true {
            for name in projectFileNames.reversed() {
                let candidate = dir == "/" ? "/" + name : dir + "/" + name
                if fm.fileExists(atPath: candidate), candidate != user { project.append(candidate) }
            }
            if fm.fileExists(atPath: dir + "/.git") || dir == stop || dir == "/" { break }
            dir = PathResolver.normalize(dir + "/..")
        }
        found += project.reversed()
        return found
    }

    /// Locates and loads the policy for `cwd` (the built-in default profile when no file is found).
    public static func loadPolicy(cwd: String, home: String, environment: [String: String], profile: String? = nil) throws -> Policy {
        let paths = locate(cwd: cwd, home: home, environment: environment)
        return try PolicyLoader.load(paths: paths, profile: profile ?? environment["CLAWGUARD_PROFILE"], cwd: cwd, home: home)
    }
}

/// Reads a policy file with plain system calls (Foundation's `attributesOfItem` and `Data(contentsOf:)` cost a
/// hook more than parsing the file).
enum PolicyFileReader {
    enum Failure: Error {
        case tooLarge
        case system(String)
    }

    static func contents(of path: String, limit: Int) -> Result<Data, Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(.system(String(cString: strerror(errno)))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(.system(String(cString: strerror(errno)))) }
        if (info.st_mode & S_IFMT) == S_IFDIR { return .failure(.system(String(cString: strerror(EISDIR)))) }
        if Int(info.st_size) > limit { return .failure(.tooLarge) }
        var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0) + 1)
        var count = 0
        while true {
            if count == bytes.count {
                if count > limit { return .failure(.tooLarge) }
                bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, limit + 1 - bytes.count + 1)))
            }
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(.system(String(cString: strerror(errno))))
            }
            if n == 0 { break }
            count += n
        }
        if count > limit { return .failure(.tooLarge) }
        return .success(Data(bytes[0..<count]))
    }
}
