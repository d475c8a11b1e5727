/// Why part of a text looks like a prompt injection.
public struct InjectionReason: Sendable, Hashable, Codable {
    /// Signal id (`override-instructions`, `role-token`, `hidden-tag-characters`, `exfiltration-markup`, …).
    public var signal: String
    /// What matched (the phrase, token or a description); never more than a short excerpt.
    public var detail: String
    /// This reason's contribution (0…1) before signals are combined.
    public var weight: Double
    /// Byte range in the UTF-8 input.
    public var byteRange: Range<Int>
}

/// The result of analysing one text.
public struct InjectionReport: Sendable, Hashable, Codable {
    /// 0…1: signals combined as independent evidence, 1 − Π(1 − wᵢ) over signals.
    public var score: Double
    /// Every reason, in input order.
    public var reasons: [InjectionReason]

    /// Whether the score reaches `threshold` (the policy's `injection.threshold`, default 0.55).
    public func isInjection(threshold: Double = ScannerConfiguration.Injection().threshold) -> Bool {
        score >= threshold
    }

    /// Distinct signals that fired, strongest first.
    public var signals: [String] {
        var best: [String: Double] = [:]
        for r in reasons { best[r.signal] = max(best[r.signal] ?? 0, r.weight) }
        return best.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
    }
}

/// Scores text (tool outputs, web pages, files, e-mails, MCP results, prompts) for prompt-injection signals:
/// instruction-override phrasing in many languages, chat-template and role tokens, text addressed to the AI,
/// hidden Unicode (tag characters, zero-width and bidi controls, mixed-script homoglyphs), encoded payloads
/// (base64, hex, ROT13) that decode to instructions, exfiltration through markdown/HTML images and links, and fake
/// tool-call markup. Linear in the input; phrases are found with one Aho–Corasick pass.
public struct InjectionScanner: Sendable {
    public static let standard = InjectionScanner()

    public let configuration: ScannerConfiguration.Injection
    private let automaton: AhoCorasick
    private let phraseOwner: [(group: Int, phrase: String)]
    private let rot13Automaton: AhoCorasick
    private let rot13Owner: [(group: Int, phrase: String)]

    public init(configuration: ScannerConfiguration.Injection = .init()) {
        self.configuration = configuration
        var phrases: [String] = []
        var owner: [(Int, String)] = []
        var rPhrases: [String] = []
        var rOwner: [(Int, String)] = []
        for (g, group) in InjectionSignals.phraseSignals.enumerated() {
            for p in group.phrases {
                // Drop the newline the normaliser puts in front of every text.
                let trimmed = String(decoding: Normalized(p).bytes.dropFirst(), as: UTF8.self)
                phrases.append(String(trimmed)); owner.append((g, p))
                if ["override-instructions", "role-token", "jailbreak", "system-impersonation"].contains(group.signal),
                    p.utf8.allSatisfy({ $0 < 0x80 }) {
                    rPhrases.append(String(trimmed)); rOwner.append((g, p))
                }
            }
        }
        automaton = AhoCorasick(phrases)
        phraseOwner = owner
        rot13Automaton = AhoCorasick(rPhrases)
        rot13Owner = rOwner
    }

    /// Analyses `text` and returns the score and its reasons.
    public func analyze(_ text: String) -> InjectionReport {
        var input = text
        return input.withUTF8 { analyze(bytes: $0, depth: 0) }
    }

    func analyze(bytes: UnsafeBufferPointer<UInt8>, depth: Int) -> InjectionReport {
        var reasons: [InjectionReason] = []
        if bytes.count > configuration.maxBytes {
            // Analyse the head and the tail (where injections are placed) rather than refuse; report the cut.
            let half = configuration.maxBytes / 2
            let head = analyze(bytes: UnsafeBufferPointer(rebasing: bytes[0..<half]), depth: depth)
            let tailStart = bytes.count - half
            var tail = analyze(bytes: UnsafeBufferPointer(rebasing: bytes[tailStart...]), depth: depth)
            for i in tail.reasons.indices {
                let r = tail.reasons[i].byteRange
                tail.reasons[i].byteRange = (r.lowerBound + tailStart)..<(r.upperBound + tailStart)
            }
            reasons = head.reasons + tail.reasons
            reasons.append(InjectionReason(signal: "input-truncated", detail: "analysed first and last \(half) bytes",
                                           weight: 0, byteRange: half..<tailStart))
            return InjectionReport(score: Self.combine(reasons), reasons: reasons)
        }
        let norm = Normalized(bytes)
        reasons += phraseReasons(norm)
        reasons += proximityReasons(norm)
        reasons += norm.hiddenReasons
        if !norm.tagText.isEmpty, depth == 0 {
            let hidden = Array(norm.tagText.utf8)
            let inner = hidden.withUnsafeBufferPointer { analyze(bytes: $0, depth: depth + 1) }
            if inner.score > 0, let first = norm.tagRange {
                reasons.append(InjectionReason(signal: "hidden-instructions", detail: "tag characters decode to: "
                    + Self.excerpt(norm.tagText), weight: max(0.6, inner.score), byteRange: first))
            }
        }
        reasons += markupReasons(bytes)
        if depth == 0 {
            reasons += encodedReasons(bytes, norm)
        }
        reasons.sort { $0.byteRange.lowerBound < $1.byteRange.lowerBound }
        return InjectionReport(score: Self.combine(reasons), reasons: reasons)
    }

    // MARK: - Scoring

    static func combine(_ reasons: [InjectionReason]) -> Double {
        var bySignal: [String: [Double]] = [:]
        for r in reasons where r.weight > 0 { bySignal[r.signal, default: []].append(r.weight) }
        var keep = 1.0
        for (signal, weights) in bySignal {
            let cap = InjectionSignals.phraseSignals.first { $0.signal == signal }?.cap ?? 0.95
            var miss = 1.0
            for w in weights.sorted(by: >).prefix(4) { miss *= 1 - w }
            keep *= 1 - min(cap, max(weights.max() ?? 0, 1 - miss))
        }
        return min(1, max(0, 1 - keep))
    }

    private static func excerpt(_ s: String) -> String {
        s.count <= 80 ? s : String(s.prefix(77)) + "…"
    }

    // MARK: - Phrases

    private func phraseReasons(_ norm: Normalized) -> [InjectionReason] {
        var reasons: [InjectionReason] = []
        var seen = Set<Int>()
        norm.bytes.withUnsafeBufferPointer { buf in
            automaton.forEachHit(in: buf) { hit in
                let (g, phrase) = phraseOwner[hit.keyword]
                let start = hit.end - automaton.keywordLengths[hit.keyword]
                // Phrases must start and end on word boundaries (ASCII words only).
                if !norm.isBoundary(at: start, in: buf) || !norm.isBoundaryEnd(at: hit.end, in: buf) { return }
                guard seen.insert(hit.keyword).inserted || seen.count < 64 else { return }
                let group = InjectionSignals.phraseSignals[g]
                reasons.append(InjectionReason(signal: group.signal, detail: phrase.trimmingNewlines(),
                                               weight: group.weight, byteRange: norm.originalRange(start..<hit.end)))
            }
        }
        return reasons
    }

    // MARK: - Proximity (override verb … qualifier … directive noun)

    private func proximityReasons(_ norm: Normalized) -> [InjectionReason] {
        let words = norm.words()
        let classes = words.map { InjectionSignals.lexicon[$0.text] ?? [] }
        var reasons: [InjectionReason] = []
        var i = 0
        while i < words.count {
            if classes[i].contains(.overrideVerb) {
                var qualified = false
                var j = i + 1
                while j < min(words.count, i + 6) {
                    let w = words[j].text
                    if classes[j].contains(.priorQualifier) { qualified = true }
                    if let noun = Self.directiveNoun(w), qualified || (j == i + 1 && ["instructions", "instruction",
                        "directives", "programming", "guidelines"].contains(noun)) {
                        let range = norm.originalRange(words[i].range.lowerBound..<words[j].range.upperBound)
                        reasons.append(InjectionReason(signal: "override-instructions",
                                                       detail: "\(words[i].text) … \(w)", weight: 0.7,
                                                       byteRange: range))
                        i = j
                        break
                    }
                    j += 1
                }
            }
            i += 1
        }
        return reasons + exfiltrationIntent(norm, words, classes)
    }

    /// A sentence that asks to move sensitive data (verb + object) to an outside destination (URL or address).
    private func exfiltrationIntent(_ norm: Normalized, _ words: [(text: String, range: Range<Int>)],
                                    _ classes: [InjectionSignals.WordClass]) -> [InjectionReason] {
        var reasons: [InjectionReason] = []
        var sentenceStart = 0
        var verb: Int? = nil, object = false
        let b = norm.bytes
        var w = 0
        var i = 0
        while i <= b.count {
            let end = i == b.count || b[i] == UInt8(ascii: ".") && (i + 1 == b.count || b[i + 1] == 0x20 || b[i + 1] == 0x0A)
                || b[i] == 0x0A || b[i] == UInt8(ascii: "!") || b[i] == UInt8(ascii: "?")
            if end {
                while w < words.count, words[w].range.lowerBound < i {
                    if classes[w].contains(.transferVerb) { verb = verb ?? w }
                    if classes[w].contains(.sensitiveObject) { object = true }
                    w += 1
                }
                if let v = verb, object {
                    let sentence = b[sentenceStart..<i]
                    let hasDestination = sentence.contains(UInt8(ascii: "@")) || Self.contains(sentence, "http")
                        || Self.contains(sentence, "www.")
                    if hasDestination {
                        reasons.append(InjectionReason(signal: "exfiltration-request",
                            detail: "asks to \(words[v].text) sensitive data to an outside address", weight: 0.35,
                            byteRange: norm.originalRange(sentenceStart..<i)))
                    }
                }
                verb = nil; object = false
                sentenceStart = i + 1
            }
            i += 1
        }
        return reasons
    }

    private static func contains(_ hay: ArraySlice<UInt8>, _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard hay.count >= n.count else { return false }
        var i = hay.startIndex
        while i + n.count <= hay.endIndex {
            if hay[i] == n[0], hay[i..<i + n.count].elementsEqual(n) { return true }
            i += 1
        }
        return false
    }

    /// Matches directive nouns, tolerating one typo in long words ("iunstructions"): deliberate misspelling is a
    /// known evasion of keyword filters.
    static func directiveNoun(_ w: String) -> String? {
        let word = Array(w.utf8)
        guard word.count >= 4, word.count <= 14 else { return nil }
        for (noun, bytes) in directiveNounBytes {
            if word == bytes { return noun }
            if bytes.count >= 8, abs(word.count - bytes.count) <= 1, word[0] == bytes[0],
                editDistanceAtMostOne(word, bytes) {
                return noun
            }
        }
        return nil
    }

    private static let directiveNounBytes: [(String, [UInt8])] = InjectionSignals.directiveNouns.map { ($0, Array($0.utf8)) }

    static func editDistanceAtMostOne(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        if a == b { return true }
        var i = 0, j = 0, edits = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] { i += 1; j += 1; continue }
            edits += 1
            if edits > 1 { return false }
            if a.count > b.count { i += 1 } else if a.count < b.count { j += 1 } else { i += 1; j += 1 }
        }
        edits += (a.count - i) + (b.count - j)
        return edits <= 1
    }

    // MARK: - Markup: exfiltration through images and links

    private func markupReasons(_ b: UnsafeBufferPointer<UInt8>) -> [InjectionReason] {
        var reasons: [InjectionReason] = []
        let n = b.count
        var i = 0
        while i + 8 < n {
            // Markdown: ](http…)  — image if preceded by "![" on the same line.
            if b[i] == UInt8(ascii: "]"), b[i + 1] == UInt8(ascii: "("), Self.startsHTTP(b, i + 2) {
                var k = i
                var isImage = false
                while k > 0, i - k < 300, b[k - 1] != 0x0A {
                    k -= 1
                    if b[k] == UInt8(ascii: "["), k > 0, b[k - 1] == UInt8(ascii: "!") { isImage = true; break }
                    if b[k] == UInt8(ascii: "[") { break }
                }
                var e = i + 2
                while e < n, e - i < 4096, b[e] != UInt8(ascii: ")"), b[e] != 0x20, b[e] != 0x0A { e += 1 }
                if let r = urlReason(b, (i + 2)..<e, isImage: isImage) { reasons.append(r) }
                i = e
                continue
            }
            // HTML: <img … src="http…">
            if b[i] == UInt8(ascii: "<"), b[i + 1] | 0x20 == UInt8(ascii: "i"), b[i + 2] | 0x20 == UInt8(ascii: "m"),
                b[i + 3] | 0x20 == UInt8(ascii: "g") {
                var k = i + 4
                while k + 5 < n, k - i < 300, b[k] != UInt8(ascii: ">") {
                    if b[k] | 0x20 == UInt8(ascii: "s"), b[k + 1] | 0x20 == UInt8(ascii: "r"),
                        b[k + 2] | 0x20 == UInt8(ascii: "c"), b[k + 3] == UInt8(ascii: "=") {
                        var s = k + 4
                        if s < n, b[s] == UInt8(ascii: "\"") || b[s] == UInt8(ascii: "'") { s += 1 }
                        var e = s
                        while e < n, e - s < 4096, b[e] != UInt8(ascii: "\""), b[e] != UInt8(ascii: "'"),
                            b[e] != 0x20, b[e] != UInt8(ascii: ">") { e += 1 }
                        if Self.startsHTTP(b, s), let r = urlReason(b, s..<e, isImage: true) { reasons.append(r) }
                        k = e
                        break
                    }
                    k += 1
                }
                i = k
                continue
            }
            i += 1
        }
        return reasons
    }

    private static func startsHTTP(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        i + 7 < b.count && b[i] | 0x20 == UInt8(ascii: "h") && b[i + 1] | 0x20 == UInt8(ascii: "t")
            && b[i + 2] | 0x20 == UInt8(ascii: "t") && b[i + 3] | 0x20 == UInt8(ascii: "p")
    }

    /// Images load automatically, so any image URL carrying a query value is a channel; template placeholders
    /// (`{secret}`, `$DATA`, `[DATA]`, `<…>`) ask the model to fill data in: that is an exfiltration attempt.
    private func urlReason(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, isImage: Bool) -> InjectionReason? {
        let url = String(decoding: b[r], as: UTF8.self)
        let lower = url.lowercased()
        let placeholders = ["{", "}", "$", "[", "<", "%7b", "%24", "data_here", "insert", "your_", "secret",
                            "password", "api_key", "apikey", "token=", "conversation", "history", "chat="]
        let hasPlaceholder = placeholders.contains { lower.contains($0) }
        var longestValue = 0
        if let q = url.firstIndex(of: "?") {
            for pair in url[url.index(after: q)...].split(separator: "&") {
                let value = pair.split(separator: "=", maxSplits: 1).dropFirst().first ?? ""
                longestValue = max(longestValue, value.count)
            }
        }
        let path = lower.split(separator: "/").dropFirst(2)
        let longSegment = path.contains { $0.count >= 48 && !$0.contains(".") }
        if hasPlaceholder {
            return InjectionReason(signal: "exfiltration-markup", detail: (isImage ? "image" : "link")
                + " URL with a data placeholder: " + Self.excerpt(url), weight: isImage ? 0.8 : 0.6, byteRange: r)
        }
        if isImage, longestValue >= 16 || longSegment {
            return InjectionReason(signal: "exfiltration-markup", detail: "image URL carrying data: "
                + Self.excerpt(url), weight: 0.5, byteRange: r)
        }
        return nil
    }

    // MARK: - Encoded payloads

    private static let base64Chars = ByteSet(classBody: Array("A-Za-z0-9+/=_\\-".utf8))

    private func encodedReasons(_ b: UnsafeBufferPointer<UInt8>, _ norm: Normalized) -> [InjectionReason] {
        var reasons: [InjectionReason] = []
        var decodedBudget = 1 << 20
        var i = 0
        let n = b.count
        while i < n {
            guard Self.base64Chars.contains(b[i]) else { i += 1; continue }
            var e = i
            var hexOnly = true
            while e < n, Self.base64Chars.contains(b[e]) {
                if !ByteSet.hex.contains(b[e]) { hexOnly = false }
                e += 1
            }
            let len = e - i
            if len >= 24, decodedBudget > 0 {
                let run = b[i..<e]
                let decoded: [UInt8]? = hexOnly && len % 2 == 0 ? Self.hexDecode(run) : Base64.decode(run, urlSafe: true)
                if let d = decoded, d.count >= 12, Self.mostlyText(d) {
                    decodedBudget -= d.count
                    let inner = d.withUnsafeBufferPointer { analyze(bytes: $0, depth: 1) }
                    if inner.score >= 0.3 {
                        let text = String(decoding: d, as: UTF8.self)
                        reasons.append(InjectionReason(signal: "encoded-payload",
                            detail: (hexOnly ? "hex" : "base64") + " decodes to: " + Self.excerpt(text),
                            weight: max(0.65, inner.score), byteRange: i..<e))
                    }
                }
            }
            i = e
        }
        // ROT13 of the whole (normalised) text, looking only for the strongest phrases.
        let rotated = norm.bytes.map(Self.rot13)
        rotated.withUnsafeBufferPointer { buf in
            rot13Automaton.forEachHit(in: buf) { hit in
                let start = hit.end - rot13Automaton.keywordLengths[hit.keyword]
                if !norm.isBoundary(at: start, in: buf) { return }
                reasons.append(InjectionReason(signal: "encoded-payload",
                    detail: "ROT13 decodes to: " + rot13Owner[hit.keyword].phrase, weight: 0.7,
                    byteRange: norm.originalRange(start..<hit.end)))
            }
        }
        return reasons
    }

    static func rot13(_ c: UInt8) -> UInt8 {
        switch c {
        case 97...122: return (c - 97 + 13) % 26 + 97
        case 65...90: return (c - 65 + 13) % 26 + 65
        default: return c
        }
    }

    private static func hexDecode(_ s: Slice<UnsafeBufferPointer<UInt8>>) -> [UInt8]? {
        func v(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            case 65...70: return c - 55
            default: return nil
            }
        }
        var out: [UInt8] = []
        var it = s.makeIterator()
        while let a = it.next(), let bb = it.next() {
            guard let x = v(a), let y = v(bb) else { return nil }
            out.append(x << 4 | y)
        }
        return out
    }

    private static func mostlyText(_ d: [UInt8]) -> Bool {
        var printable = 0, letters = 0, spaces = 0
        for c in d {
            if (c >= 0x20 && c < 0x7F) || c == 0x0A || c == 0x09 { printable += 1 }
            if (c | 0x20) >= 97 && (c | 0x20) <= 122 { letters += 1 }
            if c == 0x20 { spaces += 1 }
        }
        return printable * 10 >= d.count * 9 && letters * 2 >= d.count && spaces >= 1
    }
}

extension String {
    fileprivate func trimmingNewlines() -> String {
        String(self.drop { $0 == "\n" })
    }
}
