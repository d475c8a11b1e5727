/// Kinds of personal data.
public enum PIIKind: String, Sendable, Hashable, Codable, CaseIterable {
    case email
    case phone
    case paymentCard = "payment-card"
    case iban
    case usSSN = "us-ssn"
    case ipAddress = "ip-address"
}

/// One piece of personal data found in a text.
public struct PIIFinding: Sendable, Hashable, Codable {
    public var kind: PIIKind
    public var line: Int
    public var column: Int
    /// Byte range in the UTF-8 input.
    public var byteRange: Range<Int>
    /// Masked preview (`j…@example.com`, `****1111`).
    public var preview: String
    /// Four hex digits of a stable hash of the value, as used in `[REDACTED:kind:tag]`.
    public var tag: String
}

/// Finds e-mail addresses, phone numbers, payment cards (Luhn), IBANs (mod-97), US SSNs and IP addresses with
/// hand-written, linear matchers. Checksums keep look-alikes (order numbers, version strings) out.
public struct PIIScanner: Sendable {
    public static let standard = PIIScanner()

    /// The kinds to look for.
    public var kinds: Set<PIIKind>

    public init(kinds: Set<PIIKind> = Set(PIIKind.allCases)) { self.kinds = kinds }

    public func scan(_ text: String) -> [PIIFinding] {
        var text = text
        return text.withUTF8 { scan(bytes: $0) }
    }

    public func scan(bytes b: UnsafeBufferPointer<UInt8>) -> [PIIFinding] {
        var raw: [(PIIKind, Range<Int>)] = []
        let n = b.count
        var i = 0
        while i < n {
            let c = b[i]
            if c == UInt8(ascii: "@"), kinds.contains(.email), let r = email(at: i, b) {
                raw.append((.email, r)); i = r.upperBound; continue
            }
            let startsToken = i == 0 || !Self.wordByte(b[i - 1])
            if startsToken {
                if Self.isDigit(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: "(") {
                    if kinds.contains(.usSSN), let r = ssn(at: i, b) { raw.append((.usSSN, r)); i = r.upperBound; continue }
                    if kinds.contains(.ipAddress), let r = ipv4(at: i, b) { raw.append((.ipAddress, r)); i = r.upperBound; continue }
                    if kinds.contains(.paymentCard), let r = card(at: i, b) { raw.append((.paymentCard, r)); i = r.upperBound; continue }
                    if kinds.contains(.phone), let r = phone(at: i, b) { raw.append((.phone, r)); i = r.upperBound; continue }
                }
                if Self.isUpper(c), kinds.contains(.iban), let r = iban(at: i, b) {
                    raw.append((.iban, r)); i = r.upperBound; continue
                }
                if Self.isHex(c) || c == UInt8(ascii: ":"), kinds.contains(.ipAddress), let r = ipv6(at: i, b) {
                    raw.append((.ipAddress, r)); i = r.upperBound; continue
                }
            }
            i += 1
        }
        var locator = LineLocator()
        return raw.map { kind, r in
            let pos = locator.position(of: r.lowerBound, in: b)
            let value = UnsafeBufferPointer(rebasing: b[r])
            return PIIFinding(kind: kind, line: pos.line, column: pos.column, byteRange: r,
                              preview: Self.preview(kind, value),
                              tag: StableHash.hex(StableHash.digest(value), digits: 4))
        }
    }

    // MARK: - Byte classes

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    @inline(__always) static func isUpper(_ c: UInt8) -> Bool { c >= 65 && c <= 90 }
    @inline(__always) static func isHex(_ c: UInt8) -> Bool { ByteSet.hex.contains(c) }
    @inline(__always) static func wordByte(_ c: UInt8) -> Bool { ByteSet.alnum.contains(c) || c == UInt8(ascii: "_") }

    private static let localPart = ByteSet(classBody: Array("A-Za-z0-9._%+\\-".utf8))
    private static let domainPart = ByteSet(classBody: Array("A-Za-z0-9.\\-".utf8))

    // MARK: - Matchers (each bounded; none backtracks over more than its own window)

    private func email(at at: Int, _ b: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var s = at
        while s > 0, at - s < 64, Self.localPart.contains(b[s - 1]) { s -= 1 }
        while s < at, b[s] == UInt8(ascii: ".") { s += 1 }
        guard s < at else { return nil }
        var e = at + 1
        var lastDot = -1
        while e < b.count, e - at < 255, Self.domainPart.contains(b[e]) {
            if b[e] == UInt8(ascii: ".") { lastDot = e }
            e += 1
        }
        while e > at + 1, b[e - 1] == UInt8(ascii: ".") || b[e - 1] == UInt8(ascii: "-") { e -= 1 }
        if lastDot >= e { lastDot = -1; for k in (at + 1)..<e where b[k] == UInt8(ascii: ".") { lastDot = k } }
        guard lastDot > at + 1, e - lastDot - 1 >= 2 else { return nil }
        for k in (lastDot + 1)..<e where !(b[k] | 0x20 >= 97 && b[k] | 0x20 <= 122) { return nil }
        return s..<e
    }

    /// ddd-dd-dddd, area not 000/666/9xx, group not 00, serial not 0000.
    private func ssn(at i: Int, _ b: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard i + 11 <= b.count else { return nil }
        let shape = "ddd-dd-dddd".utf8
        for (k, s) in shape.enumerated() {
            let c = b[i + k]
            if s == UInt8(ascii: "d") ? !Self.isDigit(c) : c != UInt8(ascii: "-") { return nil }
        }
        if i + 11 < b.count, Self.isDigit(b[i + 11]) || b[i + 11] == UInt8(ascii: "-") { return nil }
        let area = Int(b[i] - 48) * 100 + Int(b[i + 1] - 48) * 10 + Int(b[i + 2] - 48)
        let group = Int(b[i + 4] - 48) * 10 + Int(b[i + 5] - 48)
        let serial = (i + 7..<i + 11).reduce(0) { $0 * 10 + Int(b[$1] - 48) }
        guard area != 0, area != 666, area < 900, group != 0, serial != 0 else { return nil }
        return i..<(i + 11)
    }

    private func ipv4(at i: Int, _ b: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var p = i
        for octet in 0..<4 {
            var v = 0, d = 0
            while p < b.count, d < 4, Self.isDigit(b[p]) { v = v * 10 + Int(b[p] - 48); p += 1; d += 1 }
            guard d >= 1, d <= 3, v <= 255 else { return nil }
            if d > 1, b[p - d] == UInt8(ascii: "0") { return nil }
            if octet < 3 {
                guard p < b.count, b[p] == UInt8(ascii: ".") else { return nil }
                p += 1
            }
        }
        if p < b.count, Self.isDigit(b[p]) || (b[p] == UInt8(ascii: ".") && p + 1 < b.count && Self.isDigit(b[p + 1])) {
            return nil
        }
        // Version strings ("v1.2.3.4", "version 1.2.3.4") are not addresses.
        if i >= 1, b[i - 1] == UInt8(ascii: "v") || b[i - 1] == UInt8(ascii: "V") { return nil }
        return i..<p
    }

    private func ipv6(at i: Int, _ b: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var p = i
        var groups = 0, colons = 0, double = false, run = 0
        while p < b.count, p - i < 45 {
            let c = b[p]
            if Self.isHex(c) {
                run += 1
                if run > 4 { return nil }
            } else if c == UInt8(ascii: ":") {
                if run > 0 { groups += 1 }
                if p + 1 < b.count, b[p + 1] == UInt8(ascii: ":") {
                    if double { return nil }
                    double = true
                    colons += 2; p += 2; run = 0
                    continue
                }
                colons += 1; run = 0
            } else { break }
            p += 1
        }
        if run > 0 { groups += 1 }
        while p > i, b[p - 1] == UInt8(ascii: ":"), !(p - 2 >= i && b[p - 2] == UInt8(ascii: ":")) { p -= 1; colons -= 1 }
        if p < b.count, Self.wordByte(b[p]) { return nil }
        guard colons >= 2, groups <= 8, double ? (groups >= 2 && p - i >= 6) : groups == 8 else { return nil }
        // Times like 12:30:45 have three groups and no "::"; require hex letters or 8 groups or "::".
        return i..<p
    }

    /// 13–19 digits, optionally in groups separated by single spaces or dashes; known IIN ranges; Luhn.
    private func card(at i: Int, _ b: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var digits: [UInt8] = []
        var p = i
        var sep: UInt8? = nil
        var lastDigitEnd = i
        while p < b.count, digits.count < 19 {
            let c = b[p]
            if Self.isDigit(c) { digits.append(c - 48); p += 1; lastDigitEnd = p; continue }
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "-") {
                if sep == nil { sep = c } else if sep != c { break }
                if p + 1 < b.count, Self.isDigit(b[p + 1]) { p += 1; continue }
            }
            break
        }
        if lastDigitEnd < b.count, Self.isDigit(b[lastDigitEnd]) { return nil }
        guard digits.count >= 13, digits.count <= 19 else { return nil }
        guard Self.knownIIN(digits), Self.luhn(digits) else { return nil }
        if Set(digits).count < 2 { return nil }
        return i..<lastDigitEnd
    }

    static func luhn(_ digits: [UInt8]) -> Bool {
        var sum = 0
        for (k, d) in digits.reversed().enumerated() {
            var v = Int(d)
            if k % 2 == 1 { v *= 2; if v > 9 { v -= 9 } }
            sum += v
        }
        return sum % 10 == 0
    }

    /// Visa 4, Mastercard 51–55 / 2221–2720, Amex 34/37, Discover 6011/65/644–649, JCB 3528–3589, Diners 36/38/300–305,
    /// UnionPay 62, Maestro 50/56–58/63/67.
    static func knownIIN(_ d: [UInt8]) -> Bool {
        let two = Int(d[0]) * 10 + Int(d[1])
        let four = two * 100 + Int(d[2]) * 10 + Int(d[3])
        switch d[0] {
        case 4: return [13, 16, 19].contains(d.count)
        case 5: return (51...55).contains(two) && d.count == 16 || [50, 56, 57, 58].contains(two)
        case 2: return (2221...2720).contains(four) && d.count == 16
        case 3:
            if two == 34 || two == 37 { return d.count == 15 }
            if (3528...3589).contains(four) { return d.count >= 16 }
            return (two == 36 || two == 38 || (300...305).contains(four / 10)) && d.count >= 14
        case 6: return four == 6011 || two == 65 || (644...649).contains(four / 10) || two == 62 || two == 63 || two == 67
        default: return false
        }
    }

    /// IBAN lengths by country (ISO 13616 registry).
    static let ibanLengths: [String: Int] = [
        "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "BY": 28,
        "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
        "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
        "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20,
        "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15,
        "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19,
        "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    ]

    private func iban(at i: Int, _ b: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard i + 15 <= b.count, Self.isUpper(b[i + 1]), Self.isDigit(b[i + 2]), Self.isDigit(b[i + 3]) else {
            return nil
        }
        let country = String(decoding: b[i..<i + 2], as: UTF8.self)
        guard let length = Self.ibanLengths[country] else { return nil }
        var chars: [UInt8] = []
        var p = i
        var end = i
        while p < b.count, chars.count < length {
            let c = b[p]
            if Self.isDigit(c) || Self.isUpper(c) { chars.append(c); p += 1; end = p; continue }
            if c == UInt8(ascii: " "), chars.count % 4 == 0, p + 1 < b.count, ByteSet.alnum.contains(b[p + 1]) {
                p += 1; continue
            }
            break
        }
        guard chars.count == length else { return nil }
        if end < b.count, ByteSet.alnum.contains(b[end]) { return nil }
        // mod-97 over the rearranged string (letters as 10…35).
        let rearranged = Array(chars[4...]) + Array(chars[0..<4])
        var rem = 0
        for c in rearranged {
            if Self.isDigit(c) { rem = (rem * 10 + Int(c - 48)) % 97 }
            else { rem = (rem * 100 + Int(c - 55)) % 97 }
        }
        return rem == 1 ? i..<end : nil
    }

    private func phone(at i: Int, _ b: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        // International: "+" then 8–15 digits with single separators. National: NANP grouping only,
        // (ddd) ddd-dddd, ddd-ddd-dddd, ddd.ddd.dddd, ddd ddd dddd, optionally led by "1".
        var p = i
        var groups: [Int] = []
        var current = 0
        var plus = false
        var parens = false
        if b[p] == UInt8(ascii: "+") { plus = true; p += 1 }
        var end = p
        while p < b.count, p - i < 24 {
            let c = b[p]
            if Self.isDigit(c) { current += 1; p += 1; end = p; continue }
            if c == UInt8(ascii: "(") && !parens && current == 0 { parens = true; p += 1; continue }
            if c == UInt8(ascii: ")") && parens && current > 0 {
                groups.append(current); current = 0; p += 1
                if p < b.count, b[p] == 0x20 { p += 1 }
                continue
            }
            if (c == UInt8(ascii: " ") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")), current > 0,
                p + 1 < b.count, Self.isDigit(b[p + 1]) || b[p + 1] == UInt8(ascii: "(") {
                groups.append(current); current = 0; p += 1; continue
            }
            break
        }
        if current > 0 { groups.append(current) }
        if end < b.count, ByteSet.alnum.contains(b[end]) || b[end] == UInt8(ascii: "-") { return nil }
        let digits = groups.reduce(0, +)
        if plus { return (8...15).contains(digits) ? i..<end : nil }
        var g = groups
        if g.first == 1, b[i] == UInt8(ascii: "1") { g.removeFirst() }
        guard g == [3, 3, 4] else { return nil }
        // Area code and exchange cannot start with 0 or 1.
        let text = Array(b[i..<end]).filter { Self.isDigit($0) }
        let area = text.count == 11 ? text[1] : text[0]
        let exchange = text.count == 11 ? text[4] : text[3]
        guard area >= 50, exchange >= 50 else { return nil }
        return i..<end
    }

    static func preview(_ kind: PIIKind, _ v: UnsafeBufferPointer<UInt8>) -> String {
        let s = String(decoding: v, as: UTF8.self)
        switch kind {
        case .email:
            if let at = s.firstIndex(of: "@") { return String(s[s.startIndex]) + "…" + String(s[at...]) }
            return "…"
        case .paymentCard, .phone, .iban, .usSSN:
            let digits = s.filter { $0.isNumber || $0.isLetter }
            return "****" + String(digits.suffix(kind == .usSSN ? 0 : 4))
        case .ipAddress:
            return s.contains(":") ? String(s.prefix(4)) + "…" : String(s.split(separator: ".").first ?? "") + ".*.*.*"
        }
    }
}
