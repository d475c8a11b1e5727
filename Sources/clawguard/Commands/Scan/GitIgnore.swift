/// A small .gitignore matcher: patterns with `*`, `**`, `?`, `[...]`, leading `/` (anchored), trailing `/`
/// (directories only) and `!` negation, evaluated per directory like git (later rules win, deeper files win).
struct GitIgnore: Sendable {
    struct Rule: Sendable {
        var pattern: [UInt8]
        var negated: Bool
        var directoryOnly: Bool
        var anchored: Bool       // contains a slash before the end: match against the path relative to the base
        var base: String         // directory (relative to the scan root, "" for root) holding the .gitignore
    }

    private(set) var rules: [Rule] = []

    /// Adds the rules of a .gitignore found in `base` (relative directory path, "" for the root).
    mutating func add(contents: String, base: String) {
        for raw in contents.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var line = String(raw)
            while line.hasSuffix(" ") && !line.hasSuffix("\\ ") { line.removeLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            var negated = false
            if line.hasPrefix("!") { negated = true; line.removeFirst() }
            if line.hasPrefix("\\") { line.removeFirst() }
            var directoryOnly = false
            if line.hasSuffix("/") { directoryOnly = true; line.removeLast() }
            if line.isEmpty { continue }
            var anchored = line.dropLast().contains("/")
            if line.hasPrefix("/") { line.removeFirst(); anchored = true }
            rules.append(Rule(pattern: Array(line.utf8), negated: negated, directoryOnly: directoryOnly,
                              anchored: anchored, base: base))
        }
    }

    /// Whether `path` (relative to the scan root, "/"-separated) is ignored.
    func isIgnored(_ path: String, isDirectory: Bool) -> Bool {
        var ignored = false
        for rule in rules {
            if rule.directoryOnly && !isDirectory { continue }
            let relative: Substring
            if rule.base.isEmpty { relative = Substring(path) } else {
                guard path.hasPrefix(rule.base + "/") else { continue }
                relative = path.dropFirst(rule.base.count + 1)
            }
            let candidate: [UInt8]
            if rule.anchored { candidate = Array(relative.utf8) } else {
                candidate = Array((relative.split(separator: "/").last ?? relative).utf8)
            }
            if Self.glob(rule.pattern[...], candidate[...]) { ignored = !rule.negated }
        }
        return ignored
    }

    /// Glob match with `*` (not across "/"), `**` (across "/"), `?` and `[...]`. Iterative with one backtrack point
    /// per star, so it is linear-ish and cannot blow up.
    static func glob(_ p: ArraySlice<UInt8>, _ s: ArraySlice<UInt8>) -> Bool {
        var pi = p.startIndex, si = s.startIndex
        var starP = -1, starS = -1, starCrossesSlash = false
        while si < s.endIndex {
            if pi < p.endIndex {
                let c = p[pi]
                if c == UInt8(ascii: "*") {
                    var double = false
                    if pi + 1 < p.endIndex, p[pi + 1] == UInt8(ascii: "*") { double = true; pi += 1 }
                    pi += 1
                    if double, pi < p.endIndex, p[pi] == UInt8(ascii: "/") { pi += 1 }
                    starP = pi; starS = si; starCrossesSlash = double
                    continue
                }
                if c == UInt8(ascii: "[") , let (ok, next) = classMatch(p, pi, s[si]) {
                    if ok { pi = next; si += 1; continue }
                } else if c == UInt8(ascii: "?") ? s[si] != UInt8(ascii: "/") : c == s[si] {
                    pi += 1; si += 1; continue
                }
            }
            if starP >= 0, starCrossesSlash || s[starS] != UInt8(ascii: "/") {
                starS += 1; si = starS; pi = starP
                continue
            }
            return false
        }
        while pi < p.endIndex, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.endIndex
    }

    private static func classMatch(_ p: ArraySlice<UInt8>, _ start: Int, _ c: UInt8) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < p.endIndex, p[i] == UInt8(ascii: "!") || p[i] == UInt8(ascii: "^") { negate = true; i += 1 }
        var matched = false
        var first = true
        while i < p.endIndex, p[i] != UInt8(ascii: "]") || first {
            first = false
            if i + 2 < p.endIndex, p[i + 1] == UInt8(ascii: "-"), p[i + 2] != UInt8(ascii: "]") {
                if c >= p[i] && c <= p[i + 2] { matched = true }
                i += 3
            } else {
                if c == p[i] { matched = true }
                i += 1
            }
        }
        guard i < p.endIndex else { return nil }
        return (matched != negate, i + 1)
    }
}
