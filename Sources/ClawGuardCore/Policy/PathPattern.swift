/// Where relative path patterns start from.
public struct PathBase: Sendable, Hashable {
    /// The user's home directory (`~/x`).
    public var home: String
    /// The working directory (`./x`, `x`, `x/y`).
    public var cwd: String
    /// The directory of the policy or settings file the pattern came from (`/x`). Nil: `/x` is absolute.
    public var policyDirectory: String?

    public init(home: String, cwd: String, policyDirectory: String? = nil) {
        self.home = home
        self.cwd = cwd
        self.policyDirectory = policyDirectory
    }
}

/// A precompiled gitignore-style path glob matched against absolute, normalized paths.
///
/// Prefixes (Claude Code's path-rule convention):
/// - `//abs/path` — absolute; `~/x` (also `$HOME/x`) — under home; `/x` — relative to the policy file's
///   directory (absolute when there is none); `./x` or `x/y` — relative to the working directory.
/// - A pattern with no slash (other than a trailing one), like `*.pem` or `.env`, matches that name at any depth
///   below the working directory.
///
/// Globs: `*` and `?` and `[...]` within one segment, `**` across segments (zero or more). A pattern that
/// matches a directory covers everything below it (`//etc` covers `/etc/passwd`).
public struct PathPattern: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case literal([UInt8])
        case glob(ByteGlob)
        case doubleStar
    }

    /// The pattern as written.
    public let text: String
    /// The pattern with its prefix resolved (an absolute glob), for messages.
    public let resolved: String
    let segments: [Segment]
    /// The leading literal segments as bytes (`/home/alice/.ssh`): a quick prefix check before matching.
    let literalPrefix: [UInt8]
    /// A literal byte run every matching path contains (from the segments after the first wildcard), if any.
    let needle: [UInt8]

    /// Why a pattern was refused.
    public struct SyntaxError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Compiles `text` relative to `base`.
    /// - Throws: `SyntaxError` for an empty pattern, a bad `[...]` class, a NUL byte, or `..` after a wildcard.
    public init(_ text: String, base: PathBase) throws(SyntaxError) {
        self.text = text
        let trimmed = text
        guard !trimmed.isEmpty else { throw SyntaxError(message: "empty path pattern") }
        guard !trimmed.utf8.contains(0) else { throw SyntaxError(message: "NUL byte in path pattern") }
        var root: String
        var body: Substring
        var anywhere = false
        if trimmed.hasPrefix("//") {
            root = "/"
            body = trimmed.dropFirst(2)
        } else if trimmed == "~" || trimmed.hasPrefix("~/") {
            root = base.home
            body = trimmed.dropFirst(1)
        } else if trimmed == "$HOME" || trimmed.hasPrefix("$HOME/") {
            root = base.home
            body = trimmed.dropFirst(5)
        } else if trimmed == "${HOME}" || trimmed.hasPrefix("${HOME}/") {
            root = base.home
            body = trimmed.dropFirst(7)
        } else if trimmed.hasPrefix("/") {
            root = base.policyDirectory ?? "/"
            body = trimmed.dropFirst(1)
        } else if trimmed.hasPrefix("~") {
            throw SyntaxError(message: "'~user' paths are not supported; write '~/…' or '//home/user/…'")
        } else {
            root = base.cwd
            body = Substring(trimmed)
            let inner = trimmed.hasSuffix("/") ? trimmed.dropLast() : Substring(trimmed)
            anywhere = !inner.contains("/") && inner != "." && inner != ".."
        }
        var segments: [Segment] = []
        var shown: [String] = []
        for part in root.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !segments.isEmpty { segments.removeLast(); shown.removeLast() }
                continue
            }
            segments.append(.literal(Array(part.utf8)))
            shown.append(String(part))
        }
        if anywhere {
            segments.append(.doubleStar)
            shown.append("**")
        }
        for part in body.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                guard let last = segments.last, case .literal = last else {
                    throw SyntaxError(message: "'..' after a wildcard in '\(text)'")
                }
                segments.removeLast()
                shown.removeLast()
                continue
            }
            if part == "**" {
                if segments.last != .doubleStar { segments.append(.doubleStar) }
                shown.append("**")
                continue
            }
            let glob: ByteGlob
            do { glob = try ByteGlob.pathSegment(part) } catch { throw SyntaxError(message: "\(error.message) in '\(text)'") }
            segments.append(glob.isLiteral ? .literal(glob.literal) : .glob(glob))
            shown.append(String(part))
        }
        self.segments = segments
        self.resolved = "/" + shown.joined(separator: "/")
        var prefix: [UInt8] = []
        var index = 0
        while index < segments.count, case .literal(let lit) = segments[index] {
            prefix.append(UInt8(ascii: "/"))
            prefix += lit
            index += 1
        }
        self.literalPrefix = prefix
        var best: [UInt8] = []
        for segment in segments[index...] {
            var run: [UInt8] = []
            switch segment {
            case .literal(let lit): run = lit
            case .glob(let g):
                for token in g.tokens {
                    if case .byte(let b) = token { run.append(b) } else {
                        if run.count > best.count { best = run }
                        run = []
                    }
                }
            case .doubleStar: break
            }
            if run.count > best.count { best = run }
        }
        self.needle = best
    }

    /// True if the absolute, normalized `path` (or a directory above it) matches.
    public func matches(_ path: String) -> Bool {
        var copy = path
        return copy.withUTF8 { matches(utf8: $0) }
    }

    /// Matches the UTF-8 bytes of an absolute, normalized path (no allocation).
    public func matches(utf8 buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard buffer.count > 0, buffer[0] == UInt8(ascii: "/") else { return false }
        let p = literalPrefix.count
        if p > 0 {
            guard buffer.count >= p else { return false }
            let prefixOK = literalPrefix.withUnsafeBufferPointer { lit in
                for k in 0..<p where lit[k] != buffer[k] { return false }
                return true
            }
            guard prefixOK, buffer.count == p || buffer[p] == UInt8(ascii: "/") else { return false }
        }
        if !needle.isEmpty {
            let found = needle.withUnsafeBufferPointer { n in PathPattern.contains(buffer, n, from: p) }
            guard found else { return false }
        }
        return match(buffer, seg: 0, pos: 1, depth: 0)
    }

    private static func contains(_ hay: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        let n = needle.count
        guard hay.count - start >= n else { return false }
        let first = needle[0]
        var i = start
        while i + n <= hay.count {
            if hay[i] == first {
                var k = 1
                while k < n, hay[i + k] == needle[k] { k += 1 }
                if k == n { return true }
            }
            i += 1
        }
        return false
    }

    /// True if the pattern has no wildcard (it names one file or directory).
    public var isLiteral: Bool {
        segments.allSatisfy { if case .literal = $0 { return true } else { return false } }
    }

    public var description: String { text }

    private func match(_ s: UnsafeBufferPointer<UInt8>, seg: Int, pos: Int, depth: Int) -> Bool {
        if seg == segments.count { return true }
        if depth > 4096 { return false }
        if pos >= s.count {
            for k in seg..<segments.count where segments[k] != .doubleStar { return false }
            return true
        }
        var end = pos
        while end < s.count, s[end] != UInt8(ascii: "/") { end += 1 }
        let next = end < s.count ? end + 1 : s.count
        switch segments[seg] {
        case .doubleStar:
            if match(s, seg: seg + 1, pos: pos, depth: depth + 1) { return true }
            return match(s, seg: seg, pos: next, depth: depth + 1)
        case .literal(let lit):
            guard end - pos == lit.count else { return false }
            for k in 0..<lit.count where lit[k] != s[pos + k] { return false }
            return match(s, seg: seg + 1, pos: next, depth: depth + 1)
        case .glob(let glob):
            guard glob.matches(UnsafeBufferPointer(rebasing: s[pos..<end])) else { return false }
            return match(s, seg: seg + 1, pos: next, depth: depth + 1)
        }
    }
}
