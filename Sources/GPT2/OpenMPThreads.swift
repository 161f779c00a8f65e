import Foundation

/// The thread count oneDNN's OpenMP runtime uses for calls made from the current thread.
///
/// Debian's oneDNN is built on OpenMP and sizes every `dnnl_sgemm` call by the calling thread's
/// `omp_get_max_threads()`. biasaudit parallelises matrix products itself (`ComputePool`), so its
/// threads ask oneDNN for one thread each; the GEMM-ceiling measurement lets oneDNN use all cores.
/// The functions are looked up in the already-loaded runtime, so nothing links OpenMP directly;
/// when no OpenMP runtime is loaded (oneDNN built otherwise) setting the count does nothing.
enum OpenMPThreads {
    private typealias SetThreads = @convention(c) (Int32) -> Void

    private static let setter: SetThreads? = {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "omp_set_num_threads") else {
            return nil
        }
        return unsafeBitCast(symbol, to: SetThreads.self)
    }()

    /// Sets the OpenMP thread count of the calling thread (`omp_set_num_threads`).
    static func set(_ count: Int) {
        setter?(Int32(count))
    }
}
