/// A case-insensitive (ASCII) Aho–Corasick automaton compiled to a dense DFA over byte classes.
///
/// One pass over the input, O(n + matches), no backtracking. Bytes that occur in no keyword share one class, so
/// the transition table stays small (states × classes) and the inner loop is two array loads per byte.
package struct AhoCorasick: Sendable {
    /// A keyword occurrence: which keyword (index into the compile-time list) and where it ends (exclusive).
    package struct Hit: Sendable, Equatable {
        package var keyword: Int
        package var end: Int
    }

    private let byteClass: [UInt8]     // 256 entries: byte -> class
    private let classCount: Int
    private let delta: [Int32]         // state * classCount + class -> next state
    private let outputStart: [Int32]   // state -> first index into outputs (count = states + 1)
    private let outputs: [Int32]       // keyword indices, grouped by state
    package let keywordLengths: [Int]

    /// - Parameter keywords: the literals to find; matched ASCII-case-insensitively. Empty keywords are ignored.
    package init(_ keywords: [String]) {
        let pats = keywords.map { Array($0.utf8).map(AhoCorasick.fold) }
        keywordLengths = pats.map(\.count)
        // Byte classes: every distinct (folded) keyword byte gets a class; everything else is class 0.
        var cls = [UInt8](repeating: 0, count: 256)
        var next: UInt8 = 1
        var seen = [Bool](repeating: false, count: 256)
        for p in pats { for b in p where !seen[Int(b)] { seen[Int(b)] = true } }
        for b in 0..<256 where seen[b] {
            cls[b] = next
            next = next &+ 1
            precondition(next != 0, "too many distinct keyword bytes")
        }
        for b in 0..<256 { cls[b] = cls[Int(AhoCorasick.fold(UInt8(b)))] }
        byteClass = cls
        let k = Int(next)
        classCount = k

        // Trie, one flat row of `k` entries per state (a row per state as its own array was most of the
        // build time: a hook builds this automaton once per process).
        var goto = [Int32](repeating: -1, count: k)
        var out: [[Int32]] = [[]]
        for (i, p) in pats.enumerated() where !p.isEmpty {
            var s = 0
            for b in p {
                let c = Int(cls[Int(b)])
                if goto[s * k + c] < 0 {
                    let t = out.count
                    goto.append(contentsOf: repeatElement(-1, count: k))
                    out.append([])
                    goto[s * k + c] = Int32(t)
                }
                s = Int(goto[s * k + c])
            }
            out[s].append(Int32(i))
        }
        // BFS for failure links, filling the DFA.
        let n = out.count
        var fail = [Int32](repeating: 0, count: n)
        var table = [Int32](repeating: 0, count: n * k)
        var queue: [Int] = []
        queue.reserveCapacity(n)
        for c in 0..<k {
            let t = goto[c]
            if t >= 0 { table[c] = t; fail[Int(t)] = 0; queue.append(Int(t)) } else { table[c] = 0 }
        }
        var head = 0
        while head < queue.count {
            let s = queue[head]; head += 1
            if !out[Int(fail[s])].isEmpty { out[s].append(contentsOf: out[Int(fail[s])]) }
            let f = Int(fail[s]) * k
            for c in 0..<k {
                let t = goto[s * k + c]
                if t >= 0 {
                    fail[Int(t)] = table[f + c]
                    table[s * k + c] = t
                    queue.append(Int(t))
                } else {
                    table[s * k + c] = table[f + c]
                }
            }
        }
        delta = table
        var starts: [Int32] = [0]
        var flat: [Int32] = []
        for o in out { flat.append(contentsOf: o); starts.append(Int32(flat.count)) }
        outputStart = starts
        outputs = flat
    }

    @inline(__always)
    package static func fold(_ b: UInt8) -> UInt8 { (b >= 65 && b <= 90) ? b | 0x20 : b }

    /// Calls `body` for every keyword occurrence, in order of end position.
    package func forEachHit(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Hit) -> Void) {
        var s = 0
        let k = classCount
        delta.withUnsafeBufferPointer { d in
            byteClass.withUnsafeBufferPointer { cls in
                outputStart.withUnsafeBufferPointer { os in
                    for i in 0..<bytes.count {
                        s = Int(d[s &* k &+ Int(cls[Int(bytes[i])])])
                        let a = Int(os[s]), b = Int(os[s &+ 1])
                        if a != b {
                            for j in a..<b { body(Hit(keyword: Int(outputs[j]), end: i &+ 1)) }
                        }
                    }
                }
            }
        }
    }

    /// All hits (convenience for small inputs and tests).
    package func hits(in bytes: [UInt8]) -> [Hit] {
        var result: [Hit] = []
        bytes.withUnsafeBufferPointer { buf in forEachHit(in: buf) { result.append($0) } }
        return result
    }
}
