import Foundation
import Tensor

/// oneDNN's primitive API (libdnnl.so.2, loaded with `dlopen` like `GEMMBackend`'s sgemm), the few
/// calls the ViT inference plan needs: strided memory descriptors, matmul with bias and post-ops,
/// softmax and layer normalization, executed on CPU streams with oneDNN's OpenMP threads.
///
/// Why a primitive and not sgemm: oneDNN's JIT kernels add the bias, GELU and the residual sum
/// inside the matrix product while its tile is in cache (post-ops), and its batched matmul runs
/// all of attention's per-head products in one call. Present only when oneDNN is the float32
/// backend (`GEMMBackend.current`; `BLOODSTUDY_GEMM=openblas` turns it off with the sgemm).
///
/// The C structs (memory and operation descriptors) are opaque here: each is a zeroed buffer
/// larger than oneDNN 2.x's own (696 and at most 3,496 bytes in 2.6), filled by oneDNN's `init`
/// calls and only passed back by pointer.
final class OneDNN: @unchecked Sendable {
    typealias Status = Int32
    typealias Handle = OpaquePointer

    /// The loaded library with its CPU engine and stream, or nil (not installed, or OpenBLAS asked for).
    static let shared: OneDNN? = {
        guard GEMMBackend.current == .onednn else { return nil }
        return OneDNN()
    }()

    // Values of oneDNN 2.x's enums and argument indices (dnnl_types.h).
    static let cpuEngine: Int32 = 1, float32: Int32 = 3, forwardInference: Int32 = 96
    static let geluErf: Int32 = 0x30, softmaxAccurate: Int32 = 0x30000
    static let useScale: UInt32 = 0x8, useShift: UInt32 = 0x10
    static let argSource: Int32 = 1, argDestination: Int32 = 17, argWeights: Int32 = 33, argBias: Int32 = 41
    static let argScale: Int32 = 51, argShift: Int32 = 52
    static let queryImplementation: Int32 = 8
    /// Bytes reserved for one memory descriptor and for one operation descriptor.
    static let memoryDescriptorBytes = 2048, operationDescriptorBytes = 8192

    private let symbols: Symbols
    let engine: Handle

    private init?() {
        guard let library = dlopen("libdnnl.so.2", RTLD_NOW | RTLD_LOCAL), let symbols = Symbols(library) else { return nil }
        self.symbols = symbols
        var engine: Handle?
        guard symbols.engineCreate(&engine, Self.cpuEngine, 0) == 0, let engine else { return nil }
        self.engine = engine
    }

    /// An execution stream (in order, on the calling thread with oneDNN's OpenMP threads). One per
    /// user of primitives: a stream is not to be shared by threads running at once.
    final class Stream {
        let handle: Handle
        private let library: OneDNN

        init(_ library: OneDNN) {
            self.library = library
            var stream: Handle?
            OneDNN.check(library.symbols.streamCreate(&stream, library.engine, 1), "stream")
            handle = stream!
        }

        /// Waits for the work submitted so far (oneDNN's CPU stream runs each primitive as it is
        /// called; this is the documented way to be sure).
        func wait() { OneDNN.check(library.symbols.streamWait(handle), "waiting for the stream") }

        deinit { _ = library.symbols.streamDestroy(handle) }
    }

    fileprivate static func check(_ status: Status, _ what: @autoclosure () -> String) {
        precondition(status == 0, "oneDNN: \(what()) failed with status \(status)")
    }

    /// A memory descriptor: float32 values of shape `dims` laid out with `strides` (in elements).
    final class MemoryDescriptor {
        let bytes: UnsafeMutableRawPointer

        init(_ library: OneDNN, dims: [Int], strides: [Int]) {
            precondition(dims.count == strides.count && dims.count <= 12)
            bytes = .allocate(byteCount: OneDNN.memoryDescriptorBytes, alignment: 64)
            bytes.initializeMemory(as: UInt8.self, repeating: 0, count: OneDNN.memoryDescriptorBytes)
            let d = dims.map(Int64.init) + Array(repeating: 0, count: 12 - dims.count)
            let s = strides.map(Int64.init) + Array(repeating: 0, count: 12 - strides.count)
            OneDNN.check(library.symbols.memoryDescriptorByStrides(bytes, Int32(dims.count), d, OneDNN.float32, s),
                         "memory descriptor \(dims) strides \(strides)")
        }

        /// Dense row-major layout.
        convenience init(_ library: OneDNN, dims: [Int]) {
            var strides = Array(repeating: 1, count: dims.count)
            for i in stride(from: dims.count - 2, through: 0, by: -1) { strides[i] = strides[i + 1] * dims[i + 1] }
            self.init(library, dims: dims, strides: strides)
        }

        deinit { bytes.deallocate() }
    }

    /// A memory object over a caller's buffer, rebound before each execution.
    final class Memory {
        let handle: Handle
        private let library: OneDNN

        init(_ library: OneDNN, _ descriptor: MemoryDescriptor) {
            self.library = library
            var memory: Handle?
            OneDNN.check(library.symbols.memoryCreate(&memory, descriptor.bytes, library.engine, nil), "memory object")
            handle = memory!
        }

        func bind(_ pointer: UnsafeRawPointer) {
            OneDNN.check(library.symbols.memorySetDataHandle(handle, UnsafeMutableRawPointer(mutating: pointer)), "binding memory")
        }

        deinit { _ = library.symbols.memoryDestroy(handle) }
    }

    /// Attributes of a primitive: a common output scale and post-ops applied in order.
    struct Attributes {
        enum PostOp { case geluErf, sum }
        var outputScale: Float? = nil
        var postOps: [PostOp] = []
    }

    /// A compiled primitive and the memory objects it reads and writes, by argument index.
    final class Primitive {
        let handle: Handle
        /// oneDNN's name for the implementation it chose (e.g. `brg:avx512_core`).
        let implementation: String
        private let library: OneDNN
        private var arguments: [(Int32, Memory)] = []
        private let packedArguments: UnsafeMutableRawPointer

        /// `initialize` fills the operation descriptor buffer it is given (a `*_desc_init` call).
        init(_ library: OneDNN, attributes: Attributes = Attributes(), arguments: [(Int32, MemoryDescriptor)],
             _ initialize: (UnsafeMutableRawPointer, Symbols) -> Status) {
            self.library = library
            let s = library.symbols
            let operation = UnsafeMutableRawPointer.allocate(byteCount: OneDNN.operationDescriptorBytes, alignment: 64)
            operation.initializeMemory(as: UInt8.self, repeating: 0, count: OneDNN.operationDescriptorBytes)
            defer { operation.deallocate() }
            OneDNN.check(initialize(operation, s), "operation descriptor")
            var attr: Handle?, postOps: Handle?
            OneDNN.check(s.attrCreate(&attr), "attributes")
            defer { _ = s.attrDestroy(attr) }
            if var scale = attributes.outputScale {
                OneDNN.check(s.attrSetOutputScales(attr, 1, 0, &scale), "output scale")
            }
            if !attributes.postOps.isEmpty {
                OneDNN.check(s.postOpsCreate(&postOps), "post-ops")
                for op in attributes.postOps {
                    switch op {
                    case .geluErf: OneDNN.check(s.postOpsAppendEltwise(postOps, 1, OneDNN.geluErf, 0, 0), "GELU post-op")
                    case .sum: OneDNN.check(s.postOpsAppendSum(postOps, 1), "sum post-op")
                    }
                }
                OneDNN.check(s.attrSetPostOps(attr, postOps), "setting post-ops")
            }
            defer { if postOps != nil { _ = s.postOpsDestroy(postOps) } }
            var descriptor: Handle?
            OneDNN.check(s.primitiveDescriptorCreate(&descriptor, operation, attr, library.engine, nil), "primitive descriptor")
            defer { _ = s.primitiveDescriptorDestroy(descriptor) }
            var name: UnsafePointer<CChar>?
            implementation = s.primitiveDescriptorQuery(descriptor, OneDNN.queryImplementation, 0, &name) == 0
                ? name.map { String(cString: $0) } ?? "unknown" : "unknown"
            var primitive: Handle?
            OneDNN.check(s.primitiveCreate(&primitive, descriptor), "primitive")
            handle = primitive!
            self.arguments = arguments.map { ($0.0, Memory(library, $0.1)) }
            // dnnl_exec_arg_t is { int arg; dnnl_memory_t memory; }: 16 bytes, the pointer at 8.
            packedArguments = .allocate(byteCount: 16 * arguments.count, alignment: 16)
            for (i, (index, memory)) in self.arguments.enumerated() {
                packedArguments.storeBytes(of: index, toByteOffset: 16 * i, as: Int32.self)
                packedArguments.storeBytes(of: 0, toByteOffset: 16 * i + 4, as: Int32.self)
                packedArguments.storeBytes(of: memory.handle, toByteOffset: 16 * i + 8, as: Handle.self)
            }
        }

        /// Runs the primitive on `buffers`, one pointer per argument in the order given at init.
        func execute(on stream: Stream, _ buffers: UnsafeRawPointer...) {
            precondition(buffers.count == arguments.count)
            for (argument, buffer) in zip(arguments, buffers) { argument.1.bind(buffer) }
            OneDNN.check(library.symbols.primitiveExecute(handle, stream.handle, Int32(arguments.count), packedArguments),
                         "executing \(implementation)")
        }

        deinit {
            _ = library.symbols.primitiveDestroy(handle)
            packedArguments.deallocate()
        }
    }

    func matmul(source: MemoryDescriptor, weights: MemoryDescriptor, bias: MemoryDescriptor?, destination: MemoryDescriptor,
                attributes: Attributes = Attributes()) -> Primitive {
        var arguments = [(Self.argSource, source), (Self.argWeights, weights)]
        if let bias { arguments.append((Self.argBias, bias)) }
        arguments.append((Self.argDestination, destination))
        return Primitive(self, attributes: attributes, arguments: arguments) { op, s in
            s.matmulDescriptor(op, source.bytes, weights.bytes, bias?.bytes, destination.bytes)
        }
    }

    /// Softmax along `axis`, reading `source` and writing `destination` (they may be one buffer).
    func softmax(_ data: MemoryDescriptor, axis: Int) -> Primitive {
        Primitive(self, arguments: [(Self.argSource, data), (Self.argDestination, data)]) { op, s in
            s.softmaxDescriptor(op, Self.forwardInference, Self.softmaxAccurate, data.bytes, data.bytes, Int32(axis))
        }
    }

    /// Layer normalization over the last axis of `data`, with per-channel scale and shift.
    func layerNorm(_ data: MemoryDescriptor, channels: Int, epsilon: Float) -> Primitive {
        let affine = MemoryDescriptor(self, dims: [channels])
        return Primitive(self, arguments: [(Self.argSource, data), (Self.argDestination, data),
                                           (Self.argScale, affine), (Self.argShift, affine)]) { op, s in
            s.layerNormDescriptor(op, Self.forwardInference, data.bytes, nil, epsilon, Self.useScale | Self.useShift)
        }
    }
}

extension OneDNN {
    /// The C entry points, looked up once.
    struct Symbols {
        typealias Out = UnsafeMutablePointer<Handle?>
        let engineCreate: @convention(c) (Out, Int32, Int) -> Status
        let streamCreate: @convention(c) (Out, Handle?, UInt32) -> Status
        let streamWait: @convention(c) (Handle?) -> Status
        let streamDestroy: @convention(c) (Handle?) -> Status
        let memoryDescriptorByStrides: @convention(c) (UnsafeMutableRawPointer, Int32, UnsafePointer<Int64>, Int32, UnsafePointer<Int64>) -> Status
        let memoryCreate: @convention(c) (Out, UnsafeRawPointer, Handle?, UnsafeMutableRawPointer?) -> Status
        let memorySetDataHandle: @convention(c) (Handle?, UnsafeMutableRawPointer?) -> Status
        let memoryDestroy: @convention(c) (Handle?) -> Status
        let matmulDescriptor: @convention(c) (UnsafeMutableRawPointer, UnsafeRawPointer, UnsafeRawPointer, UnsafeRawPointer?, UnsafeRawPointer) -> Status
        let softmaxDescriptor: @convention(c) (UnsafeMutableRawPointer, Int32, Int32, UnsafeRawPointer, UnsafeRawPointer, Int32) -> Status
        let layerNormDescriptor: @convention(c) (UnsafeMutableRawPointer, Int32, UnsafeRawPointer, UnsafeRawPointer?, Float, UInt32) -> Status
        let attrCreate: @convention(c) (Out) -> Status
        let attrDestroy: @convention(c) (Handle?) -> Status
        let attrSetOutputScales: @convention(c) (Handle?, Int64, Int32, UnsafePointer<Float>) -> Status
        let attrSetPostOps: @convention(c) (Handle?, Handle?) -> Status
        let postOpsCreate: @convention(c) (Out) -> Status
        let postOpsDestroy: @convention(c) (Handle?) -> Status
        let postOpsAppendEltwise: @convention(c) (Handle?, Float, Int32, Float, Float) -> Status
        let postOpsAppendSum: @convention(c) (Handle?, Float) -> Status
        let primitiveDescriptorCreate: @convention(c) (Out, UnsafeRawPointer, Handle?, Handle?, Handle?) -> Status
        let primitiveDescriptorDestroy: @convention(c) (Handle?) -> Status
        let primitiveDescriptorQuery: @convention(c) (Handle?, Int32, Int32, UnsafeMutableRawPointer) -> Status
        let primitiveCreate: @convention(c) (Out, Handle?) -> Status
        let primitiveDestroy: @convention(c) (Handle?) -> Status
        let primitiveExecute: @convention(c) (Handle?, Handle?, Int32, UnsafeRawPointer) -> Status

        /// nil when any entry point is missing (a oneDNN other than 2.x).
        init?(_ library: UnsafeMutableRawPointer) {
            struct Missing: Error {}
            func load<F>(_ name: String) throws -> F {
                guard let symbol = dlsym(library, name) else { throw Missing() }
                return unsafeBitCast(symbol, to: F.self)
            }
            do {
                engineCreate = try load("dnnl_engine_create")
                streamCreate = try load("dnnl_stream_create")
                streamWait = try load("dnnl_stream_wait")
                streamDestroy = try load("dnnl_stream_destroy")
                memoryDescriptorByStrides = try load("dnnl_memory_desc_init_by_strides")
                memoryCreate = try load("dnnl_memory_create")
                memorySetDataHandle = try load("dnnl_memory_set_data_handle")
                memoryDestroy = try load("dnnl_memory_destroy")
                matmulDescriptor = try load("dnnl_matmul_desc_init")
                softmaxDescriptor = try load("dnnl_softmax_v2_forward_desc_init")
                layerNormDescriptor = try load("dnnl_layer_normalization_forward_desc_init")
                attrCreate = try load("dnnl_primitive_attr_create")
                attrDestroy = try load("dnnl_primitive_attr_destroy")
                attrSetOutputScales = try load("dnnl_primitive_attr_set_output_scales")
                attrSetPostOps = try load("dnnl_primitive_attr_set_post_ops")
                postOpsCreate = try load("dnnl_post_ops_create")
                postOpsDestroy = try load("dnnl_post_ops_destroy")
                postOpsAppendEltwise = try load("dnnl_post_ops_append_eltwise")
                postOpsAppendSum = try load("dnnl_post_ops_append_sum")
                primitiveDescriptorCreate = try load("dnnl_primitive_desc_create")
                primitiveDescriptorDestroy = try load("dnnl_primitive_desc_destroy")
                primitiveDescriptorQuery = try load("dnnl_primitive_desc_query")
                primitiveCreate = try load("dnnl_primitive_create")
                primitiveDestroy = try load("dnnl_primitive_destroy")
                primitiveExecute = try load("dnnl_primitive_execute")
            } catch { return nil }
        }
    }
}
