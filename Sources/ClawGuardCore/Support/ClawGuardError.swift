/// The one error shape used across ClawGuard: a code that can grow, a message a human can act on,
/// an optional underlying cause, and where it was raised.
///
/// Every error path in ClawGuard ends in a safe state: a decision that could not be made is a deny.
public struct ClawGuardError: Error, Sendable, CustomStringConvertible {
    /// A stable, extensible error code (a struct wrapping a private enum so cases can be added).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case invalidPolicy, invalidRule, invalidInput, parseError, limitExceeded, io, store, sandbox, timeout,
                internalError, notFound, unauthorized, unsupported
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// A policy file could not be read or is not valid.
        public static let invalidPolicy = Code(.invalidPolicy)
        /// A permission rule has bad syntax.
        public static let invalidRule = Code(.invalidRule)
        /// Input (JSON, a tool call, a flag) is malformed.
        public static let invalidInput = Code(.invalidInput)
        /// A shell command could not be parsed.
        public static let parseError = Code(.parseError)
        /// A size, depth or count bound was exceeded.
        public static let limitExceeded = Code(.limitExceeded)
        /// Reading or writing a file failed.
        public static let io = Code(.io)
        /// The state store failed.
        public static let store = Code(.store)
        /// The sandbox could not be set up.
        public static let sandbox = Code(.sandbox)
        /// An operation ran out of time.
        public static let timeout = Code(.timeout)
        /// A bug: something that should not happen did.
        public static let internalError = Code(.internalError)
        /// Something named does not exist.
        public static let notFound = Code(.notFound)
        /// Authentication or authorization failed.
        public static let unauthorized = Code(.unauthorized)
        /// The platform or configuration does not support the operation.
        public static let unsupported = Code(.unsupported)

        public var description: String { wrapped.rawValue }
    }

    public var code: Code
    public var message: String
    public var underlying: (any Error)?
    public var file: String
    public var line: Int

    public init(
        _ code: Code, _ message: String, underlying: (any Error)? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    public var description: String {
        if let underlying { return "\(message) (\(underlying))" }
        return message
    }
}
