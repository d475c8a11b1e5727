/// Shannon entropy in bits per byte of a byte slice (0 for empty input).
package func shannonEntropy<C: Collection>(_ bytes: C) -> Double where C.Element == UInt8 {
    var counts = [Int](repeating: 0, count: 256)
    var n = 0
    for b in bytes { counts[Int(b)] += 1; n += 1 }
    guard n > 0 else { return 0 }
    var h = 0.0
    let total = Double(n)
    for c in counts where c > 0 {
        let p = Double(c) / total
        h -= p * log2(p)
    }
    return h
}

/// log2 without Foundation or libm.
@inline(__always)
package func shannonLog2(_ x: Double) -> Double { x.seriesLog2 }

@inline(__always)
private func log2(_ x: Double) -> Double { x.seriesLog2 }

extension Double {
    /// log2 without Foundation: frexp-style split of the exponent, then a series for the mantissa.
    fileprivate var seriesLog2: Double {
        guard self > 0 else { return -.infinity }
        let e = Double(exponent)
        var m = significand  // in [1, 2)
        // log2(m) = ln(m)/ln 2 with ln(m) = 2 atanh((m-1)/(m+1)), series converges fast on [1, 2).
        m = (m - 1) / (m + 1)
        let m2 = m * m
        var term = m
        var sum = 0.0
        var k = 1.0
        for _ in 0..<12 {
            sum += term / k
            term *= m2
            k += 2
        }
        return e + 2 * sum / 0.6931471805599453
    }
}
