import ClawGuardCore
import Crypto
import Foundation
import GRDB

/// Options of a state store.
public struct StateStoreOptions: Sendable {
    /// Redacts credentials from every string written to the audit trail.
    public var redact: RedactFunction
    /// A signed checkpoint every this many audit records.
    public var checkpointEvery: Int
    /// How long to wait for another process's write lock, in seconds.
    public var busyTimeout: Double
    /// Audit records older than this many days are pruned at checkpoints (nil: keep everything).
    public var retentionDays: Double?
    /// The user recorded as changing global settings (kill switch).
    public var actor: String

    public init(redact: @escaping RedactFunction = MinimalRedactor.redact, checkpointEvery: Int = 100,
                busyTimeout: Double = 5, retentionDays: Double? = nil,
                actor: String = ProcessInfo.processInfo.environment["USER"] ?? NSUserName()) {
        self.redact = redact
        self.checkpointEvery = checkpointEvery
        self.busyTimeout = busyTimeout
        self.retentionDays = retentionDays
        self.actor = actor
    }
}

/// ClawGuard's state: sessions, rate-limit buckets, spend, loop history, the kill switch, shadow flags, and the
/// tamper-evident audit trail, in one SQLite database (WAL, busy timeout, `BEGIN IMMEDIATE` for every
/// read-modify-write), shared by many short-lived hook processes at once.
///
/// Every error surfaces as a thrown `ClawGuardError` with code `.store` (or `.io`), so a caller denies.
public struct StateStore: Sendable {
    /// The database path (`:memory:` for an in-memory store).
    public let path: String
    public let options: StateStoreOptions
    let writer: any DatabaseWriter
    let keys: KeySource

    /// Where checkpoint signing keys come from.
    enum KeySource: Sendable {
        case files(AuditKeys)
        /// A raw Ed25519 private key (in-memory stores).
        case memory(Data)

        func signingKey() throws(ClawGuardError) -> Curve25519.Signing.PrivateKey {
            switch self {
            case .files(let keys): try keys.loadOrCreate()
            case .memory(let raw): try Self.privateKey(raw)
            }
        }

        func publicKey() throws(ClawGuardError) -> Curve25519.Signing.PublicKey {
            switch self {
            case .files(let keys): try keys.loadPublic()
            case .memory(let raw): try Self.privateKey(raw).publicKey
            }
        }

        static func privateKey(_ raw: Data) throws(ClawGuardError) -> Curve25519.Signing.PrivateKey {
            do { return try Curve25519.Signing.PrivateKey(rawRepresentation: raw) } catch {
                throw ClawGuardError(.store, "in-memory signing key is malformed", underlying: error)
            }
        }
    }

    /// The schema version this code writes (`PRAGMA user_version`).
    static let schemaVersion = 1

    /// Opens (creating if needed) the state database at `path`: directory 0700, database files 0600.
    /// - Throws: `ClawGuardError(.store)` when it cannot be opened or migrated.
    public init(path: String, options: StateStoreOptions = StateStoreOptions()) throws(ClawGuardError) {
        self.path = path
        self.options = options
        let directory = (path as NSString).deletingLastPathComponent
        keys = .files(AuditKeys(directory: directory.isEmpty ? "." : directory))
        writer = try StoreSupport.wrap("opening \(path)") {
            try Self.prepareDirectory(directory)
            let oldMask = umask(0o077)
            defer { umask(oldMask) }
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
            let fresh = size == 0
            return try Self.withFileLock(path + ".lock", when: fresh) {
                let queue = try DatabaseQueue(path: path, configuration: Self.configuration(options))
                let version = try queue.read { try Int.fetchOne($0, sql: "PRAGMA user_version") ?? 0 }
                if version < Self.schemaVersion {
                    try Self.withFileLock(path + ".lock", when: !fresh) { try Self.migrator.migrate(queue) }
                } else if version > Self.schemaVersion {
                    throw ClawGuardError(.store, "state database \(path) has schema \(version), newer than this clawguard (\(Self.schemaVersion)); upgrade clawguard")
                }
                return queue
            }
        }
    }

    /// An in-memory store (unit tests of callers; nothing is persisted), with its own ephemeral signing key.
    public static func inMemory(options: StateStoreOptions = StateStoreOptions()) throws(ClawGuardError) -> StateStore {
        try StateStore(memoryWith: options)
    }

    private init(memoryWith options: StateStoreOptions) throws(ClawGuardError) {
        path = ":memory:"
        self.options = options
        keys = .memory(Curve25519.Signing.PrivateKey().rawRepresentation)
        writer = try StoreSupport.wrap("opening an in-memory store") {
            let queue = try DatabaseQueue(configuration: Self.configuration(options))
            try Self.migrator.migrate(queue)
            return queue
        }
    }

    static func configuration(_ options: StateStoreOptions) -> Configuration {
        var config = Configuration()
        config.journalMode = .wal
        config.busyMode = .timeout(options.busyTimeout)
        config.label = "clawguard-state"
        config.prepareDatabase { db in Self.tuneConnection(db) }
        return config
    }

    /// Hook processes are short-lived: each one would be the last connection to close, and SQLite's default is
    /// to checkpoint the WAL into the database and delete it on that close (two fsyncs and a file re-creation per
    /// tool call). Keep the WAL file (`SQLITE_FCNTL_PERSIST_WAL`) and skip the checkpoint on close
    /// (`SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE`); SQLite's automatic checkpoint (every 1000 WAL pages) still runs
    /// during commits. Both are performance settings only: durability and the WAL's crash safety are unchanged.
    static func tuneConnection(_ db: Database) {
        #if os(Linux)
        typealias FileControl = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32, UnsafeMutableRawPointer?) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sqlite3_file_control") {
            var persist: Int32 = 1
            _ = unsafeBitCast(symbol, to: FileControl.self)(db.sqliteConnection, nil, 10 /* SQLITE_FCNTL_PERSIST_WAL */, &persist)
        }
        // `sqlite3_db_config` is variadic and not callable from Swift; on Linux (x86-64 and AArch64 SysV ABIs)
        // variadic integer and pointer arguments are passed like fixed ones, so a fixed-arity pointer is exact.
        typealias DBConfig = @convention(c) (OpaquePointer?, Int32, Int32, UnsafeMutablePointer<Int32>?) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sqlite3_db_config") {
            let dbConfig = unsafeBitCast(symbol, to: DBConfig.self)
            _ = dbConfig(db.sqliteConnection, 1006 /* SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE */, 1, nil)
        }
        #endif
    }

    static func prepareDirectory(_ directory: String) throws {
        guard !directory.isEmpty else { return }
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } else if !isDirectory.boolValue {
            throw ClawGuardError(.store, "\(directory) is not a directory")
        }
    }

    /// Runs `body` holding an exclusive `flock` on `lockPath` when `condition` holds (first creation and
    /// migrations, so concurrent first runs do not race).
    static func withFileLock<T>(_ lockPath: String, when condition: Bool, _ body: () throws -> T) throws -> T {
        guard condition else { return try body() }
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ClawGuardError(.store, "cannot open lock file \(lockPath): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw ClawGuardError(.store, "cannot lock \(lockPath): \(String(cString: strerror(errno)))") }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE sessions (
                    id TEXT PRIMARY KEY NOT NULL,
                    agent TEXT NOT NULL, user TEXT NOT NULL, cwd TEXT,
                    started_at REAL NOT NULL, last_activity REAL NOT NULL, ended_at REAL,
                    status TEXT NOT NULL DEFAULT 'active', status_reason TEXT,
                    cost_usd REAL NOT NULL DEFAULT 0, cost_flagged INTEGER NOT NULL DEFAULT 0,
                    budget_warned INTEGER NOT NULL DEFAULT 0,
                    calls INTEGER NOT NULL DEFAULT 0,
                    transcript_path TEXT, transcript_offset INTEGER NOT NULL DEFAULT 0, transcript_last_message TEXT
                );
                CREATE INDEX sessions_user ON sessions(user);
                CREATE TABLE tool_counts (
                    session TEXT NOT NULL, tool TEXT NOT NULL, status TEXT NOT NULL, count INTEGER NOT NULL,
                    PRIMARY KEY (session, tool, status)
                ) WITHOUT ROWID;
                CREATE TABLE tool_calls (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    session TEXT NOT NULL, tool TEXT NOT NULL, fingerprint TEXT NOT NULL,
                    decision TEXT NOT NULL, at REAL NOT NULL
                );
                CREATE INDEX tool_calls_session ON tool_calls(session, id);
                CREATE TABLE rate_buckets (key TEXT PRIMARY KEY NOT NULL, tat REAL NOT NULL) WITHOUT ROWID;
                CREATE TABLE daily_spend (
                    user TEXT NOT NULL, day TEXT NOT NULL, usd REAL NOT NULL DEFAULT 0, warned INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (user, day)
                ) WITHOUT ROWID;
                CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE audit_log (
                    seq INTEGER PRIMARY KEY, time TEXT NOT NULL, type TEXT NOT NULL,
                    session TEXT, agent TEXT, user TEXT, tool TEXT, decision TEXT, rule TEXT, reason TEXT,
                    details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
                );
                CREATE INDEX audit_log_session ON audit_log(session);
                CREATE TABLE audit_checkpoint (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, kind TEXT NOT NULL,
                    seq INTEGER NOT NULL, hash TEXT NOT NULL, cut_seq INTEGER, cut_hash TEXT,
                    key_id TEXT NOT NULL, signature TEXT NOT NULL
                );
                PRAGMA user_version = 1;
                """)
        }
        return migrator
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: the write lock is taken first, so concurrent
    /// read-modify-writes serialize instead of failing on upgrade. Errors become `ClawGuardError(.store)`.
    func write<T>(_ what: String, _ body: (Database) throws -> T) throws(ClawGuardError) -> T {
        try StoreSupport.wrap(what) {
            try writer.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        }
    }

    /// Runs a read.
    func read<T>(_ what: String, _ body: (Database) throws -> T) throws(ClawGuardError) -> T {
        try StoreSupport.wrap(what) { try writer.read(body) }
    }
}
