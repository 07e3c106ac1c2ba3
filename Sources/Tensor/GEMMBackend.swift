import Foundation

/// The library that multiplies float32 matrices (`Float.gemm`): oneDNN's `dnnl_sgemm` when Debian's
/// `libdnnl2` is installed, otherwise OpenBLAS. Everything else (double precision, `syrk`, LAPACK)
/// stays with OpenBLAS.
///
/// Why: on this machine's AVX-512 cores oneDNN 2.6's sgemm was measured ahead of OpenBLAS 0.3.21's
/// on the networks' shapes (1.16x to 1.40x on Winograd's per-group products, 1.24x on attention's
/// 197 x 197 x 64) and level or slightly ahead on large ones (1.00x to 1.12x); `bloodbench
/// gemm-shapes` prints both. oneDNN is loaded with
/// `dlopen`, so it stays optional: a build without it runs OpenBLAS alone. `BLOODSTUDY_GEMM=openblas`
/// forces OpenBLAS (for same-run comparisons).
///
/// oneDNN runs on OpenMP threads: inside `Parallel` regions each worker calls it with one thread
/// (`Parallel` sets OpenMP's per-thread count to 1 there, as it pins OpenBLAS to one thread).
public enum GEMMBackend: String, Sendable {
    case openblas = "OpenBLAS"
    case onednn = "oneDNN"

    typealias SgemmFunction = @convention(c) (CChar, CChar, Int64, Int64, Int64, Float, UnsafePointer<Float>?, Int64,
                                              UnsafePointer<Float>?, Int64, Float, UnsafeMutablePointer<Float>?, Int64) -> Int32
    typealias SetThreadsFunction = @convention(c) (Int32) -> Void
    typealias GetThreadsFunction = @convention(c) () -> Int32

    struct OneDNN: @unchecked Sendable {
        let sgemm: SgemmFunction
        let setThreads: SetThreadsFunction
        let maxThreads: GetThreadsFunction
    }

    /// oneDNN's sgemm and OpenMP's thread controls, when the libraries load and the user did not
    /// ask for OpenBLAS.
    static let oneDNN: OneDNN? = {
        if ProcessInfo.processInfo.environment["BLOODSTUDY_GEMM"]?.lowercased() == "openblas" { return nil }
        return loadOneDNN()
    }()

    /// oneDNN whatever `BLOODSTUDY_GEMM` says (for the benchmarks and the parity test), or nil.
    static let available: OneDNN? = oneDNN ?? loadOneDNN()

    private static func loadOneDNN() -> OneDNN? {
        // OpenMP's threads would otherwise spin after every product, taking a core from the
        // element-wise work that `Parallel` runs between products. Read when libgomp loads, so set
        // first; a user's own settings are left alone.
        setenv("OMP_WAIT_POLICY", "PASSIVE", 0)
        guard let dnnl = dlopen("libdnnl.so.2", RTLD_NOW | RTLD_LOCAL),
              let sgemm = dlsym(dnnl, "dnnl_sgemm"),
              let gomp = dlopen("libgomp.so.1", RTLD_NOW | RTLD_LOCAL),
              let set = dlsym(gomp, "omp_set_num_threads"), let get = dlsym(gomp, "omp_get_max_threads") else { return nil }
        let library = OneDNN(sgemm: unsafeBitCast(sgemm, to: SgemmFunction.self),
                             setThreads: unsafeBitCast(set, to: SetThreadsFunction.self),
                             maxThreads: unsafeBitCast(get, to: GetThreadsFunction.self))
        library.setThreads(Int32(Parallel.threadCount))
        return library
    }

    /// Benchmarks only: the backend `Float.gemm` uses instead of the current one (nil: current).
    nonisolated(unsafe) public static var override: GEMMBackend?

    /// The backend `Float.gemm` uses in this process.
    public static var current: GEMMBackend { oneDNN == nil ? .openblas : .onednn }

    /// Whether oneDNN can be loaded on this machine (whichever backend is current).
    public static var oneDNNAvailable: Bool { available != nil }

    /// `C = alpha * op(A) * op(B) + beta * C`, row-major, through `backend` (OpenBLAS's cblas_sgemm
    /// or oneDNN's dnnl_sgemm); `nil` means the current backend.
    public static func sgemm(_ backend: GEMMBackend? = nil, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                             alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let chosen = backend ?? override
        let library = chosen == nil ? oneDNN : (chosen == .onednn ? available : nil)
        if let library {
            let status = library.sgemm(CChar(UInt8(ascii: transA ? "T" : "N")), CChar(UInt8(ascii: transB ? "T" : "N")),
                                       Int64(m), Int64(n), Int64(k), alpha, a, Int64(lda), b, Int64(ldb), beta, c, Int64(ldc))
            precondition(status == 0, "dnnl_sgemm failed with status \(status) for \(m)x\(n)x\(k)")
            return
        }
        Float.openBLASGemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                           b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    /// Runs `body` with oneDNN's OpenMP team of this thread set to one thread (inside a parallel
    /// region every core already runs a worker), restoring the previous count afterwards.
    @inline(__always)
    static func singleThreaded(_ body: () -> Void) {
        guard let library = available else { body(); return }
        let previous = library.maxThreads()
        library.setThreads(1)
        body()
        library.setThreads(previous)
    }
}
