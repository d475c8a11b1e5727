/// Kinds of personal data.
public enum PIIKind: String, Sendable, Hashable, Codable, CaseIterable {
    case email, phone, paymentCard = "payment-card", iban, usSSN = "us-ssn", ipAddress = "ip-address"
}
