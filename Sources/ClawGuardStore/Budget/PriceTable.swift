/// What one model costs, in US dollars per million tokens.
public struct ModelPrice: Sendable, Hashable, Codable {
    /// Model id this price applies to; it also matches its dated snapshots (`claude-sonnet-4-5-20250929`).
    public var modelPrefix: String
    public var input: Double
    public var output: Double
    /// Writing the prompt cache with the 5-minute lifetime (1.25 × input).
    public var cacheWrite5m: Double
    /// Writing the prompt cache with the 1-hour lifetime (2 × input).
    public var cacheWrite1h: Double
    /// Reading the prompt cache (0.1 × input).
    public var cacheRead: Double

    public init(_ modelPrefix: String, input: Double, output: Double, cacheWrite5m: Double? = nil,
                cacheWrite1h: Double? = nil, cacheRead: Double? = nil) {
        self.modelPrefix = modelPrefix
        self.input = input
        self.output = output
        self.cacheWrite5m = cacheWrite5m ?? input * 1.25
        self.cacheWrite1h = cacheWrite1h ?? input * 2
        self.cacheRead = cacheRead ?? input * 0.1
    }
}

/// Token counts of one assistant message (the `usage` object of the Messages API).
public struct TokenUsage: Sendable, Hashable {
    public var input: Int
    public var output: Int
    public var cacheWrite5m: Int
    public var cacheWrite1h: Int
    public var cacheRead: Int

    public init(input: Int = 0, output: Int = 0, cacheWrite5m: Int = 0, cacheWrite1h: Int = 0, cacheRead: Int = 0) {
        self.input = input
        self.output = output
        self.cacheWrite5m = cacheWrite5m
        self.cacheWrite1h = cacheWrite1h
        self.cacheRead = cacheRead
    }
}

/// Prices per model. Lookup is by model id or dated snapshot of it; an unknown model is charged at the most
/// expensive price of every token kind in the table, and flagged.
public struct PriceTable: Sendable, Hashable {
    public var models: [ModelPrice]

    public init(_ models: [ModelPrice]) { self.models = models }

    /// Anthropic's list prices (USD per million tokens, standard tier, prompts up to 200k tokens), as in the model
    /// catalog of Claude Code 2.1.331 (November 2026). Each id matches itself and its dated snapshots
    /// (`claude-sonnet-4-5-20250929`); anything else is unknown.
    public static let anthropic = PriceTable([
        ModelPrice("claude-3-haiku", input: 0.25, output: 1.25, cacheWrite5m: 0.30, cacheWrite1h: 0.50, cacheRead: 0.03),
        ModelPrice("claude-3-5-haiku", input: 0.80, output: 4, cacheWrite5m: 1, cacheWrite1h: 1.6, cacheRead: 0.08),
        ModelPrice("claude-haiku-4-5", input: 1, output: 5),
        ModelPrice("claude-haiku-5-5", input: 0.10, output: 0.50, cacheWrite5m: 0.125, cacheWrite1h: 0.2, cacheRead: 0.01),
        ModelPrice("claude-3-5-sonnet", input: 3, output: 15),
        ModelPrice("claude-3-7-sonnet", input: 3, output: 15),
        ModelPrice("claude-sonnet-4", input: 3, output: 15),
        ModelPrice("claude-sonnet-4-0", input: 3, output: 15),
        ModelPrice("claude-sonnet-4-5", input: 3, output: 15),
        ModelPrice("claude-sonnet-4-6", input: 3, output: 15),
        ModelPrice("claude-sonnet-5", input: 2, output: 10),
        ModelPrice("claude-sonnet-5-5", input: 2, output: 10, cacheRead: 0.10),
        ModelPrice("claude-3-opus", input: 15, output: 75),
        ModelPrice("claude-opus-4", input: 15, output: 75),
        ModelPrice("claude-opus-4-0", input: 15, output: 75),
        ModelPrice("claude-opus-4-1", input: 15, output: 75),
        ModelPrice("claude-opus-4-5", input: 5, output: 25),
        ModelPrice("claude-opus-4-6", input: 5, output: 25),
        ModelPrice("claude-opus-4-7", input: 5, output: 25),
        ModelPrice("claude-opus-4-8", input: 5, output: 25),
        ModelPrice("claude-opus-5", input: 5, output: 25),
        ModelPrice("claude-opus-5-5", input: 4, output: 20, cacheRead: 0.20),
        ModelPrice("claude-fable-5", input: 10, output: 50),
        ModelPrice("claude-fable-5-1", input: 10, output: 50, cacheRead: 0.25),
        ModelPrice("claude-fable-5-2", input: 8, output: 40, cacheRead: 0.20),
        ModelPrice("claude-mythos-5", input: 10, output: 50),
        ModelPrice("claude-mythos-5-1", input: 10, output: 50, cacheRead: 0.25),
        ModelPrice("claude-mythos-5-2", input: 8, output: 40, cacheRead: 0.20),
    ])

    /// Whether `model` is `id` or one of its dated snapshots (`id-YYYYMMDD`), ignoring a context suffix like `[1m]`.
    static func matches(_ model: String, _ id: String) -> Bool {
        var name = Substring(model)
        if let bracket = name.firstIndex(of: "[") { name = name[..<bracket] }
        if name == id { return true }
        guard name.hasPrefix(id + "-") else { return false }
        let rest = name.dropFirst(id.count + 1)
        return rest.count == 8 && rest.allSatisfy(\.isNumber)
    }

    /// The price for `model` and whether it was known.
    public func price(for model: String) -> (price: ModelPrice, known: Bool) {
        if let match = models.first(where: { Self.matches(model, $0.modelPrefix) }) { return (match, true) }
        return (mostExpensive, false)
    }

    /// The most expensive price of each token kind in the table (what an unknown model is charged).
    public var mostExpensive: ModelPrice {
        ModelPrice(
            "*", input: models.map(\.input).max() ?? 0, output: models.map(\.output).max() ?? 0,
            cacheWrite5m: models.map(\.cacheWrite5m).max() ?? 0, cacheWrite1h: models.map(\.cacheWrite1h).max() ?? 0,
            cacheRead: models.map(\.cacheRead).max() ?? 0)
    }

    /// The cost of `usage` on `model` in USD, and whether the model was known.
    public func cost(of usage: TokenUsage, model: String) -> (usd: Double, known: Bool) {
        let (p, known) = price(for: model)
        let usd = (Double(usage.input) * p.input + Double(usage.output) * p.output
            + Double(usage.cacheWrite5m) * p.cacheWrite5m + Double(usage.cacheWrite1h) * p.cacheWrite1h
            + Double(usage.cacheRead) * p.cacheRead) / 1_000_000
        return (usd, known)
    }
}
