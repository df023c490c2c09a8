import CMosquitto

/// The level of a libmosquitto log line (`MOSQ_LOG_*`).
public enum MosquittoLogLevel: Sendable, Hashable, Comparable {
    /// `MOSQ_LOG_DEBUG`: every packet sent and received.
    case debug
    /// `MOSQ_LOG_INFO`.
    case info
    /// `MOSQ_LOG_NOTICE`.
    case notice
    /// `MOSQ_LOG_WARNING`.
    case warning
    /// `MOSQ_LOG_ERR`.
    case error

    init(cLevel: Int32) {
        switch cLevel {
        case MOSQ_LOG_ERR: self = .error
        case MOSQ_LOG_WARNING: self = .warning
        case MOSQ_LOG_NOTICE: self = .notice
        case MOSQ_LOG_INFO: self = .info
        default: self = .debug
        }
    }
}
