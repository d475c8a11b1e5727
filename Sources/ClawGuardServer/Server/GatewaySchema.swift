import ClawGuardStore
import GRDB

/// The gateway's own tables in the state database, as GRDB migrations with their own identifiers. Add a
/// migration with one `registerMigration` line; never edit an applied one.
enum GatewaySchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("gateway-v1-tokens", migrate: createTokens)
        migrator.registerMigration("gateway-v1-approvals", migrate: createApprovals)
        return migrator
    }

    /// Applies the gateway's migrations to `store`.
    static func migrate(_ store: StateStore) throws {
        try store.migrate(migrator)
    }

    static func createTokens(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE tokens (
                id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, hash TEXT NOT NULL, scopes TEXT NOT NULL,
                created_at REAL NOT NULL, expires_at REAL, revoked_at REAL, created_by TEXT NOT NULL
            );
            CREATE INDEX tokens_name ON tokens(name);
            """)
    }

    static func createApprovals(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE approvals (
                id TEXT PRIMARY KEY NOT NULL, created_at REAL NOT NULL,
                session TEXT NOT NULL, agent TEXT NOT NULL, user TEXT NOT NULL, tool TEXT NOT NULL,
                fingerprint TEXT NOT NULL, cwd TEXT, input TEXT NOT NULL, verdict TEXT NOT NULL, risk TEXT NOT NULL,
                diff TEXT, status TEXT NOT NULL DEFAULT 'pending', decided_by TEXT, reason TEXT, scope TEXT,
                decided_at REAL
            );
            CREATE INDEX approvals_status ON approvals(status, created_at);
            CREATE INDEX approvals_grants ON approvals(fingerprint, status, scope);
            """)
    }
}
