import ClawGuardCore
import Crypto
import Foundation

/// The Ed25519 key pair that signs audit checkpoints: `audit-ed25519.key` (raw 32-byte private key, base64,
/// mode 0600) and `audit-ed25519.pub` (raw public key, base64) in the state directory. Created on first use or
/// by `clawguard init`; creation is atomic (write a temp file, `link` it into place), so concurrent hooks agree
/// on one key.
public struct AuditKeys: Sendable {
    public var privateKeyPath: String
    public var publicKeyPath: String

    public init(directory: String) {
        privateKeyPath = (directory as NSString).appendingPathComponent("audit-ed25519.key")
        publicKeyPath = (directory as NSString).appendingPathComponent("audit-ed25519.pub")
    }

    /// The key id of a public key: the first 16 hex digits of its SHA-256.
    public static func keyID(_ key: Curve25519.Signing.PublicKey) -> String {
        String(AuditRecord.sha256Hex(key.rawRepresentation).prefix(16))
    }

    /// Loads the private key, creating the pair if there is none.
    /// - Throws: `ClawGuardError(.io)` when the key cannot be read or written, `.store` when it is malformed.
    public func loadOrCreate() throws(ClawGuardError) -> Curve25519.Signing.PrivateKey {
        if FileManager.default.fileExists(atPath: privateKeyPath) { return try loadPrivate() }
        let key = Curve25519.Signing.PrivateKey()
        let temp = privateKeyPath + ".tmp.\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        let text = key.rawRepresentation.base64EncodedString() + "\n"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw ClawGuardError(.io, "cannot create audit key \(temp): \(String(cString: strerror(errno)))") }
        let written = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        fsync(fd)
        close(fd)
        defer { unlink(temp) }
        guard written == text.utf8.count else { throw ClawGuardError(.io, "cannot write audit key \(temp)") }
        if link(temp, privateKeyPath) != 0 && errno != EEXIST {
            throw ClawGuardError(.io, "cannot install audit key \(privateKeyPath): \(String(cString: strerror(errno)))")
        }
        let installed = try loadPrivate()
        try writePublic(installed.publicKey)
        return installed
    }

    func loadPrivate() throws(ClawGuardError) -> Curve25519.Signing.PrivateKey {
        guard let text = try? String(contentsOfFile: privateKeyPath, encoding: .utf8) else {
            throw ClawGuardError(.io, "cannot read audit signing key \(privateKeyPath)")
        }
        guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else { throw ClawGuardError(.store, "audit signing key \(privateKeyPath) is malformed") }
        return key
    }

    func writePublic(_ key: Curve25519.Signing.PublicKey) throws(ClawGuardError) {
        let text = key.rawRepresentation.base64EncodedString() + "\n"
        if (try? String(contentsOfFile: publicKeyPath, encoding: .utf8)) == text { return }
        do {
            try text.write(toFile: publicKeyPath, atomically: true, encoding: .utf8)
            chmod(publicKeyPath, 0o644)
        } catch {
            throw ClawGuardError(.io, "cannot write audit public key \(publicKeyPath)", underlying: error)
        }
    }

    /// Loads the public key (from the `.pub` file, or derived from the private key when that is missing).
    /// - Throws: `ClawGuardError(.notFound)` when neither exists.
    public func loadPublic() throws(ClawGuardError) -> Curve25519.Signing.PublicKey {
        if let text = try? String(contentsOfFile: publicKeyPath, encoding: .utf8) {
            guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
                let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
            else { throw ClawGuardError(.store, "audit public key \(publicKeyPath) is malformed") }
            return key
        }
        if FileManager.default.fileExists(atPath: privateKeyPath) { return try loadPrivate().publicKey }
        throw ClawGuardError(.notFound, "no audit key at \(publicKeyPath); run `clawguard init`")
    }
}
