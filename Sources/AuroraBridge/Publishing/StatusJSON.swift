import AuroraLink
import AuroraProtocol

/// The JSON payloads of the `state` and `info` topics.
enum StatusJSON {
    /// `{"global":{"code":6,"text":"Run"},"inverter":{…},"dcdc1":{…},"dcdc2":{…},"alarm":{"code":0,"text":"No alarm"}}`.
    static func state(_ status: InverterStatus) -> JSONObject {
        var json = JSONObject()
        json.add("global", coded(status.global.code, status.global.description))
        json.add("inverter", coded(status.inverter.code, status.inverter.description))
        json.add("dcdc1", coded(status.dcdc1.code, status.dcdc1.description))
        json.add("dcdc2", coded(status.dcdc2.code, status.dcdc2.description))
        var alarm = coded(status.alarm.code, status.alarm.text)
        if let display = status.alarm.displayCode { alarm.add("display", display) }
        json.add("alarm", alarm)
        return json
    }

    /// Part number, serial, firmware, decoded version and manufacture date.
    static func info(_ identity: InverterIdentity, address: Int, configuredModel: String?) -> JSONObject {
        var json = JSONObject()
        json.add("address", address)
        json.add("partNumber", identity.partNumber)
        json.add("serialNumber", identity.serialNumber)
        json.add("firmware", identity.firmware.description)
        json.add("version", identity.version.code)
        json.add("model", identity.version.model)
        json.add("gridStandard", identity.version.gridStandard)
        json.add("transformer", identity.version.transformer)
        json.add("kind", identity.version.kind)
        json.add("manufactureDate", identity.manufactureDate.description)
        if let year = identity.manufactureDate.year, let week = identity.manufactureDate.week {
            json.add("manufactureYear", year)
            json.add("manufactureWeek", week)
        }
        if let configuredModel { json.add("configuredModel", configuredModel) }
        return json
    }

    private static func coded(_ code: UInt8, _ text: String) -> JSONObject {
        var json = JSONObject()
        json.add("code", code)
        json.add("text", text)
        return json
    }
}
