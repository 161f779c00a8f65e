import Foundation

/// A safetensors file, its header validated up front; tensors are decoded on request.
///
/// The bytes are held as `Data`; `init(contentsOf:)` memory-maps the file, so only the tensors
/// that are decoded are read from disk.
public struct SafeTensorsFile: Sendable {
    /// The largest header accepted, in bytes (100 MB); the format's reference reader uses the same cap.
    public static let maximumHeaderLength = 100_000_000

    /// The most entries (tensors and `__metadata__`) a header may hold: 16,384, counted before the header is parsed.
    ///
    /// A GPT-2 checkpoint holds 14 per layer at most (12 weights and OpenAI's `attn.bias` and `attn.masked_bias`
    /// buffers) and 5 more (`wte`, `wpe`, `ln_f`'s two, `lm_head.weight`) beside `__metadata__`: 677 for GPT-2 XL's 48
    /// layers, 14,342 for the 1,024 layers `config.json` may give. A 100 MB header holds 1.3 million empty entries,
    /// and 600,000 took 100 s and 650 MB to parse, for tensors no GPT-2 reads (a hostile review).
    public static let maximumEntryCount = 16_384
    /// The most JSON values (at any depth) a header may hold: 16 per entry of ``maximumEntryCount``, where a tensor's
    /// entry needs about 10 (a hostile review: 24 million `{}` in one entry of a 99 MB header parsed for 214 s).
    public static let maximumValueCount = maximumEntryCount * SafeTensorsHeader.valuesPerEntry

    /// The header's `__metadata__` (empty when absent), e.g. `["format": "pt"]`.
    public let metadata: [String: String]

    let bytes: Data
    let dataStart: Int
    let tensors: [String: SafeTensorInfo]

    /// Parses `data`, the whole file, and validates the header and every tensor's byte range.
    /// - Throws: `SafeTensorsError` naming the first problem found.
    public init(data: Data) throws {
        let header = try data.withUnsafeBytes {
            try SafeTensorsHeader(
                bytes: $0, maximumHeaderLength: Self.maximumHeaderLength, maximumEntryCount: Self.maximumEntryCount)
        }
        bytes = data
        dataStart = header.dataStart
        tensors = header.tensors
        metadata = header.metadata
    }

    /// Memory-maps the file at `url` and validates it as `init(data:)` does.
    /// - Throws: `SafeTensorsError.readFailed` when the file cannot be read, or
    ///   `SafeTensorsError.inFile` wrapping the problem found in its contents.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw SafeTensorsError.readFailed(path: url.path, reason: Self.reason(for: error))
        }
        do {
            try self.init(data: data)
        } catch let error as SafeTensorsError {
            throw SafeTensorsError.inFile(path: url.path, error: error)
        }
    }

    /// The names of all tensors, sorted.
    public var tensorNames: [String] {
        tensors.keys.sorted()
    }

    /// The entry of the tensor called `name`, or `nil` if there is none.
    public func info(_ name: String) -> SafeTensorInfo? {
        tensors[name]
    }

    /// The entry of the tensor called `name`.
    /// - Throws: `SafeTensorsError.tensorNotFound`, suggesting a similarly named tensor if one exists.
    public func requireInfo(_ name: String) throws -> SafeTensorInfo {
        guard let info = tensors[name] else {
            throw SafeTensorsError.tensorNotFound(name: name, tensorCount: tensors.count, suggestion: suggestion(for: name))
        }
        return info
    }

    /// The raw little-endian bytes of the tensor called `name` (a slice of the file, not a copy).
    /// - Throws: `SafeTensorsError.tensorNotFound`.
    public func rawBytes(_ name: String) throws -> Data {
        let range = try requireInfo(name).dataOffsets
        let start = bytes.startIndex + dataStart
        return bytes[(start + range.lowerBound)..<(start + range.upperBound)]
    }

    /// A tensor whose name differs from `name` only by a leading dotted prefix such as
    /// `transformer.` (the difference between Hugging Face and OpenAI GPT-2 layouts).
    private func suggestion(for name: String) -> String? {
        tensorNames.first { $0.hasSuffix("." + name) || name.hasSuffix("." + $0) }
    }

    private static func reason(for error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return nsError.localizedDescription
    }
}
