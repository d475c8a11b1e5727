import Foundation
import Testing
@testable import ClawGuardCore

/// The one-walk symlink resolution and the per-engine resolved-path cache (docs/BENCHMARKS.md, "Decision core").
@Suite struct ResolvedPathCacheTests {
    /// A temporary tree: `real/dir/file`, `link-abs -> <root>/real`, `real/dir/up -> ../..` (relative, with `..`),
    /// `dangling -> <root>/missing/target`, `loop-a -> loop-b -> loop-a`.
    static func makeTree() throws -> String {
        let root = try PolicyFixtures.temporaryDirectory()
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/real/dir", withIntermediateDirectories: true)
        fm.createFile(atPath: root + "/real/dir/file", contents: Data())
        try fm.createSymbolicLink(atPath: root + "/link-abs", withDestinationPath: root + "/real")
        try fm.createSymbolicLink(atPath: root + "/real/dir/up", withDestinationPath: "../..")
        try fm.createSymbolicLink(atPath: root + "/dangling", withDestinationPath: root + "/missing/target")
        try fm.createSymbolicLink(atPath: root + "/loop-a", withDestinationPath: root + "/loop-b")
        try fm.createSymbolicLink(atPath: root + "/loop-b", withDestinationPath: root + "/loop-a")
        return root
    }

    @Test func resolvesLinksInOneWalk() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let resolve = PathResolver.realpathOfExistingPrefix
        #expect(resolve(root + "/real/dir/file") == root + "/real/dir/file")
        #expect(resolve(root + "/link-abs/dir/file") == root + "/real/dir/file")
        // Missing rest after a link: appended lexically to the link's target.
        #expect(resolve(root + "/link-abs/dir/new/deeper") == root + "/real/dir/new/deeper")
        // A relative target with `..` is resolved from the link's directory.
        #expect(resolve(root + "/real/dir/up/link-abs/dir") == root + "/real/dir")
        // A dangling link leads to its target (what a write through it creates).
        #expect(resolve(root + "/dangling") == root + "/missing/target")
        // A loop does not hang: the rest is kept as written.
        let looped = resolve(root + "/loop-a/x")
        #expect(looped.hasPrefix(root + "/loop-"))
        #expect(looped.hasSuffix("/x"))
        #expect(resolve("/") == "/")
        // The answer agrees with realpath(3) wherever the whole path exists.
        for path in [root + "/link-abs/dir/file", root + "/real/dir/up/real", root + "/link-abs"] {
            let expected = realpath(path, nil).map { pointer in
                defer { free(pointer) }
                return String(cString: pointer)
            }
            #expect(resolve(path) == expected)
        }
    }

    @Test func cacheReusesAndForgets() throws {
        let cache = ResolvedPathCache(validitySeconds: 60)
        var calls = 0
        let resolve: (String, String) -> String = { raw, cwd in
            calls += 1
            return cwd + "/" + raw
        }
        #expect(cache.resolve("a", cwd: "/w", resolve) == "/w/a")
        #expect(cache.resolve("a", cwd: "/w", resolve) == "/w/a")
        #expect(calls == 1)
        // The working directory is part of the key.
        #expect(cache.resolve("a", cwd: "/v", resolve) == "/v/a")
        #expect(calls == 2)
        cache.removeAll()
        #expect(cache.count == 0)
        _ = cache.resolve("a", cwd: "/w", resolve)
        #expect(calls == 3)
        // An expired entry is resolved again.
        let expiring = ResolvedPathCache(validitySeconds: 0.000_001)
        _ = expiring.resolve("a", cwd: "/w", resolve)
        usleep(1_000)
        _ = expiring.resolve("a", cwd: "/w", resolve)
        #expect(calls == 5)
    }

    /// An engine with the cache sees a link the agent creates through ClawGuard in its very next call: `ln`
    /// empties the cache.
    @Test func linkCreatedThroughClawGuardIsSeen() throws {
        let root = try PolicyFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let home = root + "/home"
        try FileManager.default.createDirectory(atPath: home + "/.ssh", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/work", withIntermediateDirectories: true)
        let policy = Policy(
            profileName: "t", mode: .default, sources: [],
            rules: [try PolicyFixtures.rule("Bash(cat *)"), try PolicyFixtures.rule("Bash(ln *)")],
            home: home, cwd: root + "/work")
        let engine = DecisionEngine(policy: policy, pathCacheValidity: 60)
        let cwd = root + "/work"
        #expect(engine.decide(.bash("cat keys/config", cwd: cwd)).decision == .allow)
        #expect(engine.pathCache?.count ?? 0 > 0)
        _ = engine.decide(.bash("ln -s \(home)/.ssh keys", cwd: cwd))
        #expect(engine.pathCache?.count == 0)
        try FileManager.default.createSymbolicLink(atPath: cwd + "/keys", withDestinationPath: home + "/.ssh")
        let verdict = engine.decide(.bash("cat keys/config", cwd: cwd))
        #expect(verdict.decision == .ask)
        #expect(verdict.reason.contains("protected path"))
    }

    /// Off by default: an engine without the cache resolves every time.
    @Test func offByDefault() throws {
        let engine = DecisionEngine(policy: Policy(profileName: "t", mode: .default))
        #expect(engine.pathCache == nil)
    }
}
