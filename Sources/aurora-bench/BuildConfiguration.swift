/// Whether this bench (and so the products beside it, which it runs) was built for release or
/// debug: debug figures are not the ones to quote.
enum BuildConfiguration {
    /// "release" or "debug".
    static var name: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }
}
