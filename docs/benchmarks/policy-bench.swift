// Micro-benchmarks of the policy matchers. To reproduce: copy this file over
// Benchmarks/clawguard-bench/main.swift and run `swift run -c release clawguard-bench`.
import ClawGuardCore
import Foundation

@main
struct Bench {
    static func measure(_ name: String, iterations: Int, _ body: (Int) -> Bool) {
        var hits = 0
        for i in 0..<min(iterations, 10_000) where body(i) { hits += 1 }  // warm-up
        hits = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<iterations where body(i) { hits += 1 }
        let ns = Double(DispatchTime.now().uptimeNanoseconds - start)
        let per = ns / Double(iterations)
        print(String(format: "%-44@ %8.0f ns/op %12.0f ops/s  (hits %d)", name as NSString, per, 1e9 / per, hits))
    }

    static func main() throws {
        let home = "/home/alice"
        let cwd = "/home/alice/project"
        let policy = try PolicyLoader.builtin("builder", cwd: cwd, home: home)
        let commands = ["git status", "git push origin main", "npm run test", "rm -rf build", "ls -la src", "curl https://x"]
        let paths = [
            "/home/alice/project/src/app/main.swift", "/home/alice/.ssh/id_rsa", "/home/alice/project/.env",
            "/etc/passwd", "/home/alice/project/node_modules/a/b/c/d/index.js", "/home/alice/.bashrc",
        ]
        let hosts = ["github.com", "api.github.com", "169.254.169.254", "0x7f.1", "example.org", "[::1]"]
        let protected = policy.protectedPaths
        let resolver = PathResolver(home: home, followSymlinks: false)
        let n = 1_000_000
        print("policy: builder, \(policy.rules.count) rules, \(ProtectedPaths.table.count) protected entries")
        measure("Policy.rule(forCommand:)", iterations: n) { policy.rule(forCommand: commands[$0 % commands.count]) != nil }
        measure("Policy.rule(forTool: Edit, path:)", iterations: n) { policy.rule(forTool: "Edit", path: paths[$0 % paths.count]) != nil }
        measure("ProtectedPaths.match", iterations: n) { protected.match(paths[$0 % paths.count]) != nil }
        measure("Policy.access(write:)", iterations: n) { policy.access(paths[$0 % paths.count], write: true).outcome == .allowed }
        measure("NetworkRules.evaluate", iterations: n) {
            if case .allowed = policy.network.evaluate(host: hosts[$0 % hosts.count], port: 443) { return true }
            return false
        }
        measure("PathResolver.resolve (lexical)", iterations: n) { _ in resolver.resolve("../project/./src/../x", cwd: cwd).count > 0 }
        let symlinks = PathResolver(home: home, followSymlinks: true)
        measure("PathResolver.resolve (realpath)", iterations: 200_000) { _ in symlinks.resolve("/usr/lib/../bin/env-missing", cwd: "/").count > 0 }
        let pattern = BashPattern("git diff *")
        measure("BashPattern.matches", iterations: n) { pattern.matches(commands[$0 % commands.count]) }
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<100 { _ = try PolicyLoader.builtin("builder", cwd: cwd, home: home) }
        print(String(format: "PolicyLoader.builtin(builder): %.2f ms per load", Double(DispatchTime.now().uptimeNanoseconds - start) / 100 / 1e6))
    }
}
