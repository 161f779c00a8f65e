import CDNNL

/// The arithmetic of a model's matrix products.
public enum GPT2Precision: String, Sendable, CaseIterable, Codable {
    /// Float32 throughout (`dnnl_sgemm`): matches Hugging Face transformers' CPU results to rounding.
    case f32
    /// Weights stored once in bfloat16 and activations rounded to bfloat16 at each matrix product's input,
    /// products accumulated and written in Float32 (oneDNN's matmul primitive, on AMX or AVX-512 BF16);
    /// layer norm, softmax, attention over the cache and sampling stay Float32. Faster, not bit-exact.
    case bf16

    /// Whether this CPU runs bf16 matrix products on native instructions, and the instruction set oneDNN
    /// reports (`dnnl_get_effective_cpu_isa`, which `ONEDNN_MAX_CPU_ISA` can lower).
    public static var bf16Support: (supported: Bool, instructionSet: String) {
        (biasaudit_dnnl_bf16_native() != 0, instructionSetName(biasaudit_dnnl_effective_isa()))
    }

    /// oneDNN's name of a `dnnl_cpu_isa_t` value.
    static func instructionSetName(_ isa: UInt32) -> String {
        let names: [UInt32: String] = [
            0x1: "sse41", 0x3: "avx", 0x7: "avx2", 0xf: "avx512_mic", 0x1f: "avx512_mic_4ops", 0x27: "avx512_core",
            0x67: "avx512_core_vnni", 0xe7: "avx512_core_bf16", 0x3e7: "avx512_core_amx", 0x407: "avx2_vnni",
        ]
        return names[isa] ?? "isa 0x\(String(isa, radix: 16))"
    }
}
