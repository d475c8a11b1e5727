import Yams

// Typed sections that later parts of ClawGuard consume (rate limits, budgets, loop detection, time windows,
// shadow mode, sandbox limits, scanners, alerts and alert actions). They are parsed and validated now so a
// policy with a typo anywhere is refused; they do nothing by themselves.
//
// Layering (several files, or a profile and its parents across files) combines them field by field toward the
// safe side: smaller limits and budgets, larger loop windows, enforcing over shadow, blocking over warning.

/// Maximum calls in a minute, an hour and a day (nil: unlimited).
public struct RateLimit: Sendable, Hashable, Codable {
    public var perMinute: Int?
    public var perHour: Int?
    public var perDay: Int?

    public init(perMinute: Int? = nil, perHour: Int? = nil, perDay: Int? = nil) {
        self.perMinute = perMinute
        self.perHour = perHour
        self.perDay = perDay
    }

    static func decode(_ n: YNode, _ d: inout Diagnostics) -> RateLimit {
        var r = RateLimit()
        for (key, v) in n.mapping(&d, allowed: ["per_minute", "per_hour", "per_day"]) ?? [] {
            let value = v.int(&d, in: 0...Int(Int32.max))
            switch key {
            case "per_minute": r.perMinute = value
            case "per_hour": r.perHour = value
            default: r.perDay = value
            }
        }
        return r
    }

    func merged(_ o: RateLimit) -> RateLimit {
        RateLimit(perMinute: minOpt(perMinute, o.perMinute), perHour: minOpt(perHour, o.perHour), perDay: minOpt(perDay, o.perDay))
    }
}

/// `limits`: rate limits per agent, per session and per user.
public struct Limits: Sendable, Hashable, Codable {
    public var perAgent = RateLimit()
    public var perSession = RateLimit()
    public var perUser = RateLimit()

    public init() {}

    static func decode(_ n: YNode, _ d: inout Diagnostics) -> Limits {
        var l = Limits()
        for (key, v) in n.mapping(&d, allowed: ["per_agent", "per_session", "per_user"]) ?? [] {
            let r = RateLimit.decode(v, &d)
            switch key {
            case "per_agent": l.perAgent = r
            case "per_session": l.perSession = r
            default: l.perUser = r
            }
        }
        return l
    }

    func merged(_ o: Limits) -> Limits {
        var l = Limits()
        l.perAgent = perAgent.merged(o.perAgent)
        l.perSession = perSession.merged(o.perSession)
        l.perUser = perUser.merged(o.perUser)
        return l
    }
}

/// Price of one model, in USD per million tokens.
public struct ModelPrice: Sendable, Hashable, Codable {
    public var inputPerMTok: Double
    public var outputPerMTok: Double
    public var cacheReadPerMTok: Double?
    public var cacheWritePerMTok: Double?
}

/// `budgets`: spending limits in USD.
public struct Budgets: Sendable, Hashable, Codable {
    public var sessionUSD: Double?
    public var dailyUSDPerUser: Double?
    /// Warn when this percentage of a budget is spent (default 80).
    public var warnAtPercent: Double?
    /// Model name → price.
    public var prices: [String: ModelPrice] = [:]

    public init() {}

    static func decode(_ n: YNode, _ d: inout Diagnostics) -> Budgets {
        var b = Budgets()
        for (key, v) in n.mapping(&d, allowed: ["session_usd", "daily_usd_per_user", "warn_at", "prices"]) ?? [] {
            switch key {
            case "session_usd": b.sessionUSD = v.double(&d, in: 0...1e9)
            case "daily_usd_per_user": b.dailyUSDPerUser = v.double(&d, in: 0...1e9)
            case "warn_at": b.warnAtPercent = v.double(&d, in: 0...100)
            default:
                for (model, p) in v.namedMapping(&d) ?? [] {
                    var input: Double?
                    var output: Double?
                    var price = ModelPrice(inputPerMTok: 0, outputPerMTok: 0)
                    let keys = ["input_per_mtok", "output_per_mtok", "cache_read_per_mtok", "cache_write_per_mtok"]
                    for (pk, pv) in p.mapping(&d, allowed: keys) ?? [] {
                        let value = pv.double(&d, in: 0...1e6)
                        switch pk {
                        case "input_per_mtok": input = value
                        case "output_per_mtok": output = value
                        case "cache_read_per_mtok": price.cacheReadPerMTok = value
                        default: price.cacheWritePerMTok = value
                        }
                    }
                    guard let input, let output else {
                        d.error(p, "a price needs input_per_mtok and output_per_mtok")
                        continue
                    }
                    price.inputPerMTok = input
                    price.outputPerMTok = output
                    b.prices[model] = price
                }
            }
        }
        return b
    }

    func merged(_ o: Budgets) -> Budgets {
        var b = Budgets()
        b.sessionUSD = minOpt(sessionUSD, o.sessionUSD)
        b.dailyUSDPerUser = minOpt(dailyUSDPerUser, o.dailyUSDPerUser)
        b.warnAtPercent = minOpt(warnAtPercent, o.warnAtPercent)
        // The higher price wins: overestimating cost is the safe side.
        b.prices = prices.merging(o.prices) { a, c in
            ModelPrice(
                inputPerMTok: max(a.inputPerMTok, c.inputPerMTok), outputPerMTok: max(a.outputPerMTok, c.outputPerMTok),
                cacheReadPerMTok: maxOpt(a.cacheReadPerMTok, c.cacheReadPerMTok),
                cacheWritePerMTok: maxOpt(a.cacheWritePerMTok, c.cacheWritePerMTok))
        }
        return b
    }
}

/// `loop_detection`: the same call `repeat` times within the last `window` calls.
public struct LoopDetection: Sendable, Hashable, Codable {
    public var enabled = true
    public var repeatCount = 3
    public var window = 5
    /// `ask` or `deny` when a loop is detected (default ask).
    /// What a detected loop gets: `deny` (default: the reference case study repeated one change 127 times) or `ask`.
    public var action: RuleEffect = .deny

    public init() {}

    static func decode(_ n: YNode, _ d: inout Diagnostics) -> LoopDetection {
        var l = LoopDetection()
        for (key, v) in n.mapping(&d, allowed: ["enabled", "repeat", "window", "action"]) ?? [] {
            switch key {
            case "enabled": l.enabled = v.bool(&d) ?? l.enabled
            case "repeat": l.repeatCount = v.int(&d, in: 2...1000) ?? l.repeatCount
            case "window": l.window = v.int(&d, in: 2...10000) ?? l.window
            default: l.action = v.choice(&d, ["ask", "deny"]).flatMap(RuleEffect.init(rawValue:)) ?? l.action
            }
        }
        if l.repeatCount > l.window { d.error(n, "repeat (\(l.repeatCount)) cannot exceed window (\(l.window))") }
        return l
    }

    func merged(_ o: LoopDetection) -> LoopDetection {
        var l = LoopDetection()
        l.enabled = enabled || o.enabled
        l.repeatCount = min(repeatCount, o.repeatCount)
        l.window = max(window, o.window)
        l.action = max(action, o.action)
        return l
    }
}

/// One allowed period: days of the week and a start and end time (`09:00`–`18:00`).
public struct TimeWindow: Sendable, Hashable, Codable {
    /// 1 = Monday … 7 = Sunday.
    public var days: [Int]
    /// Minutes after midnight.
    public var startMinute: Int
    public var endMinute: Int
}

/// `time_windows`: when agents may act, in a time zone; outside, `outside` applies.
public struct TimeWindows: Sendable, Hashable, Codable {
    public var timeZone: String = "UTC"
    public var allowed: [TimeWindow] = []
    public var outside: RuleEffect = .deny

    public init() {}

    static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    static func decode(_ n: YNode, _ d: inout Diagnostics) -> TimeWindows {
        var t = TimeWindows()
        for (key, v) in n.mapping(&d, allowed: ["time_zone", "allowed", "outside"]) ?? [] {
            switch key {
            case "time_zone":
                if let tz = v.string(&d) {
                    if TimeWindows.plausibleTimeZone(tz) { t.timeZone = tz } else {
                        d.error(v, "'\(tz)' is not a time zone; write an IANA name like Europe/Berlin or UTC")
                    }
                }
            case "outside":
                t.outside = v.choice(&d, ["ask", "deny"]).flatMap(RuleEffect.init(rawValue:)) ?? t.outside
            default:
                for item in v.list(&d) ?? [] {
                    var days: [Int] = []
                    var start: Int?
                    var end: Int?
                    for (wk, wv) in item.mapping(&d, allowed: ["days", "from", "to"]) ?? [] {
                        switch wk {
                        case "days":
                            for (day, dn) in wv.stringList(&d) ?? [] {
                                if let range = TimeWindows.days(day) { days += range } else {
                                    d.error(dn, "'\(day)' is not a day; write mon…sun or a range like mon-fri")
                                }
                            }
                        case "from": start = wv.string(&d).flatMap { TimeWindows.minutes($0, wv, &d) }
                        default: end = wv.string(&d).flatMap { TimeWindows.minutes($0, wv, &d) }
                        }
                    }
                    guard let start, let end else {
                        d.error(item, "a time window needs 'from' and 'to' (HH:MM)")
                        continue
                    }
                    if start >= end { d.error(item, "'from' must be before 'to'") }
                    t.allowed.append(TimeWindow(days: days.isEmpty ? Array(1...7) : days, startMinute: start, endMinute: end))
                }
            }
        }
        return t
    }

    static func days(_ text: String) -> [Int]? {
        let lower = text.lowercased()
        if let dash = lower.firstIndex(of: "-") {
            guard let a = dayNames.firstIndex(of: String(lower[..<dash])),
                let b = dayNames.firstIndex(of: String(lower[lower.index(after: dash)...])), a <= b
            else { return nil }
            return Array((a + 1)...(b + 1))
        }
        return dayNames.firstIndex(of: lower).map { [$0 + 1] }
    }

    static func minutes(_ text: String, _ n: YNode, _ d: inout Diagnostics) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0...59).contains(m),
            h * 60 + m <= 1440
        else {
            d.error(n, "'\(text)' is not a time; write HH:MM (24-hour)")
            return nil
        }
        return h * 60 + m
    }

    static func plausibleTimeZone(_ tz: String) -> Bool {
        if tz == "UTC" || tz == "GMT" || tz == "local" { return true }
        let parts = tz.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count >= 2 && parts.allSatisfy { p in
            !p.isEmpty && p.allSatisfy { $0.isLetter || $0 == "_" || $0 == "-" || $0.isNumber || $0 == "+" }
        }
    }
}

/// `sandbox`: resource limits and isolation for `clawguard run`.
public struct SandboxSettings: Sendable, Hashable, Codable {
    public enum NetworkMode: String, Sendable, Hashable, Codable, CaseIterable {
        /// No network at all.
        case none
        /// Only the hosts of the network allow list, through the egress proxy.
        case allowlist
    }

    public var memoryBytes: Int64?
    public var pids: Int?
    public var cpuSeconds: Int?
    public var openFiles: Int?
    public var fileSizeBytes: Int64?
    public var tmpSizeBytes: Int64?
    public var tmpNoexec: Bool = true
    public var network: NetworkMode = .none
    public var timeoutSeconds: Int?

    public init() {}

    static func decode(_ n: YNode, _ d: inout Diagnostics) -> SandboxSettings {
        var s = SandboxSettings()
        let keys = ["memory", "pids", "cpu_seconds", "open_files", "file_size", "tmp_size", "tmp_noexec", "network", "timeout"]
        for (key, v) in n.mapping(&d, allowed: keys) ?? [] {
            switch key {
            case "memory": s.memoryBytes = v.size(&d)
            case "pids": s.pids = v.int(&d, in: 1...4_194_304)
            case "cpu_seconds": s.cpuSeconds = v.int(&d, in: 1...Int(Int32.max))
            case "open_files": s.openFiles = v.int(&d, in: 3...1_048_576)
            case "file_size": s.fileSizeBytes = v.size(&d)
            case "tmp_size": s.tmpSizeBytes = v.size(&d)
            case "tmp_noexec": s.tmpNoexec = v.bool(&d) ?? s.tmpNoexec
            case "network": s.network = v.choice(&d, NetworkMode.allCases.map(\.rawValue)).flatMap(NetworkMode.init) ?? s.network
            default: s.timeoutSeconds = v.duration(&d)
            }
        }
        return s
    }

    func merged(_ o: SandboxSettings) -> SandboxSettings {
        var s = SandboxSettings()
        s.memoryBytes = minOpt(memoryBytes, o.memoryBytes)
        s.pids = minOpt(pids, o.pids)
        s.cpuSeconds = minOpt(cpuSeconds, o.cpuSeconds)
        s.openFiles = minOpt(openFiles, o.openFiles)
        s.fileSizeBytes = minOpt(fileSizeBytes, o.fileSizeBytes)
        s.tmpSizeBytes = minOpt(tmpSizeBytes, o.tmpSizeBytes)
        s.tmpNoexec = tmpNoexec || o.tmpNoexec
        s.network = network == .none || o.network == .none ? .none : .allowlist
        s.timeoutSeconds = minOpt(timeoutSeconds, o.timeoutSeconds)
        return s
    }
}

/// `scanners`: content scanning toggles.
public struct ScannerSettings: Sendable, Hashable, Codable {
    public enum PostToolUse: String, Sendable, Hashable, Codable, CaseIterable {
        case warn, block
    }

    public var secrets = true
    public var injection = true
    public var pii = false
    /// Injection score (0…1) at or above which content is flagged.
    public var injectionThreshold = 0.7
    public var postToolUse: PostToolUse = .warn

    public init() {}

    static func decode(_ n: YNode, _ d: inout Diagnostics) -> ScannerSettings {
        var s = ScannerSettings()
        for (key, v) in n.mapping(&d, allowed: ["secrets", "injection", "pii", "injection_threshold", "post_tool_use"]) ?? [] {
            switch key {
            case "secrets": s.secrets = v.bool(&d) ?? s.secrets
            case "injection": s.injection = v.bool(&d) ?? s.injection
            case "pii": s.pii = v.bool(&d) ?? s.pii
            case "injection_threshold": s.injectionThreshold = v.double(&d, in: 0...1) ?? s.injectionThreshold
            default:
                s.postToolUse = v.choice(&d, PostToolUse.allCases.map(\.rawValue)).flatMap(PostToolUse.init) ?? s.postToolUse
            }
        }
        return s
    }

    func merged(_ o: ScannerSettings) -> ScannerSettings {
        var s = ScannerSettings()
        s.secrets = secrets || o.secrets
        s.injection = injection || o.injection
        s.pii = pii || o.pii
        s.injectionThreshold = min(injectionThreshold, o.injectionThreshold)
        s.postToolUse = postToolUse == .block || o.postToolUse == .block ? .block : .warn
        return s
    }
}

/// An alert threshold: `5 USD/hour`, `50 commands/session`, `1 occurrence`, `10%`.
public struct AlertThreshold: Sendable, Hashable, Codable, CustomStringConvertible {
    public var value: Double
    /// `USD`, `commands`, `denials`, `occurrences`, … or `%`.
    public var unit: String
    /// `minute`, `hour`, `day`, `session`, `agent`, `user`, or nil.
    public var per: String?
    public var text: String

    public static let units = [
        "usd", "commands", "command", "calls", "call", "denials", "denial", "asks", "ask", "occurrence",
        "occurrences", "tokens", "errors", "error", "secrets", "secret", "requests", "request", "sessions",
    ]
    public static let pers = ["minute", "hour", "day", "session", "agent", "user"]

    /// Parses a threshold; nil with a reason when it is malformed.
    public static func parse(_ text: String) -> Result<AlertThreshold, PolicyTextError> {
        let t = text.trimmingSpaces()
        if t.hasSuffix("%") {
            guard let v = Double(t.dropLast().trimmingSpaces()), v >= 0, v <= 100 else {
                return .failure(PolicyTextError("'\(text)' is not a percentage (0–100%)"))
            }
            return .success(AlertThreshold(value: v, unit: "%", per: nil, text: text))
        }
        let words = t.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count == 2, let v = Double(words[0]), v >= 0, v.isFinite else {
            return .failure(PolicyTextError("'\(text)' is not a threshold; write e.g. '5 USD/hour', '50 commands/session', '1 occurrence', '10%'"))
        }
        let unitPer = words[1].split(separator: "/", omittingEmptySubsequences: false)
        guard unitPer.count <= 2 else { return .failure(PolicyTextError("'\(text)': more than one '/'")) }
        let unit = String(unitPer[0])
        guard units.contains(unit.lowercased()) else {
            return .failure(PolicyTextError("'\(unit)' is not a known unit (\(units.joined(separator: ", ")))"))
        }
        var per: String?
        if unitPer.count == 2 {
            per = String(unitPer[1]).lowercased()
            guard pers.contains(per!) else {
                return .failure(PolicyTextError("'/\(unitPer[1])' is not a known period (\(pers.joined(separator: ", ")))"))
            }
        }
        return .success(AlertThreshold(value: v, unit: unit, per: per, text: text))
    }

    public var description: String { text }
}

/// A problem with a piece of policy text.
public struct PolicyTextError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One alert: when `metric` crosses `threshold` within `window`, run `actions`.
public struct AlertRule: Sendable, Hashable, Codable {
    public var name: String
    /// What is counted (`cost`, `commands`, `denials`, `secret_detected`…); free-form for the alert evaluator.
    public var metric: String?
    public var threshold: AlertThreshold
    public var windowSeconds: Int?
    /// Names of `actions` entries (or the built-in `log`).
    public var actions: [String]
    public var source: RuleSource

    public init(name: String, metric: String? = nil, threshold: AlertThreshold, windowSeconds: Int? = nil, actions: [String] = [],
                source: RuleSource = RuleSource(file: "")) {
        self.name = name
        self.metric = metric
        self.threshold = threshold
        self.windowSeconds = windowSeconds
        self.actions = actions
        self.source = source
    }

    static func decode(_ n: YNode, _ d: inout Diagnostics) -> AlertRule? {
        var name: String?
        var metric: String?
        var threshold: AlertThreshold?
        var window: Int?
        var actions: [String] = []
        for (key, v) in n.mapping(&d, allowed: ["name", "metric", "threshold", "window", "action", "actions"]) ?? [] {
            switch key {
            case "name": name = v.string(&d)
            case "metric": metric = v.string(&d)
            case "threshold":
                if let s = v.string(&d) {
                    switch AlertThreshold.parse(s) {
                    case .success(let t): threshold = t
                    case .failure(let e): d.error(v, e.message)
                    }
                }
            case "window": window = v.duration(&d)
            case "action": if let s = v.string(&d) { actions.append(s) }
            default: actions += (v.stringList(&d) ?? []).map(\.0)
            }
        }
        guard let name, !name.isEmpty else { d.error(n, "an alert needs a 'name'"); return nil }
        guard let threshold else { d.error(n, "alert '\(name)' needs a 'threshold'"); return nil }
        return AlertRule(name: name, metric: metric, threshold: threshold, windowSeconds: window, actions: actions, source: n.source)
    }
}

/// A named alert target under `actions`.
public enum ActionTarget: Sendable, Hashable, Codable {
    case webhook(url: String, headers: [String: String], secretEnv: String?)
    /// PagerDuty Events API v2; `url` is the events endpoint (a proxy or a test receiver may replace it).
    case pagerduty(routingKeyEnv: String, severity: String, url: String = ActionTarget.pagerDutyEventsURL)
    case alertmanager(url: String, labels: [String: String])
    case command(argv: [String])
    case syslog(facility: String, tag: String)

    static let types = ["webhook", "pagerduty", "alertmanager", "command", "syslog"]
    /// PagerDuty's Events API v2 endpoint.
    public static let pagerDutyEventsURL = "https://events.pagerduty.com/v2/enqueue"
    /// Alert actions that need no entry under `actions`: `log`, and enforcement on the state store.
    public static let builtinNames = ["log", "terminate_session", "kill_switch"]

    static func decode(_ n: YNode, _ d: inout Diagnostics) -> ActionTarget? {
        guard case .mapping(let m) = n.node else {
            d.error(n, "expected a mapping with a 'type', found \(n.typeName)")
            return nil
        }
        guard let typeNode = m[Node("type")] else {
            d.error(n, "an action needs a 'type' (\(types.joined(separator: ", ")))")
            return nil
        }
        guard let type = n.child("type", typeNode).choice(&d, types) else { return nil }
        func strings(_ v: YNode) -> [String: String] {
            var out: [String: String] = [:]
            for (k, sv) in v.namedMapping(&d) ?? [] { out[k] = sv.string(&d) }
            return out
        }
        func url(_ v: YNode) -> String? {
            guard let s = v.string(&d) else { return nil }
            guard s.hasPrefix("https://") || s.hasPrefix("http://") else {
                d.error(v, "'\(s)' is not an http(s) URL")
                return nil
            }
            return s
        }
        switch type {
        case "webhook":
            var u: String?
            var headers: [String: String] = [:]
            var secretEnv: String?
            for (k, v) in n.mapping(&d, allowed: ["type", "url", "headers", "secret_env"]) ?? [] {
                switch k {
                case "url": u = url(v)
                case "headers": headers = strings(v)
                case "secret_env": secretEnv = v.string(&d)
                default: break
                }
            }
            guard let u else { d.error(n, "a webhook needs a 'url'"); return nil }
            return .webhook(url: u, headers: headers, secretEnv: secretEnv)
        case "pagerduty":
            var key: String?
            var severity = "error"
            var eventsURL = pagerDutyEventsURL
            for (k, v) in n.mapping(&d, allowed: ["type", "routing_key_env", "severity", "url"]) ?? [] {
                switch k {
                case "routing_key_env": key = v.string(&d)
                case "url": eventsURL = url(v) ?? eventsURL
                case "severity": severity = v.choice(&d, ["critical", "error", "warning", "info"]) ?? severity
                default: break
                }
            }
            guard let key else {
                d.error(n, "pagerduty needs 'routing_key_env' (the environment variable holding the key)")
                return nil
            }
            return .pagerduty(routingKeyEnv: key, severity: severity, url: eventsURL)
        case "alertmanager":
            var u: String?
            var labels: [String: String] = [:]
            for (k, v) in n.mapping(&d, allowed: ["type", "url", "labels"]) ?? [] {
                switch k {
                case "url": u = url(v)
                case "labels": labels = strings(v)
                default: break
                }
            }
            guard let u else { d.error(n, "alertmanager needs a 'url'"); return nil }
            return .alertmanager(url: u, labels: labels)
        case "command":
            var argv: [String] = []
            for (k, v) in n.mapping(&d, allowed: ["type", "argv"]) ?? [] where k == "argv" {
                argv = (v.stringList(&d) ?? []).map(\.0)
            }
            guard !argv.isEmpty else { d.error(n, "a command action needs a non-empty 'argv' list"); return nil }
            return .command(argv: argv)
        default:
            var facility = "user"
            var tag = "clawguard"
            for (k, v) in n.mapping(&d, allowed: ["type", "facility", "tag"]) ?? [] {
                switch k {
                case "facility":
                    facility = v.choice(&d, ["user", "daemon", "auth", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"]) ?? facility
                case "tag": tag = v.string(&d) ?? tag
                default: break
                }
            }
            return .syslog(facility: facility, tag: tag)
        }
    }
}

func minOpt<T: Comparable>(_ a: T?, _ b: T?) -> T? {
    switch (a, b) {
    case (let x?, let y?): return min(x, y)
    default: return a ?? b
    }
}

func maxOpt<T: Comparable>(_ a: T?, _ b: T?) -> T? {
    switch (a, b) {
    case (let x?, let y?): return max(x, y)
    default: return a ?? b
    }
}
