extension ArchiveRecord {
    /// The JSON payload of the `aurora/<inverter>/archive` topic.
    ///
    /// One flat object, keys in this order:
    /// ```
    /// {"dateTime":1700000100,"interval":300,"count":15,
    ///  "gridPower":494.79935,"gridPower_min":480.5,"gridPower_max":501.25,"gridPower_avg":494.79935,
    ///  "dayEnergy":8636,"energy":412}
    /// ```
    /// (on one line, without spaces). `dateTime` is the interval's end, `interval` its length in
    /// seconds and `count` the number of loop packets. Then, per field in the record's order,
    /// `"<field>"` holds the primary value (``FieldSummary/value``); a measure (primary `avg`,
    /// `min` or `max`) is followed by `"<field>_min"`, `"<field>_max"` and `"<field>_avg"`,
    /// a counter (primary `last`, `sum` or `count`) is not. Numbers are the shortest text that
    /// reads back as the same value (an integer counter prints as an integer); a non-finite
    /// value prints as `null`. The inverter is not in the payload: it is in the topic.
    /// - Parameter rename: Maps a canonical field name to its published name (user renames);
    ///   the suffixes are appended to the published name.
    public func payload(rename: (String) -> String = { $0 }) -> String {
        var writer = JSONObject()
        writeHeader(into: &writer)
        writeFields(into: &writer, rename: rename)
        return writer.description
    }

    /// The payload of each `aurora/<inverter>/archive/<field>` topic: the field's published
    /// name and its primary value as plain text (e.g. `494.79935`, `8636`), in field order.
    /// - Parameter rename: Maps a canonical field name to its published name.
    public func fieldPayloads(rename: (String) -> String = { $0 }) -> [(field: String, text: String)] {
        fields.map { (rename($0.name), $0.value.description) }
    }

    /// Writes `dateTime`, `interval` and `count`.
    func writeHeader(into writer: inout JSONObject) {
        writer.add("dateTime", dateTime)
        writer.add("interval", interval)
        writer.add("count", Int64(count))
    }

    /// Writes each field's primary value, and its range for a measure.
    func writeFields(into writer: inout JSONObject, rename: (String) -> String) {
        for field in fields {
            let name = rename(field.name)
            writer.add(name, field.value)
            if field.publishesRange {
                writer.add(name + "_min", field.min)
                writer.add(name + "_max", field.max)
                writer.add(name + "_avg", field.avg)
            }
        }
    }
}
