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
    ///
    /// One walk from `/`: each component is probed with one `readlink(2)` (the same system calls `realpath`
    /// makes), a symbolic link's target is spliced in and walked in turn, and the first component that does not
    /// exist (or cannot be read) ends the walk — the rest is appended lexically. Glibc's `realpath` fails on a
    /// missing component, so the previous implementation called it again for every parent: a path under a
    /// missing directory cost O(depth²) system calls; this costs at most one per component. A dangling link is
    /// followed to its (missing) target, since that is what a write through it creates.
    public static func realpathOfExistingPrefix(_ absolute: String) -> String {
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
        guard absolute.utf8.first == UInt8(ascii: "/") else { return absolute }
        // Components still to walk, last one first: slices of the input (or of a link's target), no copies.
        var pending: [ArraySlice<UInt8>] = []
        pending.reserveCapacity(16)
        func push(_ path: [UInt8]) {
            let mark = pending.count
            var end = path.count
            var i = path.count
            // Walk backwards so the stack ends with the first component on top.
            var components: [ArraySlice<UInt8>] = []
            while i > 0 {
                i -= 1
                if path[i] == UInt8(ascii: "/") {
                    if i + 1 < end { components.append(path[(i + 1)..<end]) }
                    end = i
                }
            }
            if end > 0 { components.append(path[0..<end]) }
            pending.insert(contentsOf: components, at: mark)
        }
        push(Array(absolute.utf8))
        // The resolved prefix, NUL-terminated for the system call (`resolved.count - 1` bytes of path).
        var resolved: [CChar] = [0]
        resolved.reserveCapacity(absolute.utf8.count + 16)
        var starts: [Int] = []  // where each resolved component's "/" sits
        var exists = true
        var links = 0
        let targetCapacity = 4096
        let target = UnsafeMutablePointer<CChar>.allocate(capacity: targetCapacity)
        defer { target.deallocate() }
        while let component = pending.popLast() {
            if component.count == 1 && component.first == UInt8(ascii: ".") { continue }
            if component.count == 2 && component.first == UInt8(ascii: ".") && component.last == UInt8(ascii: ".") {
                if let last = starts.popLast() { resolved.removeSubrange(last..<(resolved.count - 1)) }
                continue
            }
            let mark = resolved.count - 1
            resolved.removeLast()
            resolved.append(CChar(bitPattern: UInt8(ascii: "/")))
            for b in component { resolved.append(CChar(bitPattern: b)) }
            resolved.append(0)
            guard exists else {
                starts.append(mark)
                continue
            }
            let n = resolved.withUnsafeBufferPointer { path in readlink(path.baseAddress!, target, targetCapacity) }
            if n >= 0 && n < targetCapacity {
                links += 1
                if links > 40 {
                    // A loop: keep the rest as written (what realpath's ELOOP fallback did).
                    starts.append(mark)
                    exists = false
                    continue
                }
                // Replace the link by its target: absolute targets restart from `/`, relative ones from the
                // link's directory.
                resolved.removeSubrange(mark..<(resolved.count - 1))
                let bytes = UnsafeBufferPointer(start: target, count: n).map { UInt8(bitPattern: $0) }
                if bytes.first == UInt8(ascii: "/") {
                    resolved = [0]
                    starts = []
                }
                push(bytes)
            } else if n < 0 && errno == EINVAL {
                starts.append(mark)  // exists and is not a link
            } else {
                starts.append(mark)  // missing (or unreadable): the rest is lexical
                exists = false
            }
        }
        if resolved.count == 1 { return "/" }
        resolved.removeLast()
        return resolved.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: UInt8.self) { String(decoding: $0, as: UTF8.self) }
        }
        #else
        return absolute
        #endif
    }
}
