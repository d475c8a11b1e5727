import Yams

/// One problem found in a policy file: where (file, line, column, key path) and why.
public struct PolicyIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error, warning
    }

    public var severity: Severity
    public var file: String
    /// 1-based; 0 when unknown.
    public var line: Int
    /// 1-based; 0 when unknown.
    public var column: Int
    /// Dotted key path (`profiles.ci.permissions.allow[2]`); empty for the whole file.
    public var key: String
    public var message: String

    public init(_ severity: Severity, file: String, line: Int = 0, column: Int = 0, key: String = "", _ message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    public var description: String {
        var location = file
        if line > 0 { location += ":\(line)" }
        if column > 0 { location += ":\(column)" }
        let keyPart = key.isEmpty ? "" : " \(key):"
        return "\(location):\(keyPart) \(message)"
    }
}

/// The issues of a policy that could not be loaded; carried as `ClawGuardError.underlying`.
public struct PolicyIssues: Error, Sendable, CustomStringConvertible {
    public var issues: [PolicyIssue]
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// Collects issues while a file is decoded, so one run reports every problem.
struct Diagnostics {
    var issues: [PolicyIssue] = []
    var hasErrors: Bool { issues.contains { $0.severity == .error } }

    mutating func error(_ node: YNode, _ message: String) {
        issues.append(PolicyIssue(.error, file: node.file, line: node.line, column: node.column, key: node.path, message))
    }

    mutating func warning(_ node: YNode, _ message: String) {
        issues.append(PolicyIssue(.warning, file: node.file, line: node.line, column: node.column, key: node.path, message))
    }
}

/// A YAML node with its file and key path, and typed readers that report problems precisely.
struct YNode {
    let node: Node
    let file: String
    let path: String

    var line: Int { node.mark?.line ?? 0 }
    var column: Int { node.mark?.column ?? 0 }
    var source: RuleSource { RuleSource(file: file, line: line, column: column) }

    func child(_ key: String, _ value: Node) -> YNode {
        YNode(node: value, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }

    func element(_ index: Int, _ value: Node) -> YNode {
        YNode(node: value, file: file, path: "\(path)[\(index)]")
    }

    var typeName: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let s):
            if s.string.isEmpty || node.null != nil && s.style == .plain { return "null" }
            return "'\(s.string)'"
        }
    }

    var isNull: Bool {
        if case .scalar(let s) = node, s.style == .plain, s.string.isEmpty || s.string == "~" || s.string == "null" {
            return true
        }
        return false
    }

    /// The entries of a mapping whose keys must all be in `allowed`; unknown keys are errors.
    func mapping(_ d: inout Diagnostics, allowed: [String]) -> [(key: String, value: YNode)]? {
        guard case .mapping(let m) = node else {
            d.error(self, "expected a mapping, found \(typeName)")
            return nil
        }
        var out: [(String, YNode)] = []
        var seen = Set<String>()
        for (k, v) in m {
            guard case .scalar(let ks) = k else {
                d.error(self, "mapping keys must be plain strings")
                continue
            }
            let key = ks.string
            let child = YNode(node: v, file: file, path: path.isEmpty ? key : "\(path).\(key)")
            let keyNode = YNode(node: k, file: file, path: child.path)
            if !seen.insert(key).inserted {
                d.error(keyNode, "duplicate key '\(key)'")
                continue
            }
            if !allowed.contains(key) {
                let hint = closest(key, allowed).map { " (did you mean '\($0)'?)" } ?? ""
                d.error(keyNode, "unknown key '\(key)'\(hint); expected one of: \(allowed.joined(separator: ", "))")
                continue
            }
            out.append((key, child))
        }
        return out
    }

    /// A mapping with free-form string keys (names of profiles, actions, models).
    func namedMapping(_ d: inout Diagnostics) -> [(key: String, value: YNode)]? {
        guard case .mapping(let m) = node else {
            d.error(self, "expected a mapping, found \(typeName)")
            return nil
        }
        var out: [(String, YNode)] = []
        var seen = Set<String>()
        for (k, v) in m {
            guard case .scalar(let ks) = k, !ks.string.isEmpty else {
                d.error(self, "mapping keys must be non-empty strings")
                continue
            }
            let child = child(ks.string, v)
            if !seen.insert(ks.string).inserted {
                d.error(YNode(node: k, file: file, path: child.path), "duplicate key '\(ks.string)'")
                continue
            }
            out.append((ks.string, child))
        }
        return out
    }

    func string(_ d: inout Diagnostics) -> String? {
        guard case .scalar(let s) = node, !isNull else {
            d.error(self, "expected a string, found \(typeName)")
            return nil
        }
        return s.string
    }

    func bool(_ d: inout Diagnostics) -> Bool? {
        guard case .scalar(let s) = node else {
            d.error(self, "expected true or false, found \(typeName)")
            return nil
        }
        switch s.string {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            d.error(self, "expected true or false, found '\(s.string)'")
            return nil
        }
    }

    func int(_ d: inout Diagnostics, in range: ClosedRange<Int>) -> Int? {
        guard case .scalar(let s) = node, s.style == .plain, let v = Int(s.string) else {
            d.error(self, "expected an integer, found \(typeName)")
            return nil
        }
        guard range.contains(v) else {
            d.error(self, "\(v) is out of range \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return v
    }

    func double(_ d: inout Diagnostics, in range: ClosedRange<Double>) -> Double? {
        guard case .scalar(let s) = node, s.style == .plain, let v = Double(s.string), v.isFinite else {
            d.error(self, "expected a number, found \(typeName)")
            return nil
        }
        guard range.contains(v) else {
            d.error(self, "\(s.string) is out of range \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return v
    }

    /// A list of strings, each with its node (for line numbers). A single string is refused: lists stay lists.
    func stringList(_ d: inout Diagnostics) -> [(String, YNode)]? {
        if isNull { return [] }
        guard case .sequence(let seq) = node else {
            d.error(self, "expected a list, found \(typeName)")
            return nil
        }
        var out: [(String, YNode)] = []
        for (i, item) in seq.enumerated() {
            let e = element(i, item)
            if let s = e.string(&d) { out.append((s, e)) }
        }
        return out
    }

    func list(_ d: inout Diagnostics) -> [YNode]? {
        if isNull { return [] }
        guard case .sequence(let seq) = node else {
            d.error(self, "expected a list, found \(typeName)")
            return nil
        }
        return seq.enumerated().map { element($0.offset, $0.element) }
    }

    /// One of `choices`.
    func choice(_ d: inout Diagnostics, _ choices: [String]) -> String? {
        guard let s = string(&d) else { return nil }
        guard choices.contains(s) else {
            d.error(self, "'\(s)' is not one of: \(choices.joined(separator: ", "))")
            return nil
        }
        return s
    }

    /// A duration: `90`, `30s`, `5m`, `2h`, `1d` (seconds).
    func duration(_ d: inout Diagnostics) -> Int? {
        guard let s = string(&d) else { return nil }
        guard let v = Units.duration(s) else {
            d.error(self, "'\(s)' is not a duration; write e.g. 30s, 5m, 2h, 1d")
            return nil
        }
        return v
    }

    /// A size: `1024`, `512K`, `100M`, `2G` (bytes, binary units).
    func size(_ d: inout Diagnostics) -> Int64? {
        guard let s = string(&d) else { return nil }
        guard let v = Units.size(s) else {
            d.error(self, "'\(s)' is not a size; write e.g. 512K, 100M, 2G")
            return nil
        }
        return v
    }
}

/// Parsers for the human units policy files use.
enum Units {
    static func duration(_ raw: String) -> Int? {
        let s = raw.trimmingSpaces()
        let table: [(String, Int)] = [("ms", 0), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        if let v = Int(s), v >= 0 { return v }
        for (suffix, factor) in table where s.hasSuffix(suffix) && factor > 0 {
            if let v = Int(s.dropLast(suffix.count).trimmingSpaces()), v >= 0, v <= Int(Int32.max) {
                return v * factor
            }
        }
        return nil
    }

    static func size(_ raw: String) -> Int64? {
        var s = raw.trimmingSpaces().uppercased()
        if s.hasSuffix("IB") { s = String(s.dropLast(2)) } else if s.hasSuffix("B") { s = String(s.dropLast()) }
        let table: [(String, Int64)] = [("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("T", 1 << 40)]
        for (suffix, factor) in table where s.hasSuffix(suffix) {
            guard let v = Int64(s.dropLast().trimmingSpaces()), v >= 0, v <= (Int64.max / factor) else { return nil }
            return v * factor
        }
        guard let v = Int64(s), v >= 0 else { return nil }
        return v
    }
}

/// The allowed key closest to a misspelled one (edit distance ≤ 2).
func closest(_ key: String, _ candidates: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        var prev = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return a.isEmpty ? b.count : prev[b.count]
    }
    let k = Array(key)
    let best = candidates.map { ($0, distance(k, Array($0))) }.min { $0.1 < $1.1 }
    guard let best, best.1 <= 2 else { return nil }
    return best.0
}
