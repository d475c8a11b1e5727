@testable import ClawGuardScanners

/// Deterministic pseudo-random strings for test tokens (SplitMix64), so fixtures look random but never change.
struct TestRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func string(_ alphabet: String, _ count: Int) -> String {
        let chars = Array(alphabet)
        return String((0..<count).map { _ in chars[Int(next() % UInt64(chars.count))] })
    }
}

enum Alphabet {
    static let b62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    static let b64u = b62 + "_-"
    static let b64 = b62 + "+/"
    static let hex = "0123456789abcdef"
    static let upperNum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    static let lowerNum = "abcdefghijklmnopqrstuvwxyz0123456789"
    static let alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    static let digits = "0123456789"
}

/// The kinds found in `text` by the standard secret scanner.
func secretKinds(_ text: String) -> [String] { SecretScanner.standard.scan(text).map(\.kind) }
