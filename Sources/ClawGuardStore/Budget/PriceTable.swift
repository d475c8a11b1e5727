/// What one model costs, in US dollars per million tokens.
public struct ModelPrice: Sendable, Hashable, Codable {
    /// Model id prefix this price applies to (`claude-sonnet-4-5` matches `claude-sonnet-4-5-20250929`).
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

/// Prices per model. Lookup is by the longest matching model-id prefix; an unknown model is charged at the most
/// expensive price of every token kind in the table, and flagged.
public struct PriceTable: Sendable, Hashable {
    public var models: [ModelPrice]

    public init(_ models: [ModelPrice]) { self.models = models }

    /// Anthropic's published list prices (USD per million tokens, standard tier) as of late 2025.
    /// Older ids (`claude-3-5-sonnet-…`) and aliases are matched by prefix.
    public static let anthropic = PriceTable([
        ModelPrice("claude-opus-4-5", input: 5, output: 25),
        ModelPrice("claude-opus-4-1", input: 15, output: 75),
        ModelPrice("claude-opus-4", input: 15, output: 75),
        ModelPrice("claude-sonnet-4-5", input: 3, output: 15),
        ModelPrice("claude-sonnet-4", input: 3, output: 15),
        ModelPrice("claude-3-7-sonnet", input: 3, output: 15),
        ModelPrice("claude-3-5-sonnet", input: 3, output: 15),
        ModelPrice("claude-haiku-4-5", input: 1, output: 5),
        ModelPrice("claude-3-5-haiku", input: 0.80, output: 4),
        ModelPrice("claude-3-opus", input: 15, output: 75),
        ModelPrice("claude-3-haiku", input: 0.25, output: 1.25, cacheWrite5m: 0.30, cacheRead: 0.03),
    ])

    /// The price for `model` and whether it was known.
    public func price(for model: String) -> (price: ModelPrice, known: Bool) {
        let match = models.filter { model.hasPrefix($0.modelPrefix) }.max { $0.modelPrefix.count < $1.modelPrefix.count }
        if let match { return (match, true) }
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
