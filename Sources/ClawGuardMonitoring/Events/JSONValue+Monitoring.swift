import ClawGuardCore

extension JSONValue {
    /// The number payload, or nil.
    var monitoringNumber: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The array payload, or nil.
    var monitoringArray: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }
}
