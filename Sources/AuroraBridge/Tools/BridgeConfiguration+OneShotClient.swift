import Mosquitto

extension BridgeConfiguration {
    /// A client for a one-shot command (`archive replay`, `discovery remove`): the bridge's
    /// broker settings under the client id `<client_id>-<suffix>`, without the will (the running
    /// bridge's state is not this command's).
    func oneShotClient(suffix: String) throws(MosquittoError) -> MosquittoClient {
        var settings = mosquittoConfiguration
        settings.clientID = mqtt.clientID + "-" + suffix
        settings.will = nil
        return try MosquittoClient(configuration: settings)
    }
}
