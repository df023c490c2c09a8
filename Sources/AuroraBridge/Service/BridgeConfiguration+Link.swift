import AuroraLink

extension BridgeConfiguration {
    /// The serial or TCP link settings of the bus.
    public var linkConfiguration: LinkConfiguration {
        LinkConfiguration(
            port: bus.port,
            baudRate: bus.baudrate,
            readTimeout: bus.readTimeout,
            commandDelay: bus.commandDelay,
            maxTries: bus.maxTries,
            learnsReplyTimeout: bus.learnTimeout
        )
    }
}
