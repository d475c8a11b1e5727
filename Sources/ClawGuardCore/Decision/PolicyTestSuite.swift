import Yams

/// `clawguard policy test`: a YAML file of `{call, expect}` cases, for users' own regression tests.
///
/// ```yaml
/// cases:
///   - name: no secrets
///     call: cat ~/.ssh/id_rsa            # a shell command, or {tool: Read, input: {file_path: …}}
///     expect: deny                       # allow | ask | deny | not-allow
///     cwd: /work/project                 # optional
/// ```
public struct PolicyTestSuite: Sendable {
    public struct Case: Sendable {
        public var name: String
        public var call: ToolCall
        /// `allow`, `ask`, `deny`, or `not-allow` (ask or deny).
        public var expect: String
        public var line: Int
    }

    public struct Result: Sendable {
        public var testCase: Case
        public var verdict: Verdict
        public var passed: Bool
    }

    public var cases: [Case]

    /// Parses a suite. - Throws: `ClawGuardError(.invalidInput)` naming the line of a malformed case.
    public init(yaml: String, name: String, defaultCwd: String) throws(ClawGuardError) {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw ClawGuardError(.invalidInput, "\(name): not valid YAML: \(error)")
        }
        var list: [Node] = []
        if let sequence = node?.sequence {
            list = Array(sequence)
        } else if let mapping = node?.mapping, let sequence = mapping["cases"]?.sequence {
            list = Array(sequence)
        } else {
            throw ClawGuardError(.invalidInput, "\(name): expected a list of cases (or a `cases:` list)")
        }
        var cases: [Case] = []
        for (index, item) in list.enumerated() {
            let line = item.mark.map { $0.line } ?? 0
            guard let mapping = item.mapping else { throw ClawGuardError(.invalidInput, "\(name):\(line): case \(index + 1) is not a mapping") }
            for key in mapping.keys.compactMap(\.string) where !["name", "call", "expect", "cwd"].contains(key) {
                throw ClawGuardError(.invalidInput, "\(name):\(line): unknown key `\(key)` (expected name, call, expect, cwd)")
            }
            guard let expect = mapping["expect"]?.string, ["allow", "ask", "deny", "not-allow"].contains(expect) else {
                throw ClawGuardError(.invalidInput, "\(name):\(line): `expect` must be allow, ask, deny or not-allow")
            }
            let cwd = mapping["cwd"]?.string ?? defaultCwd
            let call: ToolCall
            if let command = mapping["call"]?.string {
                call = .bash(command, cwd: cwd)
            } else if let object = mapping["call"], object.mapping != nil {
                let value = Self.json(object)
                guard let tool = value["tool"]?.stringValue, let input = value["input"], case .object = input else {
                    throw ClawGuardError(.invalidInput, "\(name):\(line): `call` needs `tool` and an `input` mapping")
                }
                call = ToolCall(tool: tool, input: input, cwd: cwd)
            } else {
                throw ClawGuardError(.invalidInput, "\(name):\(line): `call` must be a command string or {tool, input}")
            }
            cases.append(Case(name: mapping["name"]?.string ?? "case \(index + 1)", call: call, expect: expect, line: line))
        }
        self.cases = cases
    }

    static func json(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if let b = Bool.construct(from: scalar) { return .bool(b) }
                if let i = Int.construct(from: scalar) { return .number(Double(i)) }
                if let d = Double.construct(from: scalar) { return .number(d) }
                if scalar.string == "~" || scalar.string == "null" { return .null }
            }
            return .string(scalar.string)
        case .sequence(let sequence): return .array(sequence.map(json))
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping { object[key.string ?? ""] = json(value) }
            return .object(object)
        case .alias: return .null
        }
    }

    /// Runs every case.
    public func run(_ engine: DecisionEngine) -> [Result] {
        cases.map { c in
            let verdict = engine.decide(c.call)
            let passed = c.expect == "not-allow" ? verdict.decision != .allow : verdict.decision.rawValue == c.expect
            return Result(testCase: c, verdict: verdict, passed: passed)
        }
    }
}
