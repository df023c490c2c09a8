/// Starts libFuzzer from a Swift `main`.
///
/// SwiftPM links an executable with `main` pointing at the target's renamed Swift entry point,
/// so a target without `@main` does not link, and libFuzzer's own `main` does not run. Each
/// target therefore has a `@main` that calls ``run(_:)``, which hands the command line to
/// `LLVMFuzzerRunDriver` (libFuzzer's entry for programs with their own `main`). The test
/// function is also exported as `LLVMFuzzerTestOneInput`, which libFuzzer's archive references.
public enum FuzzDriver {
    /// A fuzz target: called once per input with its bytes; returns 0.
    public typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    /// Runs libFuzzer with the process's arguments and `test`; returns its exit code.
    public static func run(_ test: TestOneInput) -> CInt {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        return llvmFuzzerRunDriver(&argc, &argv, test)
    }
}

@_silgen_name("LLVMFuzzerRunDriver")
private func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ test: FuzzDriver.TestOneInput
) -> CInt
