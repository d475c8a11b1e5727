/// Why a path is protected.
public enum ProtectedCategory: String, Sendable, Hashable, Codable, CaseIterable {
    /// Secrets: keys, tokens, cloud credentials. Reading them is as bad as writing them.
    case credential
    /// The configuration of agents and of ClawGuard itself: an agent that edits it can lift its own limits.
    case agentConfig
    /// Places that run code later (shell start-up files, hooks, cron, systemd units): writing them persists.
    case persistence
}

/// One entry of the protected-path table.
public struct ProtectedPathEntry: Sendable, Hashable {
    /// The glob as written (`~/.ssh`, `.env*`, `//etc/shadow`); names without a slash match at any depth.
    public let pattern: String
    public let category: ProtectedCategory
    /// True when reads are protected too (credentials); otherwise only writes.
    public let protectsReads: Bool
    /// Why the path is protected.
    public let description: String
    /// File names that the pattern matches but that are not protected (`.env.example`).
    public let exceptNames: [String]

    public init(
        _ pattern: String, _ category: ProtectedCategory, reads: Bool? = nil, except: [String] = [], _ description: String
    ) {
        self.pattern = pattern
        self.category = category
        self.protectsReads = reads ?? (category == .credential)
        self.description = description
        self.exceptNames = except
    }
}

/// A protected path that matched.
public struct ProtectedPathMatch: Sendable, Hashable {
    public let category: ProtectedCategory
    /// The table pattern that matched.
    public let pattern: String
    public let description: String
    /// True when reading is protected too (not only writing).
    public let protectsReads: Bool
}

/// Paths no allow rule opens by accident: credentials, agent and guard configuration, persistence points.
///
/// Only a `filesystem.unprotect` entry lifts a protection (the engine checks `FilesystemRules.isUnprotected`).
/// `.env` files are protected in every spelling (`.env`, `.env.local`, `.env.production`…) except the committed
/// templates `.env.example`, `.env.sample`, `.env.template` and `.env.dist`, which by convention hold no secrets.
public struct ProtectedPaths: Sendable {
    /// The built-in table. Adding a protection is one line.
    public static let table: [ProtectedPathEntry] = [
        // Credentials
        ProtectedPathEntry("~/.ssh", .credential, "SSH private keys and agent configuration"),
        ProtectedPathEntry("~/.aws", .credential, "AWS access keys"),
        ProtectedPathEntry("~/.azure", .credential, "Azure CLI tokens"),
        ProtectedPathEntry("~/.gnupg", .credential, "GnuPG private keys"),
        ProtectedPathEntry("~/.config/gcloud", .credential, "Google Cloud credentials"),
        ProtectedPathEntry("~/.kube", .credential, "Kubernetes cluster credentials"),
        ProtectedPathEntry("~/.docker/config.json", .credential, "Docker registry credentials"),
        ProtectedPathEntry("~/.netrc", .credential, "passwords for FTP/HTTP hosts"),
        ProtectedPathEntry("~/.git-credentials", .credential, "stored Git passwords and tokens"),
        ProtectedPathEntry("~/.config/gh/hosts.yml", .credential, "GitHub CLI tokens"),
        ProtectedPathEntry("~/.npmrc", .credential, "npm registry tokens"),
        ProtectedPathEntry("~/.pypirc", .credential, "PyPI upload tokens"),
        ProtectedPathEntry("~/.cargo/credentials.toml", .credential, "crates.io tokens"),
        ProtectedPathEntry("~/.terraform.d/credentials.tfrc.json", .credential, "Terraform Cloud tokens"),
        ProtectedPathEntry("~/.password-store", .credential, "pass password store"),
        ProtectedPathEntry("~/.local/share/keyrings", .credential, "desktop keyrings"),
        ProtectedPathEntry(
            ".env*", .credential, except: [".env.example", ".env.sample", ".env.template", ".env.dist", ".envrc"],
            "environment files usually hold API keys and passwords"),
        ProtectedPathEntry("*.pem", .credential, "PEM keys and certificates"),
        ProtectedPathEntry("*.key", .credential, "private keys"),
        ProtectedPathEntry("*.p12", .credential, "PKCS#12 key bundles"),
        ProtectedPathEntry("*.pfx", .credential, "PKCS#12 key bundles"),
        ProtectedPathEntry("id_rsa*", .credential, "SSH private keys"),
        ProtectedPathEntry("id_ed25519*", .credential, "SSH private keys"),
        ProtectedPathEntry("id_ecdsa*", .credential, "SSH private keys"),
        ProtectedPathEntry("id_dsa*", .credential, "SSH private keys"),
        ProtectedPathEntry("//etc/shadow", .credential, "system password hashes"),
        ProtectedPathEntry("//etc/gshadow", .credential, "system group password hashes"),
        ProtectedPathEntry("//etc/sudoers", .credential, reads: false, "who may become root"),
        ProtectedPathEntry("//etc/sudoers.d", .credential, reads: false, "who may become root"),
        ProtectedPathEntry("//etc/ssh", .credential, reads: false, "SSH server keys and configuration"),
        ProtectedPathEntry("//root", .credential, "root's home directory"),
        ProtectedPathEntry("//proc/*/environ", .credential, "process environments (API keys)"),
        ProtectedPathEntry("~/.claude/.credentials.json", .credential, "Claude Code login credentials"),
        ProtectedPathEntry("~/.codex/auth.json", .credential, "Codex login credentials"),
        ProtectedPathEntry("~/.openclaw/credentials", .credential, "OpenClaw channel credentials"),
        // Agent and guard configuration
        ProtectedPathEntry("**/.claude/settings.json", .agentConfig, "Claude Code project permissions"),
        ProtectedPathEntry("**/.claude/settings.local.json", .agentConfig, "Claude Code local permissions"),
        ProtectedPathEntry("~/.claude", .agentConfig, "Claude Code user settings, hooks and credentials"),
        ProtectedPathEntry("~/.claude.json", .agentConfig, "Claude Code user state and MCP servers"),
        ProtectedPathEntry(".mcp.json", .agentConfig, "project MCP servers (they run programs)"),
        ProtectedPathEntry(".codex", .agentConfig, "Codex project configuration"),
        ProtectedPathEntry("~/.codex", .agentConfig, "Codex configuration and credentials"),
        ProtectedPathEntry("~/.openclaw", .agentConfig, "OpenClaw configuration and credentials"),
        ProtectedPathEntry(".clawguard.yaml", .agentConfig, "ClawGuard project policy"),
        ProtectedPathEntry("clawguard.yaml", .agentConfig, "ClawGuard policy"),
        ProtectedPathEntry("~/.clawguard", .agentConfig, "ClawGuard policy, state and audit trail"),
        ProtectedPathEntry("//etc/claude-code", .agentConfig, "Claude Code managed settings"),
        // Persistence points
        ProtectedPathEntry("~/.bashrc", .persistence, "runs in every interactive bash"),
        ProtectedPathEntry("~/.bash_profile", .persistence, "runs at every bash login"),
        ProtectedPathEntry("~/.bash_login", .persistence, "runs at every bash login"),
        ProtectedPathEntry("~/.bash_logout", .persistence, "runs at every bash logout"),
        ProtectedPathEntry("~/.profile", .persistence, "runs at every login shell"),
        ProtectedPathEntry("~/.zshrc", .persistence, "runs in every interactive zsh"),
        ProtectedPathEntry("~/.zshenv", .persistence, "runs in every zsh, even scripts"),
        ProtectedPathEntry("~/.zprofile", .persistence, "runs at every zsh login"),
        ProtectedPathEntry("~/.zlogin", .persistence, "runs at every zsh login"),
        ProtectedPathEntry("~/.config/fish", .persistence, "fish start-up files"),
        ProtectedPathEntry("~/.inputrc", .persistence, "readline key bindings can run commands"),
        ProtectedPathEntry("~/.gitconfig", .persistence, "git aliases, hooksPath and pagers run programs"),
        ProtectedPathEntry("~/.config/git/config", .persistence, "git aliases, hooksPath and pagers run programs"),
        ProtectedPathEntry("**/.git/hooks", .persistence, "git hooks run on commit, checkout, push"),
        ProtectedPathEntry("**/.git/config", .persistence, "git config can name programs to run (core.pager, hooksPath)"),
        ProtectedPathEntry(".husky", .persistence, "git hooks managed by husky"),
        ProtectedPathEntry(".envrc", .persistence, "direnv runs it on cd"),
        ProtectedPathEntry("~/.config/systemd/user", .persistence, "systemd user units start programs"),
        ProtectedPathEntry("~/.config/autostart", .persistence, "desktop autostart entries"),
        ProtectedPathEntry("~/.local/share/systemd/user", .persistence, "systemd user units"),
        ProtectedPathEntry("~/Library/LaunchAgents", .persistence, "macOS launch agents"),
        ProtectedPathEntry("//var/spool/cron", .persistence, "crontabs"),
        ProtectedPathEntry("//etc/cron*", .persistence, "system cron jobs"),
        ProtectedPathEntry("//etc/anacrontab", .persistence, "anacron jobs"),
        ProtectedPathEntry("//etc/systemd", .persistence, "system units"),
        ProtectedPathEntry("//etc/profile", .persistence, "runs at every login shell"),
        ProtectedPathEntry("//etc/profile.d", .persistence, "runs at every login shell"),
        ProtectedPathEntry("//etc/bash.bashrc", .persistence, "runs in every interactive bash"),
        ProtectedPathEntry("//etc/zsh", .persistence, "zsh system start-up files"),
        ProtectedPathEntry("//etc/environment", .persistence, "environment of every session"),
        ProtectedPathEntry("//etc/ld.so.preload", .persistence, "library injected into every program"),
        ProtectedPathEntry("//etc/rc.local", .persistence, "runs at boot"),
        ProtectedPathEntry("//etc/init.d", .persistence, "boot scripts"),
        ProtectedPathEntry("//etc/passwd", .persistence, reads: false, "user accounts"),
        ProtectedPathEntry("//etc/group", .persistence, reads: false, "group membership"),
    ]

    struct Compiled: Sendable {
        let entry: ProtectedPathEntry
        let pattern: PathPattern
    }

    let compiled: [Compiled]
    /// Extra entries (the loaded policy files themselves).
    public let entries: [ProtectedPathEntry]

    /// Compiles the table for one home directory, plus `extraFiles` (absolute paths of loaded policy files,
    /// protected as agent configuration).
    public init(home: String, extraFiles: [String] = []) {
        let base = PathBase(home: home, cwd: "/", policyDirectory: nil)
        var entries = ProtectedPaths.table
        for file in extraFiles {
            entries.append(ProtectedPathEntry("/" + file, .agentConfig, "a ClawGuard policy file in use"))
        }
        self.entries = entries
        // The table is static and tested: every pattern compiles.
        compiled = entries.compactMap { entry in
            (try? PathPattern(entry.pattern, base: base)).map { Compiled(entry: entry, pattern: $0) }
        }
    }

    /// The protection covering an absolute, normalized path, if any.
    public func match(_ absolutePath: String) -> ProtectedPathMatch? {
        var copy = absolutePath
        // The table is walked through a buffer pointer: no retain of each entry's pattern arrays.
        let hit: Int? = copy.withUTF8 { buffer in
            compiled.withUnsafeBufferPointer { table in
                for index in table.indices where table[index].pattern.matches(utf8: buffer) {
                    if !table[index].entry.exceptNames.isEmpty, exempt(buffer, table[index].entry.exceptNames) { continue }
                    return index
                }
                return nil
            }
        }
        guard let hit else { return nil }
        let entry = compiled[hit].entry
        return ProtectedPathMatch(
            category: entry.category, pattern: entry.pattern, description: entry.description,
            protectsReads: entry.protectsReads)
    }

    private func exempt(_ path: UnsafeBufferPointer<UInt8>, _ names: [String]) -> Bool {
        var start = path.count
        while start > 0, path[start - 1] != UInt8(ascii: "/") { start -= 1 }
        let last = String(decoding: UnsafeBufferPointer(rebasing: path[start...]), as: UTF8.self)
        return names.contains(last)
    }

    /// The protection covering `absolutePath` for a user whose home is `home` (compiles the table; prefer
    /// keeping a `ProtectedPaths` value, as `Policy.protectedPaths` does).
    public static func match(_ absolutePath: String, home: String) -> ProtectedPathMatch? {
        ProtectedPaths(home: home).match(absolutePath)
    }
}
