import ClawGuardCore

/// Parsing of the command line's value syntax (durations, sizes, bind specs). Pure.
public enum SandboxOptionParsing {
    /// `30s`, `5m`, `1h`, `500ms`, or a bare number of seconds.
    public static func duration(_ text: String) throws(ClawGuardError) -> Duration {
        let units: [(suffix: String, milliseconds: Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        let t = text.lowercased()
        for unit in units where t.hasSuffix(unit.suffix) {
            let number = t.dropLast(unit.suffix.count)
            if unit.suffix == "s", number.hasSuffix("m") { continue }  // "ms" handled first
            guard let value = Int64(number), value > 0, value <= Int64.max / unit.milliseconds else { break }
            return .milliseconds(value * unit.milliseconds)
        }
        if let seconds = Int64(t), seconds > 0, seconds < Int64.max / 1000 { return .seconds(seconds) }
        throw ClawGuardError(.invalidInput, "invalid duration '\(text)': use a positive number with s, m, h or ms (30s, 5m)")
    }

    /// `100m`, `2g`, `512k`, `1024` (bytes); binary units.
    public static func size(_ text: String) throws(ClawGuardError) -> UInt64 {
        let t = text.lowercased()
        let units: [(String, UInt64)] = [("k", 1 << 10), ("m", 1 << 20), ("g", 1 << 30), ("t", 1 << 40)]
        var number = Substring(t)
        var multiplier: UInt64 = 1
        if number.hasSuffix("b") { number = number.dropLast() }
        for (suffix, m) in units where number.hasSuffix(suffix) {
            number = number.dropLast()
            multiplier = m
        }
        guard let value = UInt64(number), value > 0, value <= UInt64.max / multiplier else {
            throw ClawGuardError(.invalidInput, "invalid size '\(text)': use a positive number with k, m or g (100m, 2g)")
        }
        return value * multiplier
    }

    /// `SRC` or `SRC:DST` (DST absolute inside the sandbox).
    public static func bind(_ text: String, readOnly: Bool) throws(ClawGuardError) -> MountSpec {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let source = parts.first, !source.isEmpty else { throw ClawGuardError(.invalidInput, "empty bind '\(text)'") }
        let target = parts.count == 2 ? parts[1] : PathUtilities.absolute(source)
        guard target.hasPrefix("/") else { throw ClawGuardError(.invalidInput, "bind target '\(target)' must be absolute") }
        return MountSpec(source: PathUtilities.absolute(source), target: PathUtilities.normalize(target), readOnly: readOnly)
    }
}
