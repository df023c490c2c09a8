import Logging
import Mosquitto

extension CommandResult {
    /// Publishes the result on `topic`, never retained (a result is news, not a state).
    func publish(to output: any MQTTOutput, topic: String, qos: QoS, logger: Logger) {
        do {
            _ = try output.send(topic: topic, text: json.description, qos: qos, retain: false)
        } catch {
            logger.warning("command result not sent", metadata: ["topic": "\(topic)", "error": "\(error)"])
        }
    }
}
