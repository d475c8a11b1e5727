/// One credential found in a text. The secret itself is never stored: only where it is, what it is, a masked
/// preview and stable hashes for correlation (`tag`) and baselines (`fingerprint`).
public struct SecretFinding: Sendable, Hashable, Codable {
    /// What the credential is (`aws-access-key`, `github-pat`, `password`).
    public var kind: String
    /// The rule that matched (`aws-access-key`, `generic-password`).
    public var rule: String
    /// 1-based line of the secret's first byte.
    public var line: Int
    /// 1-based column (Unicode scalars) of the secret's first byte.
    public var column: Int
    /// Byte range of the secret in the UTF-8 input.
    public var byteRange: Range<Int>
    /// Masked preview, e.g. `ghp_ab…(40 chars)`; never the whole secret.
    public var preview: String
    /// Four hex digits of a stable hash of the secret, as used in `[REDACTED:kind:tag]`.
    public var tag: String
    /// Sixteen hex digits of a stable hash of (rule kind, secret): the key of baseline entries.
    public var fingerprint: String
    /// Shannon entropy (bits per byte) of the secret part.
    public var entropy: Double
}
