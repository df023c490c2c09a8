import Glibc

/// The port's lifecycle: opening on first use, reopening with back-off after a loss, and cycling
/// after repeated bad replies.
extension Link {
    /// The open port, opening it if needed. While a reopen back-off runs, fails at once with the
    /// reason the port is unavailable, unless `now` (an explicit ``open()``) asks to try anyway.
    func openConnection(now: Bool = false) throws(LinkError) -> Connection {
        if let connection { return connection }
        let name = configuration.port.description
        if !now, !cycling, let notBefore = reopenNotBefore, ContinuousClock.now < notBefore {
            if everOpened { throw .deviceUnavailable(name, reason: lossReason) }
            throw lastOpenError ?? .deviceUnavailable(name, reason: lossReason)
        }
        let wasCycling = cycling
        cycling = false
        do {
            let opened = try openPort()
            if everOpened {
                statistics.reopens += 1
                if !wasCycling {
                    statistics.recoveries += 1
                    logger.notice("port is back", metadata: ["port": "\(name)"])
                }
            }
            everOpened = true
            opened.capture = capture
            connection = opened
            reopenNotBefore = nil
            lastOpenError = nil
            reopenBackoff = configuration.reopenBackoffMin
            return opened
        } catch {
            reopenNotBefore = .now + reopenBackoff
            reopenBackoff = min(reopenBackoff * 2, configuration.reopenBackoffMax)
            lastOpenError = error
            guard everOpened, !now else { throw error }
            lossReason = "reopening failed: \(error)"
            throw .deviceUnavailable(name, reason: lossReason)
        }
    }

    func dropConnection(because reason: String) {
        logger.warning("port lost; reopening with back-off", metadata: ["port": "\(configuration.port)", "reason": "\(reason)"])
        connection = nil
        lossReason = reason
        reopenNotBefore = .now + reopenBackoff
        reopenBackoff = min(reopenBackoff * 2, configuration.reopenBackoffMax)
    }

    /// Opens the port, also right after ``cyclePort()`` or another link of this process closed
    /// it (a bus scan verifies each candidate on a fresh link).
    ///
    /// The lock can outlive a close for a moment: a child process that another thread is starting
    /// holds a copy of every descriptor between fork and exec. So a lock conflict is retried for
    /// up to 200 ms before it counts.
    private func openPort() throws(LinkError) -> Connection {
        var attempt = 0
        while true {
            do {
                return try Connection.open(configuration.port, baudRate: configuration.baudRate, timeout: configuration.readTimeout)
            } catch {
                guard case .portInUse = error, attempt < 20 else { throw error }
                attempt += 1
                Self.pause(.milliseconds(10))
            }
        }
    }

    /// Closes the port after repeated bad replies, the classic cure for an adapter stuck in a bad
    /// state; the next attempt reopens it at once.
    ///
    /// The reopen waits for that attempt because the failed one still holds the descriptor (and
    /// its lock) until it ends.
    func cyclePort() {
        logger.info("repeated bad replies; reopening the port", metadata: ["port": "\(configuration.port)"])
        connection = nil
        cycling = true
    }
}
