/// Keeps large freed blocks in the heap for reuse instead of returning them to the kernel.
///
/// Every training step allocates activations of megabytes. glibc serves blocks above its mmap
/// threshold with fresh `mmap`s, so each step paid for page faults and kernel page clearing
/// (measured: about 10% of a CNNModel step at 64x64). Raising the mmap threshold to glibc's cap
/// (32 MiB) and the trim threshold lets freed buffers up to that size be reused by the next step.
/// Activations of 32 MiB and more (CNNModel's first block at batch 32 is exactly 32 MiB at 64x64
/// and 400 MiB at 224x224) would still be mmapped, so mmap is switched off (`M_MMAP_MAX` 0) and
/// they come from the heap too: at 224x224 page faults and page clearing were over a quarter of a
/// training step's time.
/// Called once, before the first layer allocates.
enum MemoryTuning {
    static let applied: Bool = {
        #if os(Linux)
        // M_TRIM_THRESHOLD is -1, M_MMAP_THRESHOLD -3 and M_MMAP_MAX -4 in glibc's malloc.h.
        _ = glibcMallopt(-1, Int32.max)
        _ = glibcMallopt(-3, 32 << 20)
        _ = glibcMallopt(-4, 0)
        #endif
        return true
    }()
}

#if os(Linux)
/// glibc's `int mallopt(int param, int value)`, which the Glibc module map does not export.
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
