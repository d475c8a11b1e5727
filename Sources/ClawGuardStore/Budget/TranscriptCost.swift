import ClawGuardCore
import Foundation

/// Reads a Claude Code transcript (JSONL) incrementally and prices the `usage` of its assistant messages.
///
/// Claude Code writes one line per content block of an assistant message, each repeating the message's `id` and
/// `usage`; a message is counted once (the first line with a new `message.id`). Only complete lines are consumed:
/// a partial last line (the agent is still writing) is left for the next read. A line that is not JSON is
/// skipped and reported, so a corrupted transcript cannot silently zero the spend.
public struct TranscriptCostReader: Sendable {
    public var prices: PriceTable
    /// The most bytes one read consumes; the rest is read next time.
    public var maxBytesPerRead: Int

    public init(prices: PriceTable, maxBytesPerRead: Int = 64 << 20) {
        self.prices = prices
        self.maxBytesPerRead = maxBytesPerRead
    }

    /// Where a previous read stopped.
    public struct Cursor: Sendable, Hashable {
        public var offset: Int64
        public var lastMessageID: String?
        public init(offset: Int64 = 0, lastMessageID: String? = nil) {
            self.offset = offset
            self.lastMessageID = lastMessageID
        }
    }

    /// What one read found.
    public struct Delta: Sendable, Hashable {
        public var usd: Double
        public var messages: Int
        public var cursor: Cursor
        /// Models that were not in the price table (charged at the most expensive price).
        public var unknownModels: [String]
        /// Lines that could not be read as JSON.
        public var malformedLines: Int
    }

    /// Reads the bytes of `path` after `cursor` and prices them.
    /// - Throws: `ClawGuardError(.io)` when the file cannot be opened or read.
    public func read(path: String, from cursor: Cursor) throws(ClawGuardError) -> Delta {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            // A session's first tool call can come before the agent has written its transcript: nothing spent yet.
            // A transcript that disappears after it was read, or exists but cannot be opened, is unknown spend.
            if cursor.offset == 0 && !FileManager.default.fileExists(atPath: path) {
                return Delta(usd: 0, messages: 0, cursor: cursor, unknownModels: [], malformedLines: 0)
            }
            throw ClawGuardError(.io, "cannot open transcript \(path) to compute spend")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            let size = try handle.seekToEnd()
            var start = UInt64(max(cursor.offset, 0))
            // A transcript that shrank was replaced: start over.
            if start > size { start = 0 }
            try handle.seek(toOffset: start)
            data = try handle.read(upToCount: maxBytesPerRead) ?? Data()
            var delta = priceLines(data, previous: start == 0 ? nil : cursor.lastMessageID)
            delta.cursor.offset += Int64(start)
            if delta.cursor.offset == Int64(start) && data.count >= maxBytesPerRead {
                // One line longer than a whole read: skip it as malformed rather than stall forever.
                delta.cursor.offset += Int64(data.count)
                delta.malformedLines += 1
            }
            return delta
        } catch let error as ClawGuardError {
            throw error
        } catch {
            throw ClawGuardError(.io, "cannot read transcript \(path): \(error)", underlying: error)
        }
    }

    /// Prices the complete lines of `data` (bytes after the last newline are not consumed); `previous` is the
    /// message id counted last. The returned cursor's offset is relative to the start of `data`.
    public func priceLines(_ data: Data, previous: String?) -> Delta {
        var usd = 0.0
        var messages = 0
        var unknown: [String] = []
        var malformed = 0
        var lastID = previous
        var consumed = 0
        let newline = UInt8(ascii: "\n")
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var lineStart = 0
            for index in 0..<raw.count where raw[index] == newline {
                let line = Data(raw[lineStart..<index])
                lineStart = index + 1
                consumed = lineStart
                guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) else { continue }
                guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                    malformed += 1
                    continue
                }
                guard object["type"] as? String == "assistant", let message = object["message"] as? [String: Any],
                    let usage = message["usage"] as? [String: Any]
                else { continue }
                let id = message["id"] as? String ?? (object["requestId"] as? String)
                if let id, id == lastID { continue }
                lastID = id ?? lastID
                let model = message["model"] as? String ?? "unknown"
                // `<synthetic>` messages are written by Claude Code itself and cost nothing.
                if model == "<synthetic>" { continue }
                let (cost, known) = prices.cost(of: Self.usage(usage), model: model)
                usd += cost
                messages += 1
                if !known && !unknown.contains(model) { unknown.append(model) }
            }
        }
        return Delta(usd: usd, messages: messages, cursor: Cursor(offset: Int64(consumed), lastMessageID: lastID),
                     unknownModels: unknown, malformedLines: malformed)
    }

    /// The token counts of a `usage` object; `cache_creation` (5m / 1h split) wins over the plain total.
    static func usage(_ usage: [String: Any]) -> TokenUsage {
        func int(_ value: Any?) -> Int { max((value as? NSNumber)?.intValue ?? 0, 0) }
        var tokens = TokenUsage(input: int(usage["input_tokens"]), output: int(usage["output_tokens"]),
                                cacheRead: int(usage["cache_read_input_tokens"]))
        let total = int(usage["cache_creation_input_tokens"])
        if let split = usage["cache_creation"] as? [String: Any] {
            tokens.cacheWrite5m = int(split["ephemeral_5m_input_tokens"])
            tokens.cacheWrite1h = int(split["ephemeral_1h_input_tokens"])
            // Anything in the total not explained by the split is charged as a 5-minute write.
            tokens.cacheWrite5m += max(total - tokens.cacheWrite5m - tokens.cacheWrite1h, 0)
        } else {
            tokens.cacheWrite5m = total
        }
        return tokens
    }
}
