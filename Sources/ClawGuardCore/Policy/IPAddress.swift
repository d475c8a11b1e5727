/// An IPv4 or IPv6 address, parsed from every spelling a resolver or `inet_aton(3)` accepts:
/// `127.0.0.1`, `127.1`, `0x7f.1`, `0177.0.0.1`, `2130706433`, `[::1]`, `::ffff:127.0.0.1`, `fe80::1%eth0`.
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    case v4(UInt32)
    case v6(UInt64, UInt64)

    /// Parses a literal; nil when `text` is not an IP address.
    public init?(_ text: String) {
        var s = Substring(text)
        if s.hasPrefix("["), s.hasSuffix("]") { s = s.dropFirst().dropLast() }
        if let percent = s.firstIndex(of: "%"), s.contains(":") { s = s[..<percent] }
        if s.contains(":") {
            guard let (hi, lo) = IPAddress.parseV6(s) else { return nil }
            self = .v6(hi, lo)
        } else {
            guard let v = IPAddress.parseV4(s) else { return nil }
            self = .v4(v)
        }
    }

    /// The IPv4 address this one carries: itself, or the one embedded in an IPv4-mapped (`::ffff:a.b.c.d`),
    /// IPv4-compatible (`::a.b.c.d`) or NAT64 (`64:ff9b::a.b.c.d`) IPv6 address.
    public var embeddedV4: UInt32? {
        switch self {
        case .v4(let v): return v
        case .v6(let hi, let lo):
            let low32 = UInt32(truncatingIfNeeded: lo)
            if hi == 0 && (lo >> 32) == 0xFFFF { return low32 }
            if hi == 0 && (lo >> 32) == 0 && low32 > 1 { return low32 }
            if hi == 0x0064_FF9B_0000_0000 && (lo >> 32) == 0 { return low32 }
            return nil
        }
    }

    public var description: String {
        switch self {
        case .v4(let v):
            return "\(v >> 24).\((v >> 16) & 255).\((v >> 8) & 255).\(v & 255)"
        case .v6(let hi, let lo):
            let groups = (0..<8).map { i -> UInt16 in
                let word = i < 4 ? hi : lo
                return UInt16(truncatingIfNeeded: word >> UInt64(48 - 16 * (i % 4)))
            }
            // Longest run of zero groups becomes "::".
            var bestStart = -1, bestLen = 0, i = 0
            while i < 8 {
                if groups[i] == 0 {
                    var j = i
                    while j < 8, groups[j] == 0 { j += 1 }
                    if j - i > bestLen, j - i > 1 { bestStart = i; bestLen = j - i }
                    i = j
                } else { i += 1 }
            }
            func hex(_ range: Range<Int>) -> String {
                range.map { String(groups[$0], radix: 16) }.joined(separator: ":")
            }
            if bestStart < 0 { return hex(0..<8) }
            return hex(0..<bestStart) + "::" + hex((bestStart + bestLen)..<8)
        }
    }

    /// `inet_aton(3)` semantics: 1–4 parts, each decimal, octal (leading 0) or hex (0x); the last part fills
    /// the remaining bytes.
    static func parseV4(_ s: Substring) -> UInt32? {
        var values: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var count = 0
        var current: UInt64 = 0
        var digits = 0
        var radix: UInt64 = 10
        var sawX = false
        func store(_ v: UInt64) -> Bool {
            switch count {
            case 0: values.0 = v
            case 1: values.1 = v
            case 2: values.2 = v
            case 3: values.3 = v
            default: return false
            }
            count += 1
            return true
        }
        var partStart = true
        var leadingZero = false
        for c in s.utf8 {
            if c == 0x2E {
                guard digits > 0 || (leadingZero && !sawX), store(current) else { return nil }
                current = 0; digits = 0; radix = 10; sawX = false; partStart = true; leadingZero = false
                continue
            }
            if partStart {
                partStart = false
                if c == 0x30 { leadingZero = true; radix = 8; continue }
            }
            if leadingZero && digits == 0 && !sawX && (c == 0x78 || c == 0x58) { sawX = true; radix = 16; continue }
            let d: UInt64
            switch c {
            case 0x30...0x39: d = UInt64(c - 0x30)
            case 0x61...0x66: d = UInt64(c - 0x61 + 10)
            case 0x41...0x46: d = UInt64(c - 0x41 + 10)
            default: return nil
            }
            guard d < radix else { return nil }
            current = current * radix + d
            digits += 1
            guard current <= 0xFFFF_FFFF, digits <= 32 else { return nil }
        }
        if partStart { return nil }  // empty input or trailing dot
        guard digits > 0 || (leadingZero && !sawX), store(current) else { return nil }
        let parts = [values.0, values.1, values.2, values.3]
        var result: UInt64 = 0
        for index in 0..<count {
            let v = parts[index]
            if index < count - 1 {
                guard v < 256 else { return nil }
                result |= v << UInt64(8 * (3 - index))
            } else {
                guard v < (UInt64(1) << UInt64(8 * (4 - index))) else { return nil }
                result |= v
            }
        }
        return UInt32(result)
    }

    static func parseV6(_ s: Substring) -> (UInt64, UInt64)? {
        var groups: [UInt16] = []
        var tailGroups: [UInt16] = []
        var halves: [String] = []
        var rest = s
        while let r = rest.firstRange(of: "::") {
            halves.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        halves.append(String(rest))
        guard halves.count <= 2 else { return nil }
        func parseGroups(_ text: String, into out: inout [UInt16], allowV4Tail: Bool) -> Bool {
            if text.isEmpty { return true }
            let items = text.split(separator: ":", omittingEmptySubsequences: false)
            for (index, item) in items.enumerated() {
                if allowV4Tail, index == items.count - 1, item.contains(".") {
                    let dotted = item.split(separator: ".", omittingEmptySubsequences: false)
                    guard dotted.count == 4 else { return false }
                    var v: UInt32 = 0
                    for d in dotted {
                        guard !d.isEmpty, d.count <= 3, let n = UInt32(d, radix: 10), n < 256 else { return false }
                        v = v << 8 | n
                    }
                    out.append(UInt16(v >> 16))
                    out.append(UInt16(v & 0xFFFF))
                    continue
                }
                guard !item.isEmpty, item.count <= 4, let g = UInt16(item, radix: 16) else { return false }
                out.append(g)
            }
            return true
        }
        if halves.count == 2 {
            guard parseGroups(halves[0], into: &groups, allowV4Tail: false),
                parseGroups(halves[1], into: &tailGroups, allowV4Tail: true),
                groups.count + tailGroups.count <= 7
            else { return nil }
            groups += Array(repeating: 0, count: 8 - groups.count - tailGroups.count) + tailGroups
        } else {
            guard parseGroups(halves[0], into: &groups, allowV4Tail: true), groups.count == 8 else { return nil }
        }
        var hi: UInt64 = 0
        var lo: UInt64 = 0
        for i in 0..<4 { hi = hi << 16 | UInt64(groups[i]) }
        for i in 4..<8 { lo = lo << 16 | UInt64(groups[i]) }
        return (hi, lo)
    }
}

/// An address range in CIDR notation (`10.0.0.0/8`, `fe80::/10`); a bare address is a /32 or /128.
public struct IPRange: Sendable, Hashable, CustomStringConvertible {
    public let address: IPAddress
    public let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(parts[0])) else { return nil }
        let maxLength: Int
        if case .v4 = address { maxLength = 32 } else { maxLength = 128 }
        if parts.count == 2 {
            guard let n = Int(parts[1]), (0...maxLength).contains(n) else { return nil }
            prefixLength = n
        } else {
            prefixLength = maxLength
        }
        self.address = address
    }

    /// True if `ip` lies in the range (IPv4 ranges also match IPv4-mapped/compatible/NAT64 IPv6 addresses).
    public func contains(_ ip: IPAddress) -> Bool {
        switch address {
        case .v4(let base):
            guard let v = ip.embeddedV4 else { return false }
            if prefixLength == 0 { return true }
            let mask: UInt32 = prefixLength == 32 ? .max : ~(UInt32.max >> UInt32(prefixLength))
            return v & mask == base & mask
        case .v6(let bhi, let blo):
            guard case .v6(let hi, let lo) = ip else { return false }
            if prefixLength <= 64 {
                let mask: UInt64 = prefixLength == 0 ? 0 : ~(UInt64.max >> UInt64(prefixLength))
                return hi & mask == bhi & mask
            }
            let n = prefixLength - 64
            let mask: UInt64 = n == 64 ? .max : ~(UInt64.max >> UInt64(n))
            return hi == bhi && lo & mask == blo & mask
        }
    }

    public var description: String { "\(address)/\(prefixLength)" }
}
