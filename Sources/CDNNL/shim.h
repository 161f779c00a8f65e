// oneDNN C API (Debian package libdnnl-dev, v2.x): biasaudit uses dnnl_sgemm for its F32 path and the
// matmul primitive for its bf16 path. The helpers below wrap the primitive's C API (memory descriptors
// are large structs of fixed arrays, awkward from Swift); they follow oneDNN 2.6's
// `cpu_matmul_pd_t` / "matmul with weights in the format the primitive prefers" examples.
#include <oneapi/dnnl/dnnl.h>
#include <stdint.h>
#include <stdlib.h>

/// The CPU instruction set oneDNN dispatches to (dnnl_get_effective_cpu_isa; ONEDNN_MAX_CPU_ISA lowers it).
static inline unsigned biasaudit_dnnl_effective_isa(void) {
    return (unsigned)dnnl_get_effective_cpu_isa();
}

/// 1 when oneDNN runs bf16 matrix products on native bf16 instructions (AVX-512 BF16 or AMX), else 0.
static inline int biasaudit_dnnl_bf16_native(void) {
    unsigned bf16 = (unsigned)dnnl_cpu_isa_avx512_core_bf16;
    return (biasaudit_dnnl_effective_isa() & bf16) == bf16;
}

/// The matmul descriptor src (m, k) bf16 row-major, weights (k, n) bf16 in `weights` (format `any`
/// allowed), bias (1, n) f32 or none, dst (m, n) f32 row-major and dense (oneDNN 2.6's brgemm matmul
/// takes no row stride: a strided dst falls back to its reference implementation).
static inline dnnl_status_t biasaudit_bf16_matmul_pd(
    dnnl_primitive_desc_t *pd, dnnl_engine_t engine, int64_t m, int64_t k, int64_t n,
    const dnnl_memory_desc_t *weights, int hasBias
) {
    dnnl_memory_desc_t src, bias, dst;
    dnnl_dims_t srcDims = {m, k}, srcStrides = {k, 1};
    dnnl_dims_t dstDims = {m, n}, dstStrides = {n, 1};
    dnnl_dims_t biasDims = {1, n};
    dnnl_status_t status = dnnl_memory_desc_init_by_strides(&src, 2, srcDims, dnnl_bf16, srcStrides);
    if (status != dnnl_success) return status;
    status = dnnl_memory_desc_init_by_strides(&dst, 2, dstDims, dnnl_f32, dstStrides);
    if (status != dnnl_success) return status;
    status = dnnl_memory_desc_init_by_tag(&bias, 2, biasDims, dnnl_f32, dnnl_ab);
    if (status != dnnl_success) return status;
    dnnl_matmul_desc_t desc;
    status = dnnl_matmul_desc_init(&desc, &src, weights, hasBias ? &bias : NULL, &dst);
    if (status != dnnl_success) return status;
    dnnl_primitive_attr_t attr;
    status = dnnl_primitive_attr_create(&attr);
    if (status != dnnl_success) return status;
    // The caller hands each thread its own scratchpad: primitives then run on any thread.
    status = dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user);
    if (status == dnnl_success) status = dnnl_primitive_desc_create(pd, &desc, attr, engine, NULL);
    dnnl_primitive_attr_destroy(attr);
    return status;
}

/// Converts one (k, n) f32 weight view, element (i, j) at `weight[i * strideK + j * strideN]`, to bf16
/// in the layout the matmul primitive prefers for `mHint` rows (queried with format `any`), in a new
/// 64-byte-aligned buffer `*packed` (free with `free`) described by `*packedDesc`.
static inline dnnl_status_t biasaudit_bf16_pack_weights(
    dnnl_engine_t engine, dnnl_stream_t stream, const float *weight, int64_t k, int64_t n, int64_t strideK,
    int64_t strideN, int64_t mHint, dnnl_memory_desc_t *packedDesc, void **packed
) {
    dnnl_memory_desc_t any, plain;
    dnnl_dims_t dims = {k, n}, strides = {strideK, strideN};
    dnnl_status_t status = dnnl_memory_desc_init_by_tag(&any, 2, dims, dnnl_bf16, dnnl_format_tag_any);
    if (status != dnnl_success) return status;
    status = dnnl_memory_desc_init_by_strides(&plain, 2, dims, dnnl_f32, strides);
    if (status != dnnl_success) return status;
    dnnl_primitive_desc_t pd;
    status = biasaudit_bf16_matmul_pd(&pd, engine, mHint, k, n, &any, 0);
    if (status != dnnl_success) return status;
    *packedDesc = *dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
    dnnl_primitive_desc_destroy(pd);
    size_t bytes = (dnnl_memory_desc_get_size(packedDesc) + 63) / 64 * 64;
    *packed = aligned_alloc(64, bytes > 0 ? bytes : 64);
    if (*packed == NULL) return dnnl_out_of_memory;
    dnnl_primitive_desc_t reorderPD;
    status = dnnl_reorder_primitive_desc_create(&reorderPD, &plain, engine, packedDesc, engine, NULL);
    if (status != dnnl_success) return status;
    dnnl_primitive_t reorder;
    status = dnnl_primitive_create(&reorder, reorderPD);
    dnnl_primitive_desc_destroy(reorderPD);
    if (status != dnnl_success) return status;
    dnnl_memory_t from, to;
    status = dnnl_memory_create(&from, &plain, engine, (void *)weight);
    if (status == dnnl_success) {
        status = dnnl_memory_create(&to, packedDesc, engine, *packed);
        if (status == dnnl_success) {
            dnnl_exec_arg_t args[2] = {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}};
            status = dnnl_primitive_execute(reorder, stream, 2, args);
            if (status == dnnl_success) status = dnnl_stream_wait(stream);
            dnnl_memory_destroy(to);
        }
        dnnl_memory_destroy(from);
    }
    dnnl_primitive_destroy(reorder);
    return status;
}

/// One bf16 matmul primitive of a fixed shape with, per calling thread, memory objects whose buffers
/// are set at each execution.
typedef struct {
    dnnl_primitive_t primitive;
    /// Bytes of scratchpad each execution needs (0: none).
    size_t scratchpadBytes;
    int hasBias;
    int threads;
    /// threads × 5: src, weights, bias, dst, scratchpad (NULL when unused).
    dnnl_memory_t *memories;
    /// The implementation oneDNN chose (e.g. "brg:avx512_core_amx_bf16").
    const char *implementation;
} biasaudit_bf16_gemm;

/// Creates the primitive for src (m, k) → dst (m, n), weights packed as `weightsDesc`; `hasBias` adds a
/// (1, n) f32 bias. `threads` sets of memory objects let that many threads execute it at once.
static inline dnnl_status_t biasaudit_bf16_gemm_create(
    biasaudit_bf16_gemm **out, dnnl_engine_t engine, int64_t m, int64_t k, int64_t n,
    const dnnl_memory_desc_t *weightsDesc, int hasBias, int threads
) {
    dnnl_primitive_desc_t pd;
    dnnl_status_t status = biasaudit_bf16_matmul_pd(&pd, engine, m, k, n, weightsDesc, hasBias);
    if (status != dnnl_success) return status;
    biasaudit_bf16_gemm *gemm = (biasaudit_bf16_gemm *)calloc(1, sizeof(biasaudit_bf16_gemm));
    gemm->memories = (dnnl_memory_t *)calloc((size_t)threads * 5, sizeof(dnnl_memory_t));
    gemm->threads = threads;
    gemm->hasBias = hasBias;
    status = dnnl_primitive_create(&gemm->primitive, pd);
    const dnnl_memory_desc_t *scratchpad = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
    gemm->scratchpadBytes = dnnl_memory_desc_get_size(scratchpad);
    const dnnl_memory_desc_t *descs[5] = {
        dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0), weightsDesc,
        dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 1), dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0),
        scratchpad};
    for (int t = 0; t < threads && status == dnnl_success; t++) {
        for (int i = 0; i < 5 && status == dnnl_success; i++) {
            if (i == 2 && !hasBias) continue;
            if (i == 4 && gemm->scratchpadBytes == 0) continue;
            status = dnnl_memory_create(&gemm->memories[t * 5 + i], descs[i], engine, DNNL_MEMORY_NONE);
        }
    }
    dnnl_primitive_desc_destroy(pd);
    const char *implementation = NULL;
    const_dnnl_primitive_desc_t own;
    if (status == dnnl_success && dnnl_primitive_get_primitive_desc(gemm->primitive, &own) == dnnl_success) {
        dnnl_primitive_desc_query(own, dnnl_query_impl_info_str, 0, &implementation);
    }
    gemm->implementation = implementation;  // owned by the primitive, alive as long as it is
    *out = gemm;
    return status;
}

/// dst = src · weights (+ bias), on the calling thread's memory objects.
/// `scratchpad` holds at least `gemm->scratchpadBytes` bytes used by no other thread meanwhile.
static inline dnnl_status_t biasaudit_bf16_gemm_execute(
    const biasaudit_bf16_gemm *gemm, int thread, dnnl_stream_t stream, const uint16_t *src, const void *weights,
    const float *bias, float *dst, void *scratchpad
) {
    dnnl_memory_t *memories = gemm->memories + thread * 5;
    void *handles[5] = {(void *)src, (void *)weights, (void *)bias, dst, scratchpad};
    const int kinds[5] = {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST, DNNL_ARG_SCRATCHPAD};
    dnnl_exec_arg_t args[5];
    int count = 0;
    for (int i = 0; i < 5; i++) {
        if (memories[i] == NULL) continue;
        dnnl_status_t status = dnnl_memory_set_data_handle(memories[i], handles[i]);
        if (status != dnnl_success) return status;
        args[count].arg = kinds[i];
        args[count].memory = memories[i];
        count++;
    }
    dnnl_status_t status = dnnl_primitive_execute(gemm->primitive, stream, count, args);
    if (status != dnnl_success) return status;
    return dnnl_stream_wait(stream);
}

/// Releases a primitive made by biasaudit_bf16_gemm_create.
static inline void biasaudit_bf16_gemm_destroy(biasaudit_bf16_gemm *gemm) {
    if (gemm == NULL) return;
    for (int i = 0; i < gemm->threads * 5; i++) {
        if (gemm->memories[i] != NULL) dnnl_memory_destroy(gemm->memories[i]);
    }
    free(gemm->memories);
    if (gemm->primitive != NULL) dnnl_primitive_destroy(gemm->primitive);
    free(gemm);
}
