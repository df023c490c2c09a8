import Testing

/// The archive's end-to-end tests: real mosquitto, a simulated inverter on a real
/// pseudo-terminal, the bridge in this process or as `aurora-bridge run`.
///
/// They run one at a time: several rely on timing margins (a poll finishing within the archive
/// grace period, a restart within an interval) that two of them at once on a busy machine
/// would eat into.
@Suite(.serialized) struct ArchiveEndToEnd {}
