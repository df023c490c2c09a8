#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C library's pseudo-terminal functions (`posix_openpt`, `grantpt`, `unlockpt`,
/// `ptsname_r`), looked up at run time.
///
/// Swift's Glibc module hides them: glibc declares them only for `_XOPEN_SOURCE`/`_GNU_SOURCE`
/// builds, which the module is not. Resolving the real symbols with `dlsym` and calling them
/// through C function pointers keeps the C calling convention without a C shim target.
struct PseudoTerminalCalls: Sendable {
    let openpt: @convention(c) (Int32) -> Int32
    let grantpt: @convention(c) (Int32) -> Int32
    let unlockpt: @convention(c) (Int32) -> Int32
    let ptsname: @convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32

    /// The functions of the running C library, or nil if one is missing.
    static let system: PseudoTerminalCalls? = {
        let library = dlopen(nil, RTLD_NOW)
        func symbol<Function>(_ name: String, as type: Function.Type) -> Function? {
            dlsym(library, name).map { unsafeBitCast($0, to: type) }
        }
        guard
            let openpt = symbol("posix_openpt", as: (@convention(c) (Int32) -> Int32).self),
            let grantpt = symbol("grantpt", as: (@convention(c) (Int32) -> Int32).self),
            let unlockpt = symbol("unlockpt", as: (@convention(c) (Int32) -> Int32).self),
            let ptsname = symbol("ptsname_r", as: (@convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32).self)
        else { return nil }
        return PseudoTerminalCalls(openpt: openpt, grantpt: grantpt, unlockpt: unlockpt, ptsname: ptsname)
    }()
}
