import Tensor

/// Vectorised elementwise loops over large buffers, split across the cores.
enum Elementwise {
    typealias Vector = SIMD16<Float>

    /// out[i] = f(a[i], b[i]) for i in 0..<count, 16 lanes at a time; `scalar` handles the tail.
    /// Chunks are whole vectors, so the result does not depend on the thread count.
    @inline(__always)
    static func apply(count: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                      _ vector: (Vector, Vector) -> Vector, scalar: (Float, Float) -> Float) {
        let lanes = Vector.scalarCount, vectors = count / lanes
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b), ro = UnsafeMutableRawPointer(out)
        Parallel.forEachChunk(vectors, minimumChunk: 4096) { range in
            for v in range {
                let offset = v * lanes * MemoryLayout<Float>.stride
                let x = ra.loadUnaligned(fromByteOffset: offset, as: Vector.self)
                let y = rb.loadUnaligned(fromByteOffset: offset, as: Vector.self)
                ro.storeBytes(of: vector(x, y), toByteOffset: offset, as: Vector.self)
            }
        }
        for i in (vectors * lanes)..<count { out[i] = scalar(a[i], b[i]) }
    }
}
