/// What the archive's delivery window carries: an archive record, or an event of the log.
public enum DeliveryKey: Hashable, Sendable, CustomStringConvertible {
    /// An archive record (several messages).
    case record(ArchiveKey)
    /// An event, by its place in the log (one message).
    case event(Int64)

    public var description: String {
        switch self {
        case .record(let key): key.description
        case .event(let id): "event #\(id)"
        }
    }
}
