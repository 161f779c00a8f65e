/// Decoding F32, F16 and BF16 tensors into `Float`.
extension SafeTensorsFile {
    /// The elements of the tensor called `name`, widened to `Float`, in row-major order.
    /// - Throws: `SafeTensorsError.tensorNotFound`, or `.unsupportedDType` for dtypes other than
    ///   F32, F16 and BF16.
    public func floats(_ name: String) throws -> [Float] {
        let count = try decodableInfo(name).0.elementCount
        return try [Float](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            try decodeFloats(name, into: UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
            initializedCount = count
        }
    }

    /// Decodes the tensor called `name` into `buffer` without allocating.
    /// - Parameters:
    ///   - name: the tensor's name.
    ///   - buffer: the destination; its count must equal the tensor's `elementCount`.
    /// - Throws: `SafeTensorsError.tensorNotFound`, `.unsupportedDType`, or `.bufferSizeMismatch`.
    public func decodeFloats(_ name: String, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        let (info, kernel) = try decodableInfo(name)
        guard buffer.count == info.elementCount else {
            throw SafeTensorsError.bufferSizeMismatch(tensor: name, expected: info.elementCount, actual: buffer.count)
        }
        bytes.withUnsafeBytes { raw in
            let start = dataStart + info.dataOffsets.lowerBound
            kernel(UnsafeRawBufferPointer(rebasing: raw[start..<(start + info.dataOffsets.count)]), buffer)
        }
    }

    /// The entry of `name` and the kernel that decodes its dtype.
    private func decodableInfo(_ name: String) throws -> (SafeTensorInfo, FloatDecoding.Kernel) {
        let info = try requireInfo(name)
        guard let kernel = FloatDecoding.kernel(for: info.dtype) else {
            throw SafeTensorsError.unsupportedDType(tensor: name, dtype: info.dtype)
        }
        return (info, kernel)
    }
}
