/// Which entries of an inverter's last-four-alarms list (command 86) are new since the list was
/// last read. Pure.
///
/// The list carries no times: it is a queue of the last four alarm codes, oldest first, newest
/// last (0: an empty slot), and a new alarm shifts in at the end. So the new entries are the end
/// of the list that a shift of the previous list does not explain: with `k` new alarms, the
/// previous list without its first `k` codes is the current one without its last `k`. The
/// smallest such `k` is taken (repeated codes can make several fit: fewer new ones are assumed),
/// and empty slots are never alarms. A list that no shift explains (more than four alarms since,
/// or a model that clears the list when it is read) is new as a whole.
public enum AlarmHistoryDiff {
    /// The codes of `current` that are new since `previous`, oldest first; none when there is
    /// no previous list (the first read ever only sets the baseline).
    public static func newCodes(previous: [UInt8]?, current: [UInt8]) -> [UInt8] {
        guard let previous else { return [] }
        let shift = (0...current.count).first { shift in
            Array(previous.dropFirst(shift)) == Array(current.prefix(max(current.count - shift, 0)))
        } ?? current.count
        return current.suffix(shift).filter { $0 != 0 }
    }

    /// The new codes that the polled alarm state did not show: `polled` are the codes raised by
    /// polling since the list was last read, oldest first; each one accounts for one new entry
    /// of its code. What is left came and went between two polls: reported late.
    public static func reportedLate(newCodes: [UInt8], polled: [UInt8]) -> [UInt8] {
        var unexplained = polled
        return newCodes.filter { code in
            guard let index = unexplained.firstIndex(of: code) else { return true }
            unexplained.remove(at: index)
            return false
        }
    }
}
