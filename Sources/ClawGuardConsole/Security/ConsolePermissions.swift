/// What each part of the console needs: the gateway's token scopes. A table, so a new page is one line.
public enum ConsoleAction: String, Sendable, Hashable, CaseIterable {
    case viewDashboard, viewSessions, terminateSession, viewApprovals, decideApproval, viewAudit, viewKillSwitch,
         setKillSwitch

    /// The scopes that allow the action (any one of them; `*` grants all).
    public var scopes: [String] {
        Self.table[self] ?? []
    }

    static let table: [ConsoleAction: [String]] = [
        .viewDashboard: ["sessions:read", "sessions:write"],
        .viewSessions: ["sessions:read", "sessions:write"],
        .terminateSession: ["sessions:write"],
        .viewApprovals: ["approvals:write"],
        .decideApproval: ["approvals:write"],
        .viewAudit: ["audit:read"],
        .viewKillSwitch: ["config:read", "config:write"],
        .setKillSwitch: ["config:write"],
    ]

    /// Scopes that let a token log in to the console at all (any one of the table's).
    public static var consoleScopes: Set<String> { Set(table.values.joined()) }
}

extension ConsolePrincipal {
    /// True when the principal may do `action`.
    public func may(_ action: ConsoleAction) -> Bool { action.scopes.contains(where: allows) }

    /// True when the principal may use the console at all.
    public var mayUseConsole: Bool { scopes.contains("*") || !scopes.isDisjoint(with: ConsoleAction.consoleScopes) }
}
