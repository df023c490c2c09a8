import AuroraProtocol

@testable import AuroraBridge

/// The exact identity of a value, its kind and bits, as text: `==` cannot check a round trip
/// that must keep NaN payloads and tell −0 from +0.
func exact(_ value: FieldValue) -> String {
    switch value {
    case .integer(let integer): "i:\(integer)"
    case .float(let float): "f:" + String(float.bitPattern, radix: 16)
    case .double(let double): "d:" + String(double.bitPattern, radix: 16)
    }
}

/// Every part of a field summary, values by ``exact(_:)``.
func exact(_ field: FieldSummary) -> String {
    "\(field.name) \(field.extractor) \(field.count) sum \(exact(field.sum)) min \(exact(field.min)) "
        + "max \(exact(field.max)) avg \(exact(field.avg)) last \(exact(field.last))"
}

/// Every part of a record, one line for the record then one per field, values by ``exact(_:)``.
func exact(_ record: ArchiveRecord) -> [String] {
    ["\(record.inverter) \(record.dateTime) \(record.interval) \(record.count)"] + record.fields.map { exact($0) }
}
