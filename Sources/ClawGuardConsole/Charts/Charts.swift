import Foundation

/// Small inline SVG charts, built with the same escaping builder as the pages (labels are text nodes; colours are
/// presentation attributes, which the CSP allows, not `style`). Colours come from CSS classes where possible.
public enum Charts {
    /// A column chart of an hourly series: one bar per bucket, a `<title>` tooltip per bar, the maximum on the axis.
    /// - Parameters:
    ///   - buckets: the series, oldest first.
    ///   - label: the chart's accessible name.
    ///   - format: how a value is written in tooltips and on the axis.
    ///   - cssClass: the bars' class (`bar-spend`, `bar-deny`, `bar-violation`).
    public static func hourly(_ buckets: [HourBucket], label: String, cssClass: String,
                              format: (Double) -> String = { String(Int($0)) }) -> Node {
        let width = 360.0, height = 90.0, axis = 16.0
        let maximum = max(buckets.map(\.value).max() ?? 0, 0)
        let slot = buckets.isEmpty ? width : width / Double(buckets.count)
        return svg(width: width, height: height + axis, label: label) {
            for (index, bucket) in buckets.enumerated() {
                let barHeight = maximum > 0 ? (bucket.value / maximum) * (height - 4) : 0
                H.el("rect", [
                    .cls(cssClass),
                    Attribute("x", number(Double(index) * slot + 1)), Attribute("y", number(height - barHeight)),
                    Attribute("width", number(max(slot - 2, 1))), Attribute("height", number(max(barHeight, bucket.value > 0 ? 1 : 0))),
                ]) {
                    H.el("title") { "\(AuditTime.hourMinute(bucket.start)) UTC: \(format(bucket.value))" }
                }
            }
            H.el("line", [.cls("axis"), Attribute("x1", "0"), Attribute("y1", number(height)),
                          Attribute("x2", number(width)), Attribute("y2", number(height))])
            if let first = buckets.first {
                H.el("text", [.cls("axis-label"), Attribute("x", "0"), Attribute("y", number(height + axis - 3))]) {
                    AuditTime.hourMinute(first.start)
                }
            }
            H.el("text", [.cls("axis-label"), Attribute("x", number(width)), Attribute("y", number(height + axis - 3)),
                          Attribute("text-anchor", "end")]) { "max \(format(maximum))" }
        }
    }

    /// Horizontal bars of value against a limit: the bar is the value, a mark is the limit; over the limit the
    /// bar takes the `over` class.
    public static func againstLimit(_ rows: [(label: String, value: Double, limit: Double?)], label: String,
                                    format: (Double) -> String) -> Node {
        let width = 360.0, rowHeight = 22.0, labelWidth = 110.0
        let scale = max(rows.map { max($0.value, $0.limit ?? 0) }.max() ?? 0, 0.0001)
        let barSpace = width - labelWidth - 80
        return svg(width: width, height: max(Double(rows.count), 1) * rowHeight, label: label) {
            for (index, row) in rows.enumerated() {
                let y = Double(index) * rowHeight
                let over = row.limit.map { row.value >= $0 } ?? false
                H.el("text", [.cls("axis-label"), Attribute("x", "0"), Attribute("y", number(y + 15))]) {
                    truncate(row.label, 16)
                }
                H.el("rect", [
                    .cls(over ? "bar-over" : "bar-spend"), Attribute("x", number(labelWidth)), Attribute("y", number(y + 4)),
                    Attribute("width", number(max(row.value / scale * barSpace, row.value > 0 ? 1 : 0))),
                    Attribute("height", number(rowHeight - 8)),
                ]) {
                    H.el("title") { "\(row.label): \(format(row.value))" + (row.limit.map { " of \(format($0))" } ?? "") }
                }
                if let limit = row.limit {
                    let x = labelWidth + limit / scale * barSpace
                    H.el("line", [.cls("limit"), Attribute("x1", number(x)), Attribute("y1", number(y + 1)),
                                  Attribute("x2", number(x)), Attribute("y2", number(y + rowHeight - 1))])
                }
                H.el("text", [.cls("axis-label"), Attribute("x", number(width)), Attribute("y", number(y + 15)),
                              Attribute("text-anchor", "end")]) {
                    format(row.value) + (row.limit.map { " / " + format($0) } ?? "")
                }
            }
        }
    }

    /// Stacked horizontal bars per tool: allowed, asked, denied.
    public static func toolUsage(_ usage: [ToolUsage], label: String) -> Node {
        let width = 360.0, rowHeight = 22.0, labelWidth = 110.0
        let scale = Double(max(usage.map(\.total).max() ?? 0, 1))
        let barSpace = width - labelWidth - 50
        return svg(width: width, height: max(Double(usage.count), 1) * rowHeight, label: label) {
            for (index, tool) in usage.enumerated() {
                let y = Double(index) * rowHeight
                H.el("text", [.cls("axis-label"), Attribute("x", "0"), Attribute("y", number(y + 15))]) { truncate(tool.tool, 16) }
                for segment in segments(tool, labelWidth: labelWidth, scale: barSpace / scale) {
                    H.el("rect", [.cls(segment.cssClass), Attribute("x", number(segment.x)), Attribute("y", number(y + 4)),
                                  Attribute("width", number(max(segment.width, 1))), Attribute("height", number(rowHeight - 8))]) {
                        H.el("title") { "\(tool.tool): \(segment.count) \(segment.word)" }
                    }
                }
                H.el("text", [.cls("axis-label"), Attribute("x", number(width)), Attribute("y", number(y + 15)),
                              Attribute("text-anchor", "end")]) { String(tool.total) }
            }
        }
    }

    /// The allowed / asked / denied parts of one tool's bar, left to right.
    static func segments(_ tool: ToolUsage, labelWidth: Double, scale: Double)
        -> [(cssClass: String, count: Int, word: String, x: Double, width: Double)]
    {
        var x = labelWidth
        var result: [(cssClass: String, count: Int, word: String, x: Double, width: Double)] = []
        for (cssClass, count, word) in [("bar-allow", tool.allow, "allowed"), ("bar-ask", tool.ask, "asked"),
                                        ("bar-deny", tool.deny, "denied")] where count > 0 {
            let width = Double(count) * scale
            result.append((cssClass, count, word, x, width))
            x += width
        }
        return result
    }

    static func svg(width: Double, height: Double, label: String, @NodeBuilder _ content: () -> Node) -> Node {
        H.el("svg", [
            Attribute("xmlns", "http://www.w3.org/2000/svg"), Attribute("viewBox", "0 0 \(number(width)) \(number(height))"),
            Attribute("width", number(width)), Attribute("height", number(height)), Attribute("role", "img"),
            Attribute("aria-label", label), .cls("chart"),
        ], content)
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    static func truncate(_ string: String, _ length: Int) -> String {
        string.count <= length ? string : String(string.prefix(length - 1)) + "…"
    }
}
