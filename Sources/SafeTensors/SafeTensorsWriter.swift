import Foundation

/// Writes safetensors files; used to make test fixtures and small weight files.
///
/// Tensors are stored in the order given, back to back; the JSON header is padded with spaces to a
/// multiple of 8 bytes, as the reference writer does, so the data section starts 8-byte aligned.
public enum SafeTensorsWriter {
    /// The bytes of a safetensors file holding `tensors` and `metadata`.
    /// - Parameters:
    ///   - tensors: each tensor's name, dtype, shape and raw little-endian bytes.
    ///   - metadata: string pairs stored under `__metadata__` (omitted when empty).
    /// - Throws: `SafeTensorsError.duplicateTensorName`, `.reservedTensorName`, `.negativeDimension`,
    ///   `.shapeOverflow`, or `.byteCountMismatch` when a tensor's bytes do not match its shape.
    public static func serialize(
        _ tensors: [(name: String, dtype: SafeTensorsDType, shape: [Int], bytes: Data)],
        metadata: [String: String] = [:]
    ) throws -> Data {
        var names = Set<String>()
        var entries: [String] = []
        if !metadata.isEmpty {
            let fields = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0] ?? ""))" }
            entries.append("\(jsonString(SafeTensorsHeader.metadataKey)):{\(fields.joined(separator: ","))}")
        }
        var offset = 0
        for tensor in tensors {
            guard tensor.name != SafeTensorsHeader.metadataKey else {
                throw SafeTensorsError.reservedTensorName(tensor.name)
            }
            guard names.insert(tensor.name).inserted else { throw SafeTensorsError.duplicateTensorName(tensor.name) }
            guard tensor.shape.allSatisfy({ $0 >= 0 }) else {
                throw SafeTensorsError.negativeDimension(tensor: tensor.name, shape: tensor.shape)
            }
            guard let byteCount = SafeTensorInfo.checkedByteCount(of: tensor.shape, dtype: tensor.dtype) else {
                throw SafeTensorsError.shapeOverflow(tensor: tensor.name, shape: tensor.shape, dtype: tensor.dtype)
            }
            guard byteCount == tensor.bytes.count else {
                throw SafeTensorsError.byteCountMismatch(tensor: tensor.name, expected: byteCount, actual: tensor.bytes.count)
            }
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append(
                "\(jsonString(tensor.name)):{\"dtype\":\"\(tensor.dtype.rawValue)\",\"shape\":[\(shape)],"
                    + "\"data_offsets\":[\(offset),\(offset + byteCount)]}"
            )
            offset += byteCount
        }

        var header = Data("{\(entries.joined(separator: ","))}".utf8)
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))
        var file = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(header)
        for tensor in tensors {
            file.append(tensor.bytes)
        }
        return file
    }

    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped.
    static func jsonString(_ text: String) -> String {
        var literal = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": literal += "\\\""
            case "\\": literal += "\\\\"
            case "\n": literal += "\\n"
            case "\r": literal += "\\r"
            case "\t": literal += "\\t"
            case _ where scalar.value < 0x20:
                literal += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: literal.unicodeScalars.append(scalar)
            }
        }
        return literal + "\""
    }
}
