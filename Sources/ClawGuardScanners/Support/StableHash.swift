/// FNV-1a: a small, stable (process- and platform-independent) hash used to correlate redacted values and to
/// fingerprint baseline entries. Not a cryptographic commitment: only a few hex digits are ever shown.
package enum StableHash {
    package static func fnv1a64<C: Sequence>(_ bytes: C, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64
    where C.Element == UInt8 {
        var h = seed
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    /// Lowercase hex of `value`, left-padded to `digits`.
    package static func hex(_ value: UInt64, digits: Int) -> String {
        let s = String(value, radix: 16)
        let padded = String(repeating: "0", count: max(0, 16 - s.count)) + s
        return String(padded.prefix(digits))
    }

    /// The 4-hex-digit correlation tag used in `[REDACTED:kind:hash4]`.
    package static func short(_ text: some StringProtocol) -> String {
        hex(fnv1a64(text.utf8), digits: 4)
    }
}
