/// The answer to one command, published (not retained) on the command result topic.
///
/// `{"command":"set_time","inverter":"roof","ok":true,"message":"…","clockErrorBefore":-600,"clockErrorAfter":0}`:
/// the clock errors (inverter clock minus host clock, whole seconds) only where the inverter
/// clock was read.
public struct CommandResult: Sendable, Equatable {
    /// The command: `set_time`, `read`, `republish` or `clock_sync`.
    public var command: String
    /// The inverter it was for; nil for the bridge's own commands.
    public var inverter: String?
    /// Whether it did what it was asked.
    public var ok: Bool
    /// What happened, for people.
    public var message: String
    /// The inverter clock's error before, in seconds, when it was read.
    public var clockErrorBefore: Int?
    /// The inverter clock's error after setting it, in seconds, when it was set.
    public var clockErrorAfter: Int?

    /// A result.
    public init(
        command: String, inverter: String?, ok: Bool, message: String, clockErrorBefore: Int? = nil,
        clockErrorAfter: Int? = nil
    ) {
        self.command = command
        self.inverter = inverter
        self.ok = ok
        self.message = message
        self.clockErrorBefore = clockErrorBefore
        self.clockErrorAfter = clockErrorAfter
    }

    /// The payload.
    public var json: JSONObject {
        var json = JSONObject()
        json.add("command", command)
        if let inverter { json.add("inverter", inverter) }
        json.add("ok", ok)
        json.add("message", message)
        if let clockErrorBefore { json.add("clockErrorBefore", clockErrorBefore) }
        if let clockErrorAfter { json.add("clockErrorAfter", clockErrorAfter) }
        return json
    }
}
