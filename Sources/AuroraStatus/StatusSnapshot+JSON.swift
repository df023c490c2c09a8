import AuroraBridge
import AuroraProtocol

/// `GET /api/status`: the snapshot as JSON, laid out as docs/status-page.md documents it field
/// by field. Numbers keep their exact text (a reading is the shortest text of the inverter's
/// 32-bit float, as on MQTT); a value that is not known is left out.
extension StatusSnapshot {
    /// The whole document.
    var json: JSONObject {
        var json = JSONObject()
        json.add("time", Int64(time))
        json.add("day", day.text)
        json.add("refreshInterval", FieldValue.double(refreshInterval))
        if let plant { json.add("plant", plant.json(at: time, day: day)) }
        json.add("inverters", inverters.map { $0.json(at: time, day: day) })
        json.add("bridge", bridgeJSON)
        json.add("bus", busJSON)
        json.add("archive", archiveJSON)
        json.add("problems", problems.map(\.json))
        if let events { json.add("events", events.map(\.statusJSON)) }
        return json
    }

    private var bridgeJSON: JSONObject {
        var json = JSONObject()
        json.add("version", BridgeVersion.current)
        json.add("uptime", Int64(uptime.rounded(.down)))
        json.add("broker", broker)
        json.add("connected", connected)
        if let connectionSince { json.add("since", Int64(connectionSince)) }
        json.add("discovery", discovery)
        json.add("topicPrefix", topicPrefix)
        return json
    }

    private var busJSON: JSONObject {
        var json = JSONObject()
        json.add("pollsOk", counters.pollsOK)
        json.add("pollsFailed", counters.pollsFailed)
        json.add("timeouts", link.timeouts)
        json.add("crcErrors", link.crcErrors)
        json.add("realignments", link.realignments)
        if let busUtilization { json.add("busUtilization", busUtilization) }
        return json
    }

    private var archiveJSON: JSONObject {
        var json = JSONObject()
        if let recordsToday { json.add("recordsToday", recordsToday) }
        if let undelivered { json.add("undelivered", undelivered) }
        json.add("degraded", delivery.degraded)
        json.add("queued", delivery.queued)
        return json
    }
}

extension StatusSnapshot.Inverter {
    /// The inverter's (or the plant's) object at `time`, whose local day is `day`.
    func json(at time: Double, day: LocalDay) -> JSONObject {
        var json = JSONObject()
        json.add("name", name)
        if let address { json.add("address", address) }
        if let model { json.add("model", model) }
        if let serialNumber { json.add("serialNumber", serialNumber) }
        if let availability { json.add("availability", availability.rawValue) }
        if let power { json.add("power", power) }
        if let dayEnergy = dayEnergy(on: day) { json.add("dayEnergy", dayEnergy) }
        if let totalEnergy { json.add("totalEnergy", totalEnergy) }
        if let answering = current?["inverters"] { json.add("inverters", answering) }
        if let status {
            json.add("globalState", status.global.description)
            json.add("alarm", status.alarm.text)
        }
        if let lastPacket {
            json.add("lastReading", lastPacket.dateTime)
            json.add("age", Int64(max(time - Double(lastPacket.dateTime), 0).rounded(.down)))
        }
        if let replyTimeout { json.add("replyTimeout", FieldValue.double((replyTimeout * 1000).rounded() / 1000)) }
        return json
    }
}

extension RecentProblems.Entry {
    /// `{"time":…,"level":"warning","message":"…"}`.
    var json: JSONObject {
        var json = JSONObject()
        json.add("time", Int64(time))
        json.add("level", level.rawValue)
        json.add("message", message)
        return json
    }
}

extension StoredEvent {
    /// `{"time":…,"source":"roof","type":"alarm_raised","details":"code 13  …"}`.
    var statusJSON: JSONObject {
        var json = JSONObject()
        json.add("time", dateTime)
        json.add("source", source)
        json.add("type", type)
        json.add("details", detailsText)
        return json
    }
}
