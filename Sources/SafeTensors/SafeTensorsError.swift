/// Everything that can be wrong with a safetensors file or a request made of one.
///
/// Each case names the tensor involved (where there is one) and the values that were wrong;
/// `description` is one line saying what, where, and what to do.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
    /// The file is shorter than the 8-byte header length that every safetensors file starts with.
    case fileTooShort(byteCount: Int)
    /// The header length exceeds `limit` (`SafeTensorsFile.maximumHeaderLength`).
    case headerTooLarge(headerLength: UInt64, limit: Int)
    /// The header length points past the end of the file.
    case headerBeyondFile(headerLength: UInt64, fileSize: Int)
    /// The header bytes are not valid UTF-8.
    case headerNotUTF8
    /// The header is not valid JSON; `reason` is the parser's complaint.
    case headerNotJSON(reason: String)
    /// The header is valid JSON but not an object.
    case headerNotObject
    /// The header holds more than `limit` entries (`SafeTensorsFile.maximumEntryCount`), counted before parsing.
    case tooManyEntries(limit: Int)
    /// The header holds more JSON values (at any depth) than `limit`, far more than its entries need.
    case tooManyValues(limit: Int)
    /// A key appears twice in one object of the header (byte offsets in the header).
    case repeatedKey(String, first: Int, second: Int)
    /// `__metadata__` is present but not an object of strings to strings.
    case invalidMetadata(reason: String)
    /// A tensor's entry is not a JSON object.
    case entryNotObject(tensor: String)
    /// A tensor's entry lacks one of `dtype`, `shape`, `data_offsets`.
    case missingField(tensor: String, field: String)
    /// A tensor's field has the wrong JSON type or form; `expected` says what it should be.
    case wrongFieldType(tensor: String, field: String, expected: String)
    /// A number in a tensor's `shape` or `data_offsets` (`field`) is not an integer as written: a fraction or an
    /// exponent (`8.0`, `1e300`), which the reference library refuses, or more digits than any size (`literal`, as
    /// written).
    case nonIntegerNumber(tensor: String, field: String, literal: String)
    /// A tensor's `dtype` is not one of the format's types.
    case unknownDType(tensor: String, dtype: String)
    /// A tensor's shape has a negative dimension.
    case negativeDimension(tensor: String, shape: [Int])
    /// A tensor's element count, or its byte count, does not fit in `Int`.
    case shapeOverflow(tensor: String, shape: [Int], dtype: SafeTensorsDType)
    /// A tensor's byte range length differs from what its shape and dtype need.
    case byteCountMismatch(tensor: String, expected: Int, actual: Int)
    /// A tensor's `data_offsets` begin after they end.
    case invertedOffsets(tensor: String, begin: Int, end: Int)
    /// A tensor's `data_offsets` end past the end of the data section.
    case offsetsBeyondData(tensor: String, end: Int, dataSize: Int)
    /// Two tensors' byte ranges overlap: `second` begins at data offset `secondBegin`, before `first`
    /// (the tensor preceding it in offset order) ends at `firstEnd`.
    case overlappingTensors(first: String, firstEnd: Int, second: String, secondBegin: Int)
    /// Data-section bytes `begin..<end` belong to no tensor: they lie before tensor `before`, or after the
    /// last tensor when `before` is nil. The reference library refuses such files (they can hide content).
    case uncoveredBytes(begin: Int, end: Int, dataSize: Int, before: String?)
    /// The requested tensor is not in the file; `suggestion` is a similarly named tensor, if any.
    case tensorNotFound(name: String, tensorCount: Int, suggestion: String?)
    /// The tensor's dtype cannot be decoded to `Float` (only F32, F16 and BF16 can).
    case unsupportedDType(tensor: String, dtype: SafeTensorsDType)
    /// The destination buffer's element count differs from the tensor's.
    case bufferSizeMismatch(tensor: String, expected: Int, actual: Int)
    /// The file could not be read.
    case readFailed(path: String, reason: String)
    /// A problem found while reading the file at `path`.
    indirect case inFile(path: String, error: SafeTensorsError)
    /// The writer was given two tensors with the same name.
    case duplicateTensorName(String)
    /// The writer was given a tensor named `__metadata__`, which the format reserves.
    case reservedTensorName(String)

    /// The problem itself, without the file it was found in.
    public var underlying: SafeTensorsError {
        if case .inFile(_, let error) = self { return error.underlying }
        return self
    }

    /// One line: what was wrong, in which tensor, and what to do.
    public var description: String {
        let redownload = "re-download or re-export the model"
        switch self {
        case .fileTooShort(let byteCount):
            return "safetensors file is \(byteCount) bytes, shorter than the 8-byte header length; \(redownload)"
        case .headerTooLarge(let headerLength, let limit):
            return "safetensors header length \(headerLength) exceeds the \(limit)-byte limit; "
                + "the file is corrupt or not safetensors"
        case .headerBeyondFile(let headerLength, let fileSize):
            return "safetensors header length \(headerLength) runs past the end of the \(fileSize)-byte file; "
                + "the file is truncated, \(redownload)"
        case .headerNotUTF8:
            return "safetensors header is not valid UTF-8; the file is corrupt or not safetensors"
        case .headerNotJSON(let reason):
            return "safetensors header is not valid JSON (\(reason)); the file is corrupt or not safetensors"
        case let .repeatedKey(key, first, second):
            return "safetensors header names \"\(String(key.prefix(80)))\" twice in one object (header bytes \(first) and "
                + "\(second); the same name, or two spellings Unicode treats as one): readers disagree on which entry it "
                + "means (the safetensors library, and so Hugging Face, keeps the last of a repeated name); the file is "
                + "corrupt or crafted"
        case .headerNotObject:
            return "safetensors header is JSON but not an object of tensor entries; the file is not safetensors"
        case .tooManyEntries(let limit):
            return "safetensors header holds more than \(limit) entries, the most biasaudit reads: far more than any "
                + "GPT-2 checkpoint has (GPT-2 XL holds under 700, mask buffers included); the file is corrupt or crafted, or "
                + "not a GPT-2 model: \(redownload)"
        case .tooManyValues(let limit):
            return "safetensors header holds more than \(limit) JSON values, the most biasaudit reads: a tensor's entry "
                + "needs about 10 (its dtype, shape and offsets); the file is corrupt or crafted, or not a GPT-2 model: "
                + "\(redownload)"
        case .invalidMetadata(let reason):
            return "safetensors \"__metadata__\" is invalid: \(reason); it must map strings to strings"
        case .entryNotObject(let tensor):
            return "tensor '\(tensor)': header entry is not an object with dtype, shape, data_offsets; \(redownload)"
        case .missingField(let tensor, let field):
            return "tensor '\(tensor)': header entry lacks \"\(field)\"; \(redownload)"
        case .wrongFieldType(let tensor, let field, let expected):
            return "tensor '\(tensor)': \"\(field)\" must be \(expected); \(redownload)"
        case .nonIntegerNumber(let tensor, let field, let literal):
            let shown = literal.count > 40 ? String(literal.prefix(40)) + "…" : literal
            let values = field == "shape" ? "dimensions" : "offsets"
            if literal.contains(where: { ".eE".contains($0) }) {
                return "tensor '\(tensor)': \"\(field)\" holds \(shown), a number with a fraction or an exponent; the "
                    + "safetensors format writes \(values) as integers (8, not 8.0), and the safetensors library refuses "
                    + "this file: the tool that wrote it does not follow the format; re-export the model with the "
                    + "safetensors library (save_file), or re-download it"
            }
            return "tensor '\(tensor)': \"\(field)\" holds \(shown), beyond any size a file can have; the header is "
                + "corrupt, \(redownload)"
        case .unknownDType(let tensor, let dtype):
            let known = SafeTensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            return "tensor '\(tensor)': unknown dtype \"\(dtype)\" (known: \(known)); "
                + "convert the model to F32, F16 or BF16"
        case .negativeDimension(let tensor, let shape):
            return "tensor '\(tensor)': shape \(shape) has a negative dimension; \(redownload)"
        case .shapeOverflow(let tensor, let shape, let dtype):
            return "tensor '\(tensor)': shape \(shape) of \(dtype.rawValue) needs more bytes than can be addressed; "
                + "the header is corrupt"
        case .byteCountMismatch(let tensor, let expected, let actual):
            return "tensor '\(tensor)': shape and dtype need \(expected) bytes but data_offsets span \(actual); \(redownload)"
        case .invertedOffsets(let tensor, let begin, let end):
            return "tensor '\(tensor)': data_offsets begin \(begin) is after end \(end); \(redownload)"
        case .offsetsBeyondData(let tensor, let end, let dataSize):
            return "tensor '\(tensor)': data_offsets end \(end) is past the \(dataSize)-byte data section; "
                + "the file is truncated, \(redownload)"
        case .overlappingTensors(let first, let firstEnd, let second, let secondBegin):
            return "tensor '\(second)' begins at data offset \(secondBegin), inside tensor '\(first)' (which ends at"
                + " \(firstEnd)): overlapping data_offsets; \(redownload)"
        case .uncoveredBytes(let begin, let end, let dataSize, let before):
            let place = before.map { "before tensor '\($0)'" } ?? "after the last tensor"
            return "bytes \(begin)..<\(end) of the \(dataSize)-byte data section (\(place)) belong to no tensor;"
                + " safetensors files must be covered by their tensors exactly, as the reference library requires"
                + " (stray bytes can hide other content); \(redownload)"
        case .tensorNotFound(let name, let tensorCount, let suggestion):
            let hint = suggestion.map { "; did you mean '\($0)'?" } ?? "; check the model's layout and tensorNames"
            return "tensor '\(name)' is not among the file's \(tensorCount) tensors\(hint)"
        case .unsupportedDType(let tensor, let dtype):
            return "tensor '\(tensor)': dtype \(dtype.rawValue) cannot be decoded to Float (F32, F16, BF16 can); "
                + "convert the model"
        case .bufferSizeMismatch(let tensor, let expected, let actual):
            return "tensor '\(tensor)': destination buffer holds \(actual) floats but the tensor has \(expected); "
                + "pass a buffer of elementCount"
        case .readFailed(let path, let reason):
            return "cannot read safetensors file \(path): \(reason); check that it exists and is readable"
        case .inFile(let path, let error):
            return "\(path): \(error.description)"
        case .duplicateTensorName(let name):
            return "tensor '\(name)' is given twice; every tensor name in a safetensors file must be unique"
        case .reservedTensorName(let name):
            return "tensor name '\(name)' is reserved for file metadata; rename the tensor"
        }
    }
}
