import Foundation
import Testing
@testable import ClawGuardCore

@Suite("Paths: patterns, resolution, filesystem rules, protected paths")
struct PolicyPathTests {
    struct PatternCase: Sendable, CustomStringConvertible {
        var pattern: String
        var path: String
        var matches: Bool
        var description: String { "\(pattern) ~ \(path) = \(matches)" }
    }

    // Base: home /home/alice, cwd /home/alice/project, policy dir /home/alice/project/conf.
    @Test(arguments: [
        // Prefixes
        PatternCase(pattern: "//etc/passwd", path: "/etc/passwd", matches: true),
        PatternCase(pattern: "//etc", path: "/etc/ssh/sshd_config", matches: true),
        PatternCase(pattern: "//etc", path: "/etcetera", matches: false),
        PatternCase(pattern: "~/.ssh", path: "/home/alice/.ssh/id_rsa", matches: true),
        PatternCase(pattern: "~/.ssh/**", path: "/home/alice/.ssh/keys/id_rsa", matches: true),
        PatternCase(pattern: "~", path: "/home/alice/anything", matches: true),
        PatternCase(pattern: "$HOME/.aws", path: "/home/alice/.aws/credentials", matches: true),
        PatternCase(pattern: "${HOME}/.aws", path: "/home/alice/.aws/credentials", matches: true),
        PatternCase(pattern: "/build", path: "/home/alice/project/conf/build/x", matches: true),
        PatternCase(pattern: "/build", path: "/build/x", matches: false),
        PatternCase(pattern: "./src/**", path: "/home/alice/project/src/a/b.ts", matches: true),
        PatternCase(pattern: "./src/**", path: "/home/alice/other/src/a.ts", matches: false),
        PatternCase(pattern: "src/*.ts", path: "/home/alice/project/src/a.ts", matches: true),
        PatternCase(pattern: "src/*.ts", path: "/home/alice/project/lib/src/a.ts", matches: false),
        PatternCase(pattern: ".", path: "/home/alice/project/x/y", matches: true),
        PatternCase(pattern: ".", path: "/home/alice/projectx", matches: false),
        PatternCase(pattern: "../shared", path: "/home/alice/shared/a", matches: true),
        // No slash: any depth below cwd
        PatternCase(pattern: ".env", path: "/home/alice/project/.env", matches: true),
        PatternCase(pattern: ".env", path: "/home/alice/project/a/b/.env", matches: true),
        PatternCase(pattern: ".env", path: "/home/alice/.env", matches: false),
        PatternCase(pattern: "*.pem", path: "/home/alice/project/certs/server.pem", matches: true),
        PatternCase(pattern: "*.pem", path: "/home/alice/project/certs/server.pem.txt", matches: false),
        PatternCase(pattern: "node_modules/", path: "/home/alice/project/a/node_modules/x/y.js", matches: true),
        // Globs
        PatternCase(pattern: "//tmp/*", path: "/tmp/a", matches: true),
        PatternCase(pattern: "//tmp/*/x", path: "/tmp/a/b/x", matches: false),
        PatternCase(pattern: "//tmp/**/x", path: "/tmp/a/b/x", matches: true),
        PatternCase(pattern: "//tmp/**/x", path: "/tmp/x", matches: true),
        PatternCase(pattern: "//a/**/b/**/c", path: "/a/1/b/2/3/c", matches: true),
        PatternCase(pattern: "//a/**/b/**/c", path: "/a/1/c", matches: false),
        PatternCase(pattern: "//var/log/?.log", path: "/var/log/a.log", matches: true),
        PatternCase(pattern: "//var/log/?.log", path: "/var/log/ab.log", matches: false),
        PatternCase(pattern: "//x/[abc].txt", path: "/x/b.txt", matches: true),
        PatternCase(pattern: "//x/[abc].txt", path: "/x/d.txt", matches: false),
        PatternCase(pattern: "//x/[a-c]*", path: "/x/cat", matches: true),
        PatternCase(pattern: "//x/[!a-c]*", path: "/x/cat", matches: false),
        PatternCase(pattern: "//x/[!a-c]*", path: "/x/dog", matches: true),
        PatternCase(pattern: "//x/\\*", path: "/x/*", matches: true),
        PatternCase(pattern: "//x/\\*", path: "/x/a", matches: false),
        PatternCase(pattern: "//x/*", path: "/x/.hidden", matches: true),
        PatternCase(pattern: "//x/*.md", path: "/x/naïve.md", matches: true),
        PatternCase(pattern: "//**", path: "/anything/at/all", matches: true),
        PatternCase(pattern: "//", path: "/etc", matches: true),
    ])
    func patterns(_ c: PatternCase) throws {
        let p = try PathPattern(c.pattern, base: PolicyFixtures.base)
        #expect(p.matches(c.path) == c.matches, "resolved: \(p.resolved)")
    }

    @Test(arguments: ["", "//x/[ab", "//x/\\", "~bob/x", "//a/*/../b", "//x/[z-a]"])
    func badPatterns(_ text: String) {
        #expect(throws: PathPattern.SyntaxError.self) { try PathPattern(text, base: PolicyFixtures.base) }
    }

    @Test func relativePathsNeverMatch() throws {
        #expect(try !PathPattern("//**", base: PolicyFixtures.base).matches("etc/passwd"))
        #expect(try !PathPattern("//**", base: PolicyFixtures.base).matches(""))
    }

    @Test(arguments: [
        ("~/x", "/home/alice/x"),
        ("~", "/home/alice"),
        ("$HOME/.ssh", "/home/alice/.ssh"),
        ("${HOME}/.ssh", "/home/alice/.ssh"),
        ("a/b/../c", "/home/alice/project/a/c"),
        ("./a/./b/", "/home/alice/project/a/b"),
        ("../../../../..", "/"),
        ("/etc//passwd", "/etc/passwd"),
        ("/a/b/../../../etc", "/etc"),
        ("~bob/x", "/home/alice/project/~bob/x"),
        ("$OTHER/x", "/home/alice/project/$OTHER/x"),
        ("", "/home/alice/project"),
    ])
    func lexicalResolution(_ raw: String, _ expected: String) {
        let r = PathResolver(home: PolicyFixtures.home, followSymlinks: false)
        #expect(r.resolve(raw, cwd: PolicyFixtures.cwd) == expected)
    }

    @Test func symlinksResolveOnTheLongestExistingPrefix() throws {
        let dir = try PolicyFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/real/.ssh", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: dir + "/link", withDestinationPath: dir + "/real/.ssh")
        let r = PathResolver(home: "/nonexistent", followSymlinks: true)
        #expect(r.resolve("link/id_rsa", cwd: dir) == dir + "/real/.ssh/id_rsa")
        #expect(r.resolve(dir + "/link/new/dir/../file", cwd: "/") == dir + "/real/.ssh/new/file")
        #expect(r.candidates("link/id_rsa", cwd: dir) == [dir + "/link/id_rsa", dir + "/real/.ssh/id_rsa"])
        #expect(r.candidates("real/x", cwd: dir) == [dir + "/real/x"])
        let lexical = PathResolver(home: "/nonexistent", followSymlinks: false)
        #expect(lexical.resolve("link/id_rsa", cwd: dir) == dir + "/link/id_rsa")
        // A protected path reached through a symlink is caught on the resolved spelling.
        let protected = ProtectedPaths(home: dir + "/real")
        #expect(protected.match(dir + "/link/id_rsa")?.pattern == "id_rsa*")
        #expect(r.candidates("link/config", cwd: dir).contains { protected.match($0)?.pattern == "~/.ssh" })
    }

    @Test func filesystemRulesDenyBeatsAllow() throws {
        let base = PolicyFixtures.base
        let fs = try FilesystemRules(
            read: [PathRule(PathPattern("//usr/share", base: base))],
            write: [PathRule(PathPattern(".", base: base))],
            deny: [PathRule(PathPattern("./secrets", base: base))],
            denyWrite: [PathRule(PathPattern("./vendor", base: base))])
        #expect(fs.access("/home/alice/project/src/a.swift", write: true).outcome == .allowed)
        #expect(fs.access("/home/alice/project/src/a.swift", write: false).outcome == .allowed)
        let denied = fs.access("/home/alice/project/secrets/key", write: false)
        #expect(denied.outcome == .denied)
        #expect(denied.rule?.text == "./secrets")
        #expect(denied.reason.contains("filesystem.deny"))
        #expect(fs.access("/home/alice/project/vendor/x", write: true).outcome == .denied)
        #expect(fs.access("/home/alice/project/vendor/x", write: false).outcome == .allowed)
        #expect(fs.access("/usr/share/doc", write: false).outcome == .allowed)
        #expect(fs.access("/usr/share/doc", write: true).outcome == .unlisted)
        #expect(fs.access("/opt/x", write: false).outcome == .unlisted)
    }

    struct ProtectedCase: Sendable, CustomStringConvertible {
        var path: String
        var category: ProtectedCategory?
        var description: String { path }
    }

    @Test(arguments: [
        ProtectedCase(path: "/home/alice/.ssh/id_ed25519", category: .credential),
        ProtectedCase(path: "/home/alice/.ssh", category: .credential),
        ProtectedCase(path: "/home/alice/.aws/credentials", category: .credential),
        ProtectedCase(path: "/home/alice/.gnupg/private-keys-v1.d/x.key", category: .credential),
        ProtectedCase(path: "/home/alice/.config/gcloud/application_default_credentials.json", category: .credential),
        ProtectedCase(path: "/home/alice/.kube/config", category: .credential),
        ProtectedCase(path: "/home/alice/.docker/config.json", category: .credential),
        ProtectedCase(path: "/home/alice/.netrc", category: .credential),
        ProtectedCase(path: "/home/alice/project/.env", category: .credential),
        ProtectedCase(path: "/srv/app/.env.production", category: .credential),
        ProtectedCase(path: "/home/alice/project/.env.local", category: .credential),
        ProtectedCase(path: "/home/alice/project/.env.example", category: nil),
        ProtectedCase(path: "/home/alice/project/.env.sample", category: nil),
        ProtectedCase(path: "/home/alice/project/certs/tls.pem", category: .credential),
        ProtectedCase(path: "/home/alice/project/server.key", category: .credential),
        ProtectedCase(path: "/home/alice/backup/id_rsa.pub", category: .credential),
        ProtectedCase(path: "/etc/shadow", category: .credential),
        ProtectedCase(path: "/etc/sudoers.d/90-cloud", category: .credential),
        ProtectedCase(path: "/proc/1/environ", category: .credential),
        ProtectedCase(path: "/home/alice/project/.claude/settings.json", category: .agentConfig),
        ProtectedCase(path: "/home/alice/project/.claude/settings.local.json", category: .agentConfig),
        ProtectedCase(path: "/home/alice/.claude/settings.json", category: .agentConfig),
        ProtectedCase(path: "/home/alice/project/.codex/config.toml", category: .agentConfig),
        ProtectedCase(path: "/home/alice/.codex/auth.json", category: .credential),
        ProtectedCase(path: "/home/alice/.openclaw/openclaw.json", category: .agentConfig),
        ProtectedCase(path: "/home/alice/project/.clawguard.yaml", category: .agentConfig),
        ProtectedCase(path: "/home/alice/.clawguard/state.db", category: .agentConfig),
        ProtectedCase(path: "/home/alice/project/.mcp.json", category: .agentConfig),
        ProtectedCase(path: "/home/alice/.bashrc", category: .persistence),
        ProtectedCase(path: "/home/alice/.zshrc", category: .persistence),
        ProtectedCase(path: "/home/alice/.profile", category: .persistence),
        ProtectedCase(path: "/home/alice/.bash_profile", category: .persistence),
        ProtectedCase(path: "/home/alice/project/.git/hooks/pre-commit", category: .persistence),
        ProtectedCase(path: "/home/alice/project/.git/config", category: .persistence),
        ProtectedCase(path: "/var/spool/cron/crontabs/alice", category: .persistence),
        ProtectedCase(path: "/etc/cron.d/job", category: .persistence),
        ProtectedCase(path: "/etc/crontab", category: .persistence),
        ProtectedCase(path: "/home/alice/.config/systemd/user/evil.service", category: .persistence),
        ProtectedCase(path: "/home/alice/.config/autostart/x.desktop", category: .persistence),
        ProtectedCase(path: "/etc/profile.d/x.sh", category: .persistence),
        ProtectedCase(path: "/home/alice/project/.envrc", category: .persistence),
        ProtectedCase(path: "/home/alice/project/src/main.swift", category: nil),
        ProtectedCase(path: "/home/alice/project/.git/objects/ab/cd", category: nil),
        ProtectedCase(path: "/home/alice/project/README.md", category: nil),
        ProtectedCase(path: "/home/alice/.sshx/file", category: nil),
        ProtectedCase(path: "/etc/hostname", category: nil),
    ])
    func protectedPaths(_ c: ProtectedCase) {
        let m = ProtectedPaths.match(c.path, home: PolicyFixtures.home)
        #expect(m?.category == c.category, "matched \(m?.pattern ?? "nothing")")
        if let m { #expect(!m.description.isEmpty) }
    }

    @Test func everyProtectedEntryCompiles() {
        let compiled = ProtectedPaths(home: PolicyFixtures.home)
        #expect(compiled.compiled.count == ProtectedPaths.table.count)
    }

    @Test func loadedPolicyFilesAreProtected() {
        let p = ProtectedPaths(home: PolicyFixtures.home, extraFiles: ["/opt/policies/team.yaml"])
        #expect(p.match("/opt/policies/team.yaml")?.category == .agentConfig)
        #expect(p.match("/opt/policies/other.yaml") == nil)
    }

    @Test func policyAccessHonoursProtectionAndUnprotect() throws {
        var policy = Policy(profileName: "t", mode: .default, sources: [], rules: [],
            filesystem: FilesystemRules(write: [PathRule(try PathPattern("~", base: PolicyFixtures.base))]),
            home: PolicyFixtures.home, cwd: PolicyFixtures.cwd)
        #expect(policy.access("/home/alice/.ssh/id_rsa", write: false).outcome == .denied)
        #expect(policy.access("/home/alice/.bashrc", write: true).outcome == .denied)
        #expect(policy.access("/home/alice/.bashrc", write: false).outcome == .allowed)
        #expect(policy.access("/home/alice/notes.txt", write: true).outcome == .allowed)
        policy.filesystem.unprotect = [PathRule(try PathPattern("~/.kube/config", base: PolicyFixtures.base))]
        #expect(policy.access("/home/alice/.kube/config", write: false).outcome == .allowed)
        #expect(policy.access("/home/alice/.kube/other", write: false).outcome == .denied)
    }
}
