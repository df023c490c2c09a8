import CMosquitto

extension MosquittoClient {
    /// Routes libmosquitto's callbacks to the ``EventHub`` passed as userdata to `mosquitto_new`.
    ///
    /// The closures capture nothing, so they convert to C function pointers. The v5 variants
    /// are used for every protocol version because they also carry reason codes and flags.
    static func installCallbacks(on pointer: OpaquePointer) {
        mosquitto_connect_v5_callback_set(pointer) { mosq, userdata, code, flags, _ in
            guard let mosq, let userdata else { return }
            EventHub.from(userdata).didConnect(mosq, code: code, flags: flags)
        }
        mosquitto_disconnect_v5_callback_set(pointer) { _, userdata, code, _ in
            guard let userdata else { return }
            EventHub.from(userdata).didDisconnect(code: code)
        }
        mosquitto_publish_v5_callback_set(pointer) { _, userdata, messageID, reasonCode, _ in
            guard let userdata else { return }
            EventHub.from(userdata).didPublish(messageID: messageID, reasonCode: reasonCode)
        }
        mosquitto_message_v5_callback_set(pointer) { _, userdata, message, _ in
            guard let userdata, let message else { return }
            EventHub.from(userdata).didReceive(message)
        }
        mosquitto_subscribe_v5_callback_set(pointer) { _, userdata, messageID, count, granted, _ in
            guard let userdata else { return }
            let buffer = UnsafeBufferPointer(start: granted, count: granted == nil ? 0 : Int(count))
            EventHub.from(userdata).didSubscribe(messageID: messageID, granted: buffer)
        }
        mosquitto_unsubscribe_v5_callback_set(pointer) { _, userdata, messageID, _ in
            guard let userdata else { return }
            EventHub.from(userdata).didUnsubscribe(messageID: messageID)
        }
        mosquitto_log_callback_set(pointer) { _, userdata, level, line in
            guard let userdata, let line else { return }
            let hub = EventHub.from(userdata)
            guard hub.logHandler != nil else { return }
            hub.log(MosquittoLogLevel(cLevel: level), String(cString: line))
        }
    }
}
