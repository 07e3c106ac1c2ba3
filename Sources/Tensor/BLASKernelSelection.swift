import Foundation

/// Picks OpenBLAS's compute kernels for CPUs its build does not recognise.
///
/// Debian's OpenBLAS 0.3.21 (DYNAMIC_ARCH) identifies cores by CPUID model number; on newer Intel
/// Xeons (this machine: AVX-512 with FP16, a Sapphire Rapids generation) it finds no match and
/// falls back to its "Prescott" SSE3 kernels. Measured on this machine: sgemm 2048³ at 7.7 GFLOP/s
/// with Prescott, 44 with SkylakeX (AVX-512), 31 with Haswell (AVX2), same load.
/// The documented override is the environment variable `OPENBLAS_CORETYPE`, read when the
/// library loads; here the same choice is made in-process by setting it and re-running OpenBLAS's
/// own kernel selection (`gotoblas_dynamic_quit` + `gotoblas_dynamic_init`), once, before the
/// first BLAS call of the program. A user's own `OPENBLAS_CORETYPE` is left alone, and a BLAS
/// without dynamic kernel selection (no such symbols) is left as it is.
public enum BLASKernelSelection {
    /// The core OpenBLAS runs kernels for after the selection ("SkylakeX", "Haswell", …), or nil
    /// when the library cannot tell.
    public static let core: String? = {
        let handle = dlopen(nil, RTLD_NOW)
        typealias NameFunction = @convention(c) () -> UnsafePointer<CChar>?
        typealias VoidFunction = @convention(c) () -> Void
        func symbol<T>(_ name: String, as _: T.Type) -> T? {
            dlsym(handle, name).map { unsafeBitCast($0, to: T.self) }
        }
        let corename = symbol("openblas_get_corename", as: NameFunction.self)
        let current = corename?().map { String(cString: $0) }
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
              current?.lowercased() == "prescott",
              let initialize = symbol("gotoblas_dynamic_init", as: VoidFunction.self),
              let quit = symbol("gotoblas_dynamic_quit", as: VoidFunction.self),
              let better = bestSupportedCore() else { return current }
        setenv("OPENBLAS_CORETYPE", better, 1)
        quit()
        initialize()
        return corename?().map { String(cString: $0) }
    }()

    /// The widest OpenBLAS kernel family the CPU and the kernel's enabled state support, from
    /// /proc/cpuinfo's flags (the kernel lists AVX-512 only when it saves that state).
    static func bestSupportedCore() -> String? {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        let flags = Set(line.split(separator: " ").map(String.init))
        if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"]) { return "SkylakeX" }
        if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }
}
