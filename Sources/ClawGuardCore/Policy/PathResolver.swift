#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a raw path from a tool call or a rule (`~/x`, `$HOME/x`, `${HOME}/x`, `../x`, `x`) into an absolute,
/// lexically normalized path, and optionally resolves symbolic links (realpath of the longest existing prefix,
/// so paths that do not exist yet still resolve through their existing parents).
///
/// Lexical normalization allocates one string and does no system calls; symlink resolution costs one
/// `realpath(3)` per missing trailing component, so it is opt-in (`followSymlinks`).
public struct PathResolver: Sendable, Hashable {
    /// The user's home directory, for `~`, `$HOME` and `${HOME}`.
    public var home: String
    /// Resolve symbolic links on the longest existing prefix.
    public var followSymlinks: Bool

    public init(home: String, followSymlinks: Bool = true) {
        self.home = home
        self.followSymlinks = followSymlinks
    }

    /// The absolute, normalized (and, with `followSymlinks`, symlink-resolved) form of `raw`.
    /// - Parameters:
    ///   - raw: the path as written.
    ///   - cwd: the absolute directory relative paths start from.
    public func resolve(_ raw: String, cwd: String) -> String {
        let lexical = lexicalPath(raw, cwd: cwd)
        return followSymlinks ? PathResolver.realpathOfExistingPrefix(lexical) : lexical
    }

    /// Every spelling a rule should be checked against: the lexical path, and the symlink-resolved path when
    /// it differs (a deny on `~/.ssh` must catch both `link-to-ssh/id_rsa` and its target).
    public func candidates(_ raw: String, cwd: String) -> [String] {
        let lexical = lexicalPath(raw, cwd: cwd)
        guard followSymlinks else { return [lexical] }
        let real = PathResolver.realpathOfExistingPrefix(lexical)
        return real == lexical ? [lexical] : [lexical, real]
    }

    /// `~`/`$HOME` expansion, joining with `cwd`, and `.`/`..`/`//` removal. No system calls.
    public func lexicalPath(_ raw: String, cwd: String) -> String {
        let expanded = PathResolver.expandHome(raw, home: home)
        if expanded.hasPrefix("/") { return PathResolver.normalize(expanded) }
        return PathResolver.normalize(cwd + "/" + expanded)
    }

    /// Expands a leading `~`, `~/`, `$HOME` or `${HOME}`. Other variables and `~user` are left as written.
    public static func expandHome(_ raw: String, home: String) -> String {
        for prefix in ["~", "$HOME", "${HOME}"] where raw.hasPrefix(prefix) {
            let rest = raw.dropFirst(prefix.count)
            if rest.isEmpty { return home }
            if rest.hasPrefix("/") { return home + rest }
        }
        return raw
    }

    /// Lexical normalization of an absolute path: collapses `//`, removes `.`, applies `..` (never above `/`),
    /// drops a trailing slash. A relative input is treated as relative to `/`.
    public static func normalize(_ path: String) -> String {
        var input = path
        return input.withUTF8 { bytes -> String in
            // Fast path: already normalized (absolute, no "//", no "." or ".." segment, no trailing slash).
            if isNormalized(bytes) { return path }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 1)
            var starts: [Int] = []  // where each kept segment's "/" sits in `out`
            var i = 0
            let n = bytes.count
            while i < n {
                while i < n, bytes[i] == UInt8(ascii: "/") { i += 1 }
                guard i < n else { break }
                var j = i
                while j < n, bytes[j] != UInt8(ascii: "/") { j += 1 }
                let len = j - i
                if len == 1, bytes[i] == UInt8(ascii: ".") {
                    // skip
                } else if len == 2, bytes[i] == UInt8(ascii: "."), bytes[i + 1] == UInt8(ascii: ".") {
                    if let last = starts.popLast() { out.removeSubrange(last...) }
                } else {
                    starts.append(out.count)
                    out.append(UInt8(ascii: "/"))
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<j]))
                }
                i = j
            }
            if out.isEmpty { return "/" }
            return String(decoding: out, as: UTF8.self)
        }
    }

    private static func isNormalized(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count > 0, b[0] == UInt8(ascii: "/") else { return false }
        if b.count == 1 { return true }
        if b[b.count - 1] == UInt8(ascii: "/") { return false }
        var segStart = 1
        var i = 1
        while i <= b.count {
            if i == b.count || b[i] == UInt8(ascii: "/") {
                let len = i - segStart
                if len == 0 { return false }
                if len == 1, b[segStart] == UInt8(ascii: ".") { return false }
                if len == 2, b[segStart] == UInt8(ascii: "."), b[segStart + 1] == UInt8(ascii: ".") { return false }
                segStart = i + 1
            }
            i += 1
        }
        return true
    }

    /// `realpath(3)` of the longest existing prefix of an absolute path, with the missing rest appended.
    public static func realpathOfExistingPrefix(_ absolute: String) -> String {
        var head = absolute
        var tail: [Substring] = []
        var steps = 0
        while steps < 256 {
            steps += 1
            if let real = realpath(head) {
                if tail.isEmpty { return real }
                var out = real == "/" ? "" : real
                for part in tail.reversed() { out += "/" + part }
                return normalize(out)
            }
            guard head != "/", let slash = head.lastIndex(of: "/") else { break }
            tail.append(head[head.index(after: slash)...])
            head = slash == head.startIndex ? "/" : String(head[..<slash])
        }
        return absolute
    }

    private static func realpath(_ path: String) -> String? {
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
        guard let pointer = path.withCString({ Self.systemRealpath($0, nil) }) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
        #else
        return nil
        #endif
    }

    #if canImport(Glibc)
    private static let systemRealpath: @Sendable (UnsafePointer<CChar>, UnsafeMutablePointer<CChar>?) -> UnsafeMutablePointer<CChar>? = { Glibc.realpath($0, $1) }
    #elseif canImport(Musl)
    private static let systemRealpath: @Sendable (UnsafePointer<CChar>, UnsafeMutablePointer<CChar>?) -> UnsafeMutablePointer<CChar>? = { Musl.realpath($0, $1) }
    #elseif canImport(Darwin)
    private static let systemRealpath: @Sendable (UnsafePointer<CChar>, UnsafeMutablePointer<CChar>?) -> UnsafeMutablePointer<CChar>? = { Darwin.realpath($0, $1) }
    #endif
}
