/// Settings of all scanners, as a plain value the policy's `scanners:` section maps onto.
public struct ScannerConfiguration: Sendable, Equatable {
    /// Credential scanning.
    public struct Secrets: Sendable, Equatable {
        /// Scan for credentials at all.
        public var enabled: Bool
        /// Rule ids to switch off (see `CredentialRule.builtIn`).
        public var disabledRules: Set<String>
        /// Run the generic name-plus-entropy rules (`generic-password`, `generic-api-key`, …).
        public var genericRules: Bool
        /// Per-rule minimum entropy (bits per byte) replacing the table's threshold.
        public var entropyOverrides: [String: Double]
        /// Finding fingerprints accepted by a baseline or allowlist; never reported.
        public var allowedFingerprints: Set<String>

        public init(enabled: Bool = true, disabledRules: Set<String> = [], genericRules: Bool = true,
                    entropyOverrides: [String: Double] = [:], allowedFingerprints: Set<String> = []) {
            self.enabled = enabled
            self.disabledRules = disabledRules
            self.genericRules = genericRules
            self.entropyOverrides = entropyOverrides
            self.allowedFingerprints = allowedFingerprints
        }
    }

    /// Prompt-injection analysis.
    public struct Injection: Sendable, Equatable {
        public var enabled: Bool
        /// Score (0…1) at or above which a text counts as an injection.
        public var threshold: Double
        /// Score at or above which callers should only warn (ask) rather than block.
        public var warnThreshold: Double
        /// Largest input analysed in full; longer inputs are analysed on their first and last halves of this size.
        public var maxBytes: Int

        public init(enabled: Bool = true, threshold: Double = 0.55, warnThreshold: Double = 0.35,
                    maxBytes: Int = 4 << 20) {
            self.enabled = enabled
            self.threshold = threshold
            self.warnThreshold = warnThreshold
            self.maxBytes = maxBytes
        }
    }

    /// Personal-data detection.
    public struct PII: Sendable, Equatable {
        public var enabled: Bool
        public var kinds: Set<PIIKind>

        public init(enabled: Bool = true, kinds: Set<PIIKind> = Set(PIIKind.allCases)) {
            self.enabled = enabled
            self.kinds = kinds
        }
    }

    /// What `Redactor` replaces.
    public struct Redaction: Sendable, Equatable {
        public var secrets: Bool
        public var pii: Set<PIIKind>

        public init(secrets: Bool = true, pii: Set<PIIKind> = [.email, .phone, .paymentCard, .iban, .usSSN]) {
            self.secrets = secrets
            self.pii = pii
        }
    }

    public var secrets: Secrets
    public var injection: Injection
    public var pii: PII
    public var redaction: Redaction

    public init(secrets: Secrets = .init(), injection: Injection = .init(), pii: PII = .init(),
                redaction: Redaction = .init()) {
        self.secrets = secrets
        self.injection = injection
        self.pii = pii
        self.redaction = redaction
    }

    /// Defaults: all rules, injection threshold 0.55, all PII kinds detected, secrets and PII (not IPs) redacted.
    public static let standard = ScannerConfiguration()
}
