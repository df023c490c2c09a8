/// The loop field names of one full poll, in poll order, written out as the tests' independent
/// expectation (the code derives them from the protocol catalogue).
public enum LoopFieldNames {
    /// The 25 measures, the 6 energy counters and the clock.
    public static let fullPoll = [
        "gridVoltage", "gridCurrent", "gridPower", "gridFrequency", "bulkVoltage", "leakdcCurrent",
        "leakCurrent", "string1Power", "string2Power", "inverterTemp", "boosterTemp", "string1Voltage",
        "string1Current", "string2Voltage", "string2Current", "griddcVoltage", "griddcFrequency",
        "isoResistance", "bulkdcVoltage", "gridavgVoltage", "bulkmidVoltage", "peakPower", "dayPeakPower",
        "gridnVoltage", "gridnphVoltage",
        "dayEnergy", "weekEnergy", "monthEnergy", "yearEnergy", "totalEnergy", "partialEnergy",
        "inverterDateTime",
    ]
}
