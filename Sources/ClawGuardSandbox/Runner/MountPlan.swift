#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CClawGuardSandbox

/// One step of building the sandbox's root, in the order the C side executes them.
public struct MountStep: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case bind, tmpfs, proc, dev, overlay, mask, symlink, directory
    }
    public var kind: Kind
    /// Host path (bind), link target (symlink); unused otherwise.
    public var source: String
    /// Path inside the sandbox.
    public var target: String
    /// Mount options (tmpfs, overlay).
    public var data: String
    public var readOnly: Bool
    public var noExec: Bool
    public var optional: Bool

    public init(
        _ kind: Kind, source: String = "", target: String, data: String = "", readOnly: Bool = false,
        noExec: Bool = false, optional: Bool = false
    ) {
        self.kind = kind
        self.source = source
        self.target = target
        self.data = data
        self.readOnly = readOnly
        self.noExec = noExec
        self.optional = optional
    }
}

/// Turns a configuration into the ordered list of mount steps. Pure apart from `lstat`/`readlink` on the
/// system mount sources (to recreate merged-`/usr` symbolic links), which is injectable for tests.
public struct MountPlanner: Sendable {
    /// Returns the link target when `path` is a symbolic link, `nil` when it is not, and `""` when it does
    /// not exist.
    public var readLink: @Sendable (String) -> String?

    public init(readLink: @escaping @Sendable (String) -> String? = MountPlanner.hostReadLink) {
        self.readLink = readLink
    }

    public static let hostReadLink: @Sendable (String) -> String? = { path in
        var st = stat()
        guard lstat(path, &st) == 0 else { return "" }
        guard (st.st_mode & S_IFMT) == S_IFLNK else { return nil }
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return "" }
        buffer[n] = 0
        return String(cString: buffer)
    }

    /// The mount steps for `config`.
    /// - Parameter proxySocketDirectory: the host directory holding the egress proxy's unix socket, bound
    ///   read-only at `ProxyBridge.insideDirectory` (allowlist network only).
    public func plan(for config: SandboxConfiguration, proxySocketDirectory: String? = nil) -> [MountStep] {
        var steps: [MountStep] = []
        for mount in config.systemMounts {
            switch readLink(mount.source) {
            case .some(""):
                if !mount.optional { steps.append(MountStep(.bind, source: mount.source, target: mount.target, readOnly: true)) }
            case .some(let link):
                steps.append(MountStep(.symlink, source: link, target: mount.target))
            case .none:
                steps.append(
                    MountStep(.bind, source: mount.source, target: mount.target, readOnly: mount.readOnly,
                              optional: mount.optional))
            }
        }
        steps.append(MountStep(.proc, target: "/proc"))
        steps.append(MountStep(.dev, target: "/dev"))
        let tmpOptions = "mode=1777,size=\(config.tmpSizeBytes)"
        steps.append(MountStep(.tmpfs, target: "/tmp", data: tmpOptions, noExec: config.tmpNoExec))
        steps.append(MountStep(.tmpfs, target: "/run", data: "mode=0755,size=1048576", noExec: true))
        steps.append(
            MountStep(.tmpfs, target: config.homeDirectory, data: "mode=0700,size=\(config.tmpSizeBytes)",
                      noExec: config.tmpNoExec))
        if let workspace = config.workspace {
            if let overlay = config.overlay {
                let lower = overlay.lower.map { CG_OLDROOT + $0 }.joined(separator: ":")
                let data = "lowerdir=\(lower),upperdir=\(CG_OLDROOT + overlay.upper),workdir=\(CG_OLDROOT + overlay.work),userxattr"
                steps.append(MountStep(.overlay, target: config.workspaceMountPoint, data: data))
            } else {
                steps.append(MountStep(.bind, source: workspace, target: config.workspaceMountPoint))
            }
        }
        for mount in config.extraMounts {
            steps.append(
                MountStep(.bind, source: mount.source, target: mount.target, readOnly: mount.readOnly,
                          optional: mount.optional))
        }
        if case .allowlist = config.network, let proxySocketDirectory {
            steps.append(MountStep(.bind, source: proxySocketDirectory, target: ProxyBridge.insideDirectory,
                                   readOnly: true))
        }
        for target in maskTargets(config) {
            steps.append(MountStep(.mask, target: target))
        }
        return steps
    }

    /// Where each protected host path shows up inside, through every mount that exposes it.
    public func maskTargets(_ config: SandboxConfiguration) -> [String] {
        var exposures: [(host: String, inside: String)] = config.systemMounts.map { ($0.source, $0.target) }
        if let workspace = config.workspace { exposures.append((workspace, config.workspaceMountPoint)) }
        exposures += config.extraMounts.map { ($0.source, $0.target) }
        var targets: [String] = []
        for hostPath in config.maskedPaths {
            for exposure in exposures {
                guard let rest = PathUtilities.relative(hostPath, to: exposure.host) else { continue }
                let inside = PathUtilities.normalize(PathUtilities.join(exposure.inside, rest))
                if !targets.contains(inside) { targets.append(inside) }
            }
        }
        return targets
    }

}

/// Where the proxy's unix socket appears inside the sandbox.
public enum ProxyBridge {
    public static let insideDirectory = "/run/clawguard"
    public static let socketName = "proxy.sock"
    public static var insideSocket: String { insideDirectory + "/" + socketName }
}
