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

    /// MurmurHash3's 64-bit finaliser: spreads every input bit over the output, so a few leading hex digits of
    /// the result change when any byte of the input changes.
    package static func mix(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }

    /// Stable mixed hash of bytes (FNV-1a then the finaliser).
    package static func digest<C: Sequence>(_ bytes: C) -> UInt64 where C.Element == UInt8 { mix(fnv1a64(bytes)) }

    /// Lowercase hex of `value`, left-padded to `digits`.
    package static func hex(_ value: UInt64, digits: Int) -> String {
        let s = String(value, radix: 16)
        let padded = String(repeating: "0", count: max(0, 16 - s.count)) + s
        return String(padded.prefix(digits))
    }

    /// The 4-hex-digit correlation tag used in `[REDACTED:kind:hash4]`.
    package static func short(_ text: some StringProtocol) -> String {
        hex(digest(text.utf8), digits: 4)
    }
}
