import Testing
@testable import ClawGuardCore

@Suite("Network rules and IP literals")
struct PolicyNetworkTests {
    @Test(arguments: [
        ("127.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("169.254.169.254", "169.254.169.254"),
        ("0xa9fea9fe", "169.254.169.254"),
        ("10.1", "10.0.0.1"),
        ("::1", "::1"),
        ("[::1]", "::1"),
        ("0:0:0:0:0:0:0:1", "::1"),
        ("::ffff:127.0.0.1", "::ffff:7f00:1"),
        ("fe80::1%eth0", "fe80::1"),
        ("2001:db8::8a2e:370:7334", "2001:db8::8a2e:370:7334"),
    ])
    func parsesIPSpellings(_ text: String, _ canonical: String) {
        #expect(IPAddress(text)?.description == canonical)
    }

    @Test(arguments: ["256.0.0.1", "1.2.3.4.5", "0x", "example.com", "1.2.3.", "::1::2", "12345::", "1:2:3:4:5:6:7:8:9", "09.1.1.1", ""])
    func refusesNonAddresses(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func embeddedIPv4() {
        #expect(IPAddress("::ffff:169.254.169.254")?.embeddedV4 == IPAddress("169.254.169.254")?.embeddedV4)
        #expect(IPAddress("64:ff9b::7f00:1")?.embeddedV4 == 0x7F00_0001)
        #expect(IPAddress("2001:db8::1")?.embeddedV4 == nil)
        #expect(IPRange("10.0.0.0/8")!.contains(IPAddress("::ffff:10.2.3.4")!))
        #expect(!IPRange("10.0.0.0/8")!.contains(IPAddress("11.0.0.1")!))
        #expect(IPRange("fe80::/10")!.contains(IPAddress("febf::1")!))
        #expect(!IPRange("fe80::/10")!.contains(IPAddress("fec0::1")!))
        #expect(IPRange("10.0.0.0/33") == nil)
    }

    static let rules: NetworkRules = {
        let allow = ["github.com", "*.githubusercontent.com", "*", "10.1.2.3", "db.internal", "localhost"]
        let deny = ["evil.example", "*.tracker.example", "203.0.113.0/24"]
        return NetworkRules(
            allow: allow.map { try! HostRule($0) }, deny: deny.map { try! HostRule($0) }, allowPorts: [443, 80])
    }()

    enum Expect: Sendable { case allowed, denied, unlisted }

    @Test(arguments: [
        ("github.com", 443, Expect.allowed),
        ("GITHUB.COM.", 443, .allowed),
        ("raw.githubusercontent.com", 443, .allowed),
        ("githubusercontent.com", 443, .allowed),  // through "*"
        ("github.com", 22, .denied),
        ("github.com", 70000, .denied),
        ("evil.example", 443, .denied),
        ("a.tracker.example", 443, .denied),
        ("203.0.113.9", 443, .denied),
        ("127.0.0.1", 443, .denied),
        ("0x7f.1", 443, .denied),
        ("2130706433", 443, .denied),
        ("[::1]", 443, .denied),
        ("::ffff:127.0.0.1", 443, .denied),
        ("169.254.169.254", 80, .denied),
        ("::ffff:169.254.169.254", 80, .denied),
        ("0xa9fea9fe", 80, .denied),
        ("metadata.google.internal", 80, .denied),
        ("192.168.1.1", 443, .denied),
        ("172.20.0.1", 443, .denied),
        ("100.64.0.1", 443, .denied),
        ("fd00::1", 443, .denied),
        ("fe80::1%eth0", 443, .denied),
        ("0.0.0.0", 443, .denied),
        ("printer.local", 443, .denied),
        ("a.localhost", 443, .denied),
        ("10.1.2.3", 443, .allowed),  // explicitly listed
        ("10.1.2.4", 443, .denied),
        ("db.internal", 443, .allowed),  // explicitly listed
        ("localhost", 443, .allowed),  // explicitly listed
        ("8.8.8.8", 443, .allowed),  // public, through "*"
        ("1.2.3.4.5", 443, .denied),  // numeric but not an IP
        ("bad host!", 443, .denied),
        ("", 443, .denied),
    ])
    func evaluate(_ host: String, _ port: Int, _ expected: Expect) {
        let outcome = Self.rules.evaluate(host: host, port: port)
        switch (outcome, expected) {
        case (.allowed, .allowed), (.denied, .denied), (.unlisted, .unlisted): break
        default: Issue.record("\(host):\(port) → \(outcome), expected \(expected)")
        }
    }

    @Test func unlistedWithoutWildcard() {
        let rules = NetworkRules(allow: [try! HostRule("github.com")])
        guard case .unlisted(let reason) = rules.evaluate(host: "example.org", port: nil) else {
            Issue.record("expected unlisted")
            return
        }
        #expect(reason.contains("example.org"))
        guard case .denied(nil, let why) = rules.evaluate(host: "169.254.169.254", port: nil) else {
            Issue.record("metadata must be denied even when unlisted")
            return
        }
        #expect(why.contains("metadata"))
        #expect(rules.evaluate(host: "github.com", port: 8443) == .allowed(rule: "github.com"))
    }

    @Test func denyReasonNamesRuleAndSpelling() {
        guard case .denied(let rule, let reason) = Self.rules.evaluate(host: "0xCB.0.113.1", port: 443) else {
            Issue.record("expected a deny")
            return
        }
        #expect(rule == "203.0.113.0/24")
        #expect(reason.contains("203.0.113.1"))
    }

    @Test(arguments: ["https://github.com", "github.com/path", "gith*b.com", "*", "*.", "a..b", "999.1.1.1.1", ""])
    func hostRuleSyntax(_ text: String) {
        let ok = (try? HostRule(text)) != nil
        #expect(ok == (text == "*"))
    }
}
