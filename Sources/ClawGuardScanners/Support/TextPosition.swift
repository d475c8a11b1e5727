/// Maps byte offsets in a UTF-8 buffer to 1-based line and column (column counted in Unicode scalars).
/// Offsets should be asked for in non-decreasing order, which makes a whole scan linear.
package struct LineLocator {
    private var line = 1
    private var lineStart = 0
    private var cursor = 0

    package init() {}

    package mutating func position(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        if offset < cursor { line = 1; lineStart = 0; cursor = 0 }
        let end = min(offset, bytes.count)
        while cursor < end {
            if bytes[cursor] == 0x0A { line += 1; lineStart = cursor + 1 }
            cursor += 1
        }
        var column = 1
        var i = lineStart
        while i < end {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return (line, column)
    }
}
