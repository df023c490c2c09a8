import CMosquitto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure reported by libmosquitto or by the broker, saying which operation failed, why,
/// and what to do about it.
///
/// Match on the code with `catch let error where error.code == .noConnection`, or with the
/// pattern operator: `case MosquittoError.Code.noConnection = error`.
public struct MosquittoError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A libmosquitto result code (`MOSQ_ERR_*`).
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The numeric `MOSQ_ERR_*` value.
        public let rawValue: Int

        /// Creates a code from its numeric `MOSQ_ERR_*` value.
        public init(rawValue: Int) { self.rawValue = rawValue }

        init(_ cValue: Int32) { self.rawValue = Int(cValue) }

        /// `MOSQ_ERR_SUCCESS` (never thrown).
        static let success = Code(MOSQ_ERR_SUCCESS.rawValue)
        /// `MOSQ_ERR_NOMEM`.
        public static let outOfMemory = Code(MOSQ_ERR_NOMEM.rawValue)
        /// `MOSQ_ERR_PROTOCOL`: a protocol error, or an MQTT 5 broker refused the connection.
        public static let protocolError = Code(MOSQ_ERR_PROTOCOL.rawValue)
        /// `MOSQ_ERR_INVAL`: an argument or option was invalid.
        public static let invalidArgument = Code(MOSQ_ERR_INVAL.rawValue)
        /// `MOSQ_ERR_NO_CONN`: the client is not connected to a broker.
        public static let noConnection = Code(MOSQ_ERR_NO_CONN.rawValue)
        /// `MOSQ_ERR_CONN_REFUSED`: the broker refused the connection (see ``MosquittoError/reasonCode``).
        public static let connectionRefused = Code(MOSQ_ERR_CONN_REFUSED.rawValue)
        /// `MOSQ_ERR_CONN_LOST`: the connection to the broker was lost.
        public static let connectionLost = Code(MOSQ_ERR_CONN_LOST.rawValue)
        /// `MOSQ_ERR_TLS`: a TLS error.
        public static let tls = Code(MOSQ_ERR_TLS.rawValue)
        /// `MOSQ_ERR_PAYLOAD_SIZE`: the payload is too large.
        public static let payloadTooLarge = Code(MOSQ_ERR_PAYLOAD_SIZE.rawValue)
        /// `MOSQ_ERR_NOT_SUPPORTED`: the feature is not available in this libmosquitto build.
        public static let notSupported = Code(MOSQ_ERR_NOT_SUPPORTED.rawValue)
        /// `MOSQ_ERR_AUTH`: authentication failed.
        public static let authentication = Code(MOSQ_ERR_AUTH.rawValue)
        /// `MOSQ_ERR_ACL_DENIED`: the broker's access control list denied the operation.
        public static let accessDenied = Code(MOSQ_ERR_ACL_DENIED.rawValue)
        /// `MOSQ_ERR_ERRNO`: a system call failed (see ``MosquittoError/systemError``).
        public static let systemError = Code(MOSQ_ERR_ERRNO.rawValue)
        /// `MOSQ_ERR_EAI`: the broker's host name could not be resolved.
        public static let lookup = Code(MOSQ_ERR_EAI.rawValue)
        /// `MOSQ_ERR_KEEPALIVE`: the broker did not answer within the keep-alive interval.
        public static let keepalive = Code(MOSQ_ERR_KEEPALIVE.rawValue)
        /// `MOSQ_ERR_MALFORMED_UTF8`: a topic or string is not valid UTF-8.
        public static let malformedUTF8 = Code(MOSQ_ERR_MALFORMED_UTF8.rawValue)
        /// `MOSQ_ERR_QOS_NOT_SUPPORTED`: the broker does not support the requested QoS.
        public static let qosNotSupported = Code(MOSQ_ERR_QOS_NOT_SUPPORTED.rawValue)
        /// `MOSQ_ERR_OVERSIZE_PACKET`: the packet exceeds the broker's maximum packet size.
        public static let oversizePacket = Code(MOSQ_ERR_OVERSIZE_PACKET.rawValue)

        /// The text of the code. Wraps `mosquitto_strerror`.
        public var description: String {
            mosquitto_strerror(Int32(rawValue)).map { String(cString: $0) } ?? "error \(rawValue)"
        }
    }

    /// What libmosquitto reported.
    public let code: Code
    /// What was being done, e.g. `publish to "aurora/bridge/state"`.
    public let operation: String
    /// The broker's reason code, when the broker refused a connection or closed it.
    public let reasonCode: ReasonCode?
    /// The `errno` value (with its `strerror` text), when ``code`` is ``Code/systemError``.
    public let systemError: SystemError?

    /// An operating-system error number and its text, captured right after the failing call.
    public struct SystemError: Hashable, Sendable, CustomStringConvertible {
        /// The `errno` value.
        public let number: Int
        /// `strerror(number)`.
        public let description: String

        init(number: Int32) {
            self.number = Int(number)
            self.description = String(cString: strerror(number))
        }
    }

    /// Creates an error; `systemError` should be captured immediately after the failing call.
    public init(code: Code, operation: String, reasonCode: ReasonCode? = nil, systemError: SystemError? = nil) {
        self.code = code
        self.operation = operation
        self.reasonCode = reasonCode
        self.systemError = systemError
    }

    /// Builds an error from a libmosquitto result, reading `errno` for `MOSQ_ERR_ERRNO`.
    /// Call it right after the C function returns, before anything can overwrite `errno`.
    static func fromResult(_ result: Int32, operation: String) -> MosquittoError {
        let code = Code(result)
        let system = code == .systemError ? SystemError(number: errno) : nil
        return MosquittoError(code: code, operation: operation, systemError: system)
    }

    /// Throws unless `result` is `MOSQ_ERR_SUCCESS`.
    static func check(_ result: Int32, _ operation: @autoclosure () -> String) throws(MosquittoError) {
        guard result != MOSQ_ERR_SUCCESS.rawValue else { return }
        throw fromResult(result, operation: operation())
    }

    /// The broker refused the connection with `reason` (a CONNACK return or reason code).
    static func refused(_ reason: ReasonCode) -> MosquittoError {
        MosquittoError(code: .connectionRefused, operation: "connect", reasonCode: reason)
    }

    /// What went wrong, in words.
    public var detail: String {
        if let reasonCode { return "broker said \"\(reasonCode)\" (code \(reasonCode.rawValue))" }
        if let systemError { return "\(code): \(systemError)" }
        return code.description
    }

    /// What to do about it.
    public var advice: String {
        if let reasonCode, reasonCode.isAuthenticationFailure {
            return "check the MQTT username and password (and the broker's password file and ACL)"
        }
        if reasonCode == .sessionTakenOver {
            return "another client connected with the same client id; give every client its own id "
                + "(the client reconnects with growing back-off)"
        }
        switch code {
        case .noConnection:
            return "the client is not connected to the broker; wait for the connected event "
                + "(QoS 0 messages are not queued while offline)"
        case .connectionRefused:
            return "check the client id, protocol version and the broker's log"
        case .connectionLost, .keepalive:
            return "the client reconnects by itself; check the network and the broker if this repeats"
        case .tls:
            return "check the CA file or directory, the client certificate and key, and that the "
                + "broker's certificate names the host you connect to"
        case .lookup:
            return "check the broker host name and DNS"
        case .systemError:
            return "check that the broker is running and reachable at the configured host and port"
        case .invalidArgument:
            return "check the topic (no wildcards when publishing), QoS, client id and options"
        case .malformedUTF8:
            return "topics must be valid UTF-8"
        case .payloadTooLarge, .oversizePacket:
            return "send a smaller payload or raise the broker's message_size_limit"
        case .notSupported:
            return "this libmosquitto build lacks the feature (e.g. TLS or TLS-PSK); use another option"
        case .accessDenied, .authentication:
            return "check the credentials and the broker's ACL"
        case .protocolError:
            return "check the protocol version and the broker's log"
        default:
            return "see the broker's log and the libmosquitto log"
        }
    }

    public var description: String { "\(operation) failed: \(detail); \(advice)" }

}

extension MosquittoError.Code {
    /// Matches an error against a code, so `case MosquittoError.Code.noConnection = error` works.
    public static func ~= (pattern: Self, value: MosquittoError) -> Bool { value.code == pattern }

    /// Matches any error against a code, for `catch MosquittoError.Code.noConnection`.
    public static func ~= (pattern: Self, value: any Error) -> Bool {
        (value as? MosquittoError)?.code == pattern
    }
}
