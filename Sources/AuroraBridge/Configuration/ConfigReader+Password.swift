extension ConfigReader {
    /// The password in the file at `path` without its trailing line break, or nil when the file
    /// cannot be read or is empty (reported at `key` of `table`).
    /// - Parameter credential: Whether `path` is a systemd credential standing in for the file
    ///   the key names (see ``SystemdCredentials``), for the secret's source.
    mutating func password(in table: ConfigTable, key: String, path: String, credential: Bool) -> Secret? {
        do throws(TextFile.ReadError) {
            let password = try secretFiles.content(of: path)
            guard !password.isEmpty else {
                report(table, key, "\(TOMLText.quoted(path)) is empty; it must hold the password")
                return nil
            }
            return Secret(password, source: credential ? "systemd credential \(path)" : "file \(path)")
        } catch {
            report(table, key, "cannot read \(TOMLText.quoted(path)): \(error.reason)")
            return nil
        }
    }
}
