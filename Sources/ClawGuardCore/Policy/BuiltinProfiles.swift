import Yams

/// The built-in profiles for the reference design's five agent archetypes, plus `default`.
///
/// They are one embedded YAML document, read by the same decoder as user policies, so they are as easy to read
/// and extend as a `clawguard.yaml`. Top-level entries are shared by every built-in profile.
public enum BuiltinProfiles {
    /// The names of the built-in profiles.
    public static let names = ["default", "explorer", "reviewer", "refactorer", "builder", "deployer"]

    /// The pseudo file name built-in rules report as their source.
    public static let sourceName = "builtin:profiles"

    /// The built-in profiles, as YAML.
    public static let yaml = """
        version: 1
        default_profile: default
        # Shared by every built-in profile: reading the project and read-only shell commands.
        permissions:
          allow:
            - Read
            - Glob
            - Grep
            - LS
            - NotebookRead
            - Bash(ls)
            - Bash(ls *)
            - Bash(pwd)
            - Bash(cat *)
            - Bash(head *)
            - Bash(tail *)
            - Bash(wc *)
            - Bash(file *)
            - Bash(stat *)
            - Bash(tree *)
            - Bash(grep *)
            - Bash(rg *)
            - Bash(which *)
            - Bash(echo *)
            - Bash(git status)
            - Bash(git status *)
            - Bash(git log *)
            - Bash(git diff *)
            - Bash(git show *)
            - Bash(git branch)
            - Bash(git blame *)
        filesystem:
          read: ["."]
        profiles:
          default:
            description: Claude Code's default behaviour - reading is allowed, everything else asks.
            mode: default
          explorer:
            description: Read-only exploration (Read, Glob, Grep, read-only shell). Edits and fetches are refused.
            mode: default
            permissions:
              deny: [Edit, NotebookEdit, WebFetch]
          reviewer:
            description: Read plus git read commands, linters and test runners. No edits.
            mode: default
            permissions:
              allow:
                - Bash(git log:*)
                - Bash(git rev-parse *)
                - Bash(git ls-files *)
                - Bash(git grep *)
                - Bash(eslint *)
                - Bash(npx eslint *)
                - Bash(ruff check *)
                - Bash(flake8 *)
                - Bash(pylint *)
                - Bash(mypy *)
                - Bash(shellcheck *)
                - Bash(swiftlint *)
                - Bash(golangci-lint run *)
                - Bash(pytest *)
                - Bash(npm test *)
                - Bash(npm run test *)
                - Bash(swift test *)
                - Bash(go test *)
                - Bash(cargo test *)
                - Bash(make test)
              deny: [Edit, NotebookEdit]
          refactorer:
            description: Read plus edits, every edit approved by a human.
            mode: default
            permissions:
              ask: [Edit, NotebookEdit]
          builder:
            description: Read and write in the project; git and npm, with approval for the risky commands.
            mode: default
            permissions:
              allow:
                - Edit(./**)
                - Bash(git add *)
                - Bash(git commit *)
                - Bash(git checkout -b *)
                - Bash(git switch -c *)
                - Bash(git stash *)
                - Bash(npm ci)
                - Bash(npm test *)
                - Bash(npm run *)
                - Bash(mkdir *)
              ask:
                - Bash(git push *)
                - Bash(git reset *)
                - Bash(git rebase *)
                - Bash(git clean *)
                - Bash(npm install *)
                - Bash(npm publish *)
                - Bash(rm *)
                - WebFetch
            filesystem:
              write: ["."]
            network:
              allow: [registry.npmjs.org, github.com, "*.github.com", "*.githubusercontent.com"]
              allow_ports: [443]
          deployer:
            description: git, docker and kubectl - every one of them approved by a human. No edits.
            mode: default
            permissions:
              ask:
                - Bash(git:*)
                - Bash(docker:*)
                - Bash(kubectl:*)
              deny: [Edit, NotebookEdit]
        """

    /// The layer of a built-in profile compiled for `base`, or nil when `name` is not built in.
    static func layer(_ name: String, base: PathBase) throws(ClawGuardError) -> ProfileLayer? {
        guard names.contains(name) else { return nil }
        let file = try document(base: base)
        return try file.resolve(name, base: base)
    }

    static func document(base: PathBase) throws(ClawGuardError) -> PolicyFile {
        var d = Diagnostics()
        let node: Node?
        do { node = try Yams.compose(yaml: yaml, PolicyLoader.yamlResolver) } catch {
            throw ClawGuardError(.internalError, "built-in profiles do not parse: \(error)")
        }
        guard let node else { throw ClawGuardError(.internalError, "built-in profiles are empty") }
        let file = PolicyFile.decode(YNode(node: node, file: sourceName, path: ""), base: base, &d)
        guard !d.hasErrors else {
            throw ClawGuardError(.internalError, "built-in profiles are invalid: \(d.issues.map(\.description).joined(separator: "; "))")
        }
        return file
    }
}
