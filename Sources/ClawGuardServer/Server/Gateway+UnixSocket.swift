import ClawGuardCore
import Foundation
import Hummingbird
import Logging
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

extension Gateway {
    /// The gateway's second listener: the same routes (and tokens, limits, state) on a unix domain socket, so hooks
    /// in a worker's sandbox reach the gateway without the network and without the state directory. Run it as one of
    /// the main application's `extraServices`.
    /// - Parameters:
    ///   - services: the gateway's services (shared with the TCP listener).
    ///   - path: the socket's path; its directory must already exist (see `prepareSocketDirectory`).
    ///   - onServerRunning: called once the socket is bound (the socket is then made 0600).
    public static func unixSocketApplication(_ services: GatewayServices, path: String,
                                             onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in })
        -> some ApplicationProtocol {
        Application(
            router: GatewayRoutes.router(services),
            configuration: ApplicationConfiguration(address: .unixDomainSocket(path: path), serverName: "clawguard"),
            onServerRunning: { channel in
                // Only the gateway's user may connect (the sandbox runs as the same user).
                chmod(path, 0o600)
                await onServerRunning(channel)
            },
            logger: services.logger)
    }

    /// Creates (or tightens) the socket's directory: owned by this user, mode 0700, not a symbolic link.
    /// - Throws: `ClawGuardError(.io)` when it cannot be made private.
    public static func prepareSocketDirectory(for path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        guard path.hasPrefix("/"), !directory.isEmpty else {
            throw ClawGuardError(.invalidInput, "the unix socket path \(path) must be absolute")
        }
        guard path.utf8.count < 108 else {
            throw ClawGuardError(.invalidInput, "the unix socket path \(path) is longer than 107 bytes; choose a shorter one")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw ClawGuardError(.io, "cannot create the socket directory \(directory): \(error.localizedDescription)")
        }
        var info = stat()
        guard lstat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == getuid() else {
            throw ClawGuardError(.io, "the socket directory \(directory) is not a directory owned by this user")
        }
        guard chmod(directory, 0o700) == 0 else {
            throw ClawGuardError(.io, "cannot make the socket directory \(directory) private (chmod 0700)")
        }
    }
}
