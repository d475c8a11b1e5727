import ClawGuardCore

/// ClawGuard's own policy as ClawGuard itself loads it: the same `PolicyLoader` the hooks, `check` and the gateway
/// use, so the auditor judges the rules that are enforced, not a guess at the file's keys. One effective policy for
/// the default profile and one for each profile the file defines (inheritance through `extends:` applied).
public struct ClawGuardPolicyView: Sendable {
    /// One profile's effective policy.
    public struct Profile: Sendable {
        /// The profile's name (the default profile under its resolved name).
        public var name: String
        /// Where the profile's own keys are written: `profiles.NAME.` or `` for the file's top-level defaults.
        public var keyPrefix: String
        public var policy: Policy
    }

    public var document: SourceDocument
    /// The default profile first, then the file's profiles by name; empty when the policy does not load.
    public var profiles: [Profile]
    /// Errors that stop the policy from loading (every hook then denies every call: ClawGuard fails closed).
    public var errors: [PolicyIssue]
    /// `clawguard policy validate`'s lint findings (rules that in effect allow everything), de-duplicated.
    public var lint: [LintFinding]

    /// Loads `document` the way the hooks do, with the project directory as the working directory.
    public static func load(_ document: SourceDocument, options: AuditOptions) -> ClawGuardPolicyView {
        let input = PolicyLoader.Input(name: document.path, text: document.text, format: .clawguard)
        let defined = (document.value["profiles"]?.objectValue ?? [:]).keys.sorted()
        var view = ClawGuardPolicyView(document: document, profiles: [], errors: [], lint: [])
        var seenLint = Set<String>()
        for name in [String?.none] + defined.map(Optional.some) {
            let validation = PolicyLoader.validate(
                inputs: [input], profile: name, cwd: options.projectDirectory, home: options.home)
            guard let policy = validation.policy, validation.isValid else {
                // The issues are the file's, whichever profile was asked for: report them once.
                if view.errors.isEmpty { view.errors = validation.issues.filter { $0.severity == .error } }
                continue
            }
            if name == nil, defined.contains(policy.profileName) { continue }  // listed again below under its name
            let prefix = defined.contains(policy.profileName) ? "profiles.\(policy.profileName)." : ""
            view.profiles.append(Profile(name: policy.profileName, keyPrefix: prefix, policy: policy))
            for finding in validation.lint where seenLint.insert(finding.description).inserted {
                view.lint.append(finding)
            }
        }
        if !view.errors.isEmpty { view.profiles = [] }
        return view
    }

    /// A finding at `key` (dotted, below the profile's prefix when `profile` is given), on its line when found.
    func hit(_ detail: String, profile: Profile? = nil, at key: String) -> Hit {
        let full = (profile?.keyPrefix ?? "") + key
        let line = document.exactLine(of: full.split(separator: ".").map(String.init))
            ?? profile.flatMap { document.line(of: String($0.keyPrefix.dropLast())) }
        return Hit(detail, file: document.path, line: line)
    }
}
