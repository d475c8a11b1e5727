#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A path hidden inside the sandbox, and why.
public struct ProtectedPath: Sendable, Equatable {
    /// Where the path is anchored.
    public enum Base: Sendable, Equatable {
        /// Relative to the caller's home directory.
        case home
        /// An absolute host path.
        case root
    }
    public var base: Base
    public var path: String
    public var reason: String

    public init(_ base: Base, _ path: String, _ reason: String) {
        self.base = base
        self.path = path
        self.reason = reason
    }
}

/// The default protected paths: credentials, agent configurations and shell start-up files. Adding one is
/// adding a line.
public enum ProtectedPaths {
    public static let table: [ProtectedPath] = [
        // Credentials
        ProtectedPath(.home, ".ssh", "SSH keys"),
        ProtectedPath(.home, ".gnupg", "GPG keys"),
        ProtectedPath(.home, ".aws", "AWS credentials"),
        ProtectedPath(.home, ".azure", "Azure credentials"),
        ProtectedPath(.home, ".config/gcloud", "Google Cloud credentials"),
        ProtectedPath(.home, ".kube", "Kubernetes credentials"),
        ProtectedPath(.home, ".docker/config.json", "container registry credentials"),
        ProtectedPath(.home, ".netrc", "network login credentials"),
        ProtectedPath(.home, ".git-credentials", "git credentials"),
        ProtectedPath(.home, ".config/gh", "GitHub CLI token"),
        ProtectedPath(.home, ".npmrc", "npm token"),
        ProtectedPath(.home, ".pypirc", "PyPI token"),
        ProtectedPath(.home, ".cargo/credentials.toml", "crates.io token"),
        ProtectedPath(.home, ".password-store", "pass password store"),
        ProtectedPath(.home, ".local/share/keyrings", "desktop keyring"),
        ProtectedPath(.home, ".env", "environment secrets"),
        // Agent configurations
        ProtectedPath(.home, ".claude", "Claude Code configuration and credentials"),
        ProtectedPath(.home, ".claude.json", "Claude Code configuration"),
        ProtectedPath(.home, ".codex", "Codex configuration and credentials"),
        ProtectedPath(.home, ".openclaw", "OpenClaw configuration and credentials"),
        ProtectedPath(.home, ".config/openclaw", "OpenClaw configuration"),
        ProtectedPath(.home, ".clawguard", "ClawGuard policy, state and runs"),
        ProtectedPath(.home, ".config/clawguard", "ClawGuard configuration"),
        // Shell start-up files and history
        ProtectedPath(.home, ".bashrc", "shell start-up file"),
        ProtectedPath(.home, ".bash_profile", "shell start-up file"),
        ProtectedPath(.home, ".bash_login", "shell start-up file"),
        ProtectedPath(.home, ".profile", "shell start-up file"),
        ProtectedPath(.home, ".zshrc", "shell start-up file"),
        ProtectedPath(.home, ".zshenv", "shell start-up file"),
        ProtectedPath(.home, ".zprofile", "shell start-up file"),
        ProtectedPath(.home, ".config/fish", "shell start-up files"),
        ProtectedPath(.home, ".bash_history", "shell history"),
        ProtectedPath(.home, ".zsh_history", "shell history"),
        ProtectedPath(.home, ".python_history", "shell history"),
        // System secrets
        ProtectedPath(.root, "/etc/shadow", "password hashes"),
        ProtectedPath(.root, "/etc/gshadow", "group password hashes"),
        ProtectedPath(.root, "/etc/shadow-", "password hashes (backup)"),
        ProtectedPath(.root, "/etc/gshadow-", "group password hashes (backup)"),
        ProtectedPath(.root, "/etc/sudoers", "sudo rules"),
        ProtectedPath(.root, "/etc/sudoers.d", "sudo rules"),
        ProtectedPath(.root, "/etc/ssh", "SSH host keys"),
        ProtectedPath(.root, "/etc/ssl/private", "TLS private keys"),
        ProtectedPath(.root, "/etc/clawguard", "ClawGuard system policy"),
        ProtectedPath(.root, "/root", "the root user's home"),
    ]

    /// The table resolved to absolute host paths for a given home directory.
    public static func hostPaths(home: String, table: [ProtectedPath] = table) -> [String] {
        table.map { entry in
            switch entry.base {
            case .root: return entry.path
            case .home: return PathUtilities.join(home, entry.path)
            }
        }
    }
}

/// Small path helpers (string based: no file system access).
package enum PathUtilities {
    /// Joins two paths with exactly one separator.
    package static func join(_ a: String, _ b: String) -> String {
        if b.isEmpty { return a }
        if a.hasSuffix("/") { return a + (b.hasPrefix("/") ? String(b.dropFirst()) : b) }
        return a + (b.hasPrefix("/") ? b : "/" + b)
    }

    /// `path` with `.`/`..` components and repeated slashes removed (lexically).
    package static func normalize(_ path: String) -> String {
        if isNormalized(path) { return path }
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Whether `normalize` would return `path` unchanged: absolute, no empty, `.` or `..` component, no trailing
    /// slash (except `/` itself).
    static func isNormalized(_ path: String) -> Bool {
        let bytes = path.utf8
        guard bytes.first == UInt8(ascii: "/") else { return false }
        if bytes.count == 1 { return true }
        if bytes.last == UInt8(ascii: "/") { return false }
        var componentLength = 0
        var dots = 0
        for b in bytes.dropFirst() {
            if b == UInt8(ascii: "/") {
                if componentLength == 0 || componentLength == dots && dots <= 2 { return false }
                componentLength = 0
                dots = 0
            } else {
                componentLength += 1
                if b == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return !(componentLength == dots && dots <= 2)
    }

    /// If `path` is `base` or below it, the remainder (`""` for equal), else `nil`.
    package static func relative(_ path: String, to base: String) -> String? {
        let p = normalize(path), b = normalize(base)
        if p == b { return "" }
        if b == "/" { return String(p.dropFirst()) }
        if p.hasPrefix(b + "/") { return String(p.dropFirst(b.count + 1)) }
        return nil
    }

    /// The absolute form of `path`, relative to the current directory when it is relative; symbolic links
    /// resolved when the path exists.
    package static func absolute(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        if path.hasPrefix("/") { return normalize(path) }
        var buffer = [CChar](repeating: 0, count: 4096)
        let cwd = getcwd(&buffer, buffer.count).map { _ in String(cString: buffer) } ?? "/"
        return normalize(join(cwd, path))
    }
}

/// The caller's environment (read with getenv/environ; no Foundation).
public enum Environment {
    public static func value(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        return String(cString: v)
    }

    public static var all: [String: String] {
        var result: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { result[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return result
    }
}
