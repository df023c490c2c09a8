#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AuroraBridge
import Logging

/// The last warnings and errors the bridge logged, kept in memory for the status page: at most
/// ``capacity``, the oldest dropped first.
///
/// Fill it through a ``RecentProblemsLogHandler`` next to the usual log output (a
/// `MultiplexLogHandler`), so every logger of the process feeds it.
public final class RecentProblems: Sendable {
    /// One logged warning or error.
    public struct Entry: Sendable, Hashable {
        /// When it was logged, in Unix seconds (the host's clock).
        public var time: Double
        /// Its level: warning or worse.
        public var level: Logger.Level
        /// The message with its metadata (`key=value`), at most ``RecentProblems/messageLimit`` characters.
        public var message: String
    }

    /// The longest message kept; longer ones are cut and end with `…`.
    public static let messageLimit = 300

    /// How many entries are kept.
    public let capacity: Int
    private let entries: Locked<[Entry]>

    /// An empty record of at most `capacity` problems.
    public init(capacity: Int = 50) {
        self.capacity = capacity
        entries = Locked([])
    }

    /// The problems kept, newest first.
    public var newestFirst: [Entry] { entries.value.reversed() }

    /// Keeps `message` with its `metadata`, logged at `level` now.
    public func record(_ level: Logger.Level, _ message: String, metadata: Logger.Metadata?) {
        var text = message
        for (key, value) in (metadata ?? [:]).sorted(by: { $0.key < $1.key }) { text += " \(key)=\(value)" }
        if text.count > Self.messageLimit { text = String(text.prefix(Self.messageLimit - 1)) + "…" }
        let entry = Entry(time: Date().timeIntervalSince1970, level: level, message: text)
        entries.withLock { entries in
            entries.append(entry)
            if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
        }
    }
}

/// A swift-log handler that keeps warnings and worse in a ``RecentProblems``; combine it with
/// the usual handler in a `MultiplexLogHandler`.
public struct RecentProblemsLogHandler: LogHandler {
    /// Where the problems go.
    public let problems: RecentProblems
    /// Warning: lower levels are not problems.
    public var logLevel: Logger.Level = .warning
    /// The logger's own metadata, kept with each message.
    public var metadata: Logger.Metadata = [:]

    /// A handler keeping problems in `problems`.
    public init(problems: RecentProblems) {
        self.problems = problems
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        guard event.level >= logLevel else { return }
        problems.record(event.level, event.message.description, metadata: metadata.merging(event.metadata ?? [:]) { $1 })
    }
}
