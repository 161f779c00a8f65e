import Foundation
import InputFiles

/// The validated header of a safetensors file: metadata and every tensor's entry.
///
/// Follows the format as the reference `safetensors` crate defines it: an 8-byte little-endian
/// header length, that many bytes of UTF-8 JSON, then the data section. As in the crate (its
/// `Metadata::validate` and `MetadataIncompleteBuffer`), the tensors must tile the data section exactly:
/// sorted by offsets, each begins where the previous one ends, the first at 0 and the last ending at the
/// end of the file. Bytes before, between or after tensors could hide another file's content (a polyglot)
/// and overlapping tensors alias each other's bytes, so both are refused.
struct SafeTensorsHeader {
    /// The key under which the format stores string metadata.
    static let metadataKey = "__metadata__"

    let metadata: [String: String]
    let tensors: [String: SafeTensorInfo]
    /// Where the data section starts, in bytes from the start of the file.
    let dataStart: Int

    /// Parses and validates the header of `bytes`, the whole file.
    /// - Throws: `SafeTensorsError` for the first problem found; tensors are checked in name order.
    init(bytes: UnsafeRawBufferPointer, maximumHeaderLength: Int, maximumEntryCount: Int) throws {
        guard bytes.count >= 8 else { throw SafeTensorsError.fileTooShort(byteCount: bytes.count) }
        let headerLength = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard headerLength <= UInt64(maximumHeaderLength) else {
            throw SafeTensorsError.headerTooLarge(headerLength: headerLength, limit: maximumHeaderLength)
        }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw SafeTensorsError.headerBeyondFile(headerLength: headerLength, fileSize: bytes.count)
        }
        // A length of 0 holds no header at all (a hostile review: "not valid JSON" said nothing of why).
        guard headerLength > 0 else {
            throw SafeTensorsError.headerNotJSON(reason: "the 8-byte header length is 0: the file holds no header")
        }
        dataStart = 8 + Int(headerLength)
        let headerBytes = UnsafeRawBufferPointer(rebasing: bytes[8..<dataStart])
        guard String(validating: headerBytes, as: UTF8.self) != nil else {
            throw SafeTensorsError.headerNotUTF8
        }
        // Counted before parsing, which costs tens of microseconds an entry (a hostile header of 600,000 empty
        // tensors took 100 s): a header beyond the bound is refused in one pass over its bytes.
        let counts = Self.counts(in: headerBytes, stoppingAfter: maximumEntryCount)
        if counts.keys > maximumEntryCount {
            throw SafeTensorsError.tooManyEntries(limit: maximumEntryCount)
        }
        // Values inside entries are bounded too (a hostile review: 24 million `{}` in one entry of a 99 MB header parsed
        // for 214 s): an entry holds a dtype, a shape of a few dimensions and two offsets.
        if counts.values > maximumEntryCount * Self.valuesPerEntry {
            throw SafeTensorsError.tooManyValues(limit: maximumEntryCount * Self.valuesPerEntry)
        }
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: Data(headerBytes))
        } catch {
            throw SafeTensorsError.headerNotJSON(reason: Self.summary(of: error))
        }
        // A tensor named twice: `JSONDecoder` keeps the first entry, the `safetensors` crate (serde) and so Hugging
        // Face the last, so the file would be audited as other weights than it deploys (review: swapped `ln_f`
        // ranges audited as the original model).
        if let repeated = JSONRepeatedKeys.first(in: Data(headerBytes)) {
            throw SafeTensorsError.repeatedKey(repeated.spelling, first: repeated.firstOffset, second: repeated.offset)
        }
        guard case .object(var entries) = root else { throw SafeTensorsError.headerNotObject }

        metadata = try entries.removeValue(forKey: Self.metadataKey).map(Self.parseMetadata) ?? [:]
        let dataSize = bytes.count - dataStart
        let literals = Self.nonIntegerLiterals(in: headerBytes)
        var tensors: [String: SafeTensorInfo] = [:]
        tensors.reserveCapacity(entries.count)
        // The names alone are sorted: sorting (name, entry) pairs went through the standard library's unspecialised
        // sort, which copied each `JSONValue` with runtime metadata look-ups at every move.
        for name in Array(entries.keys).sorted() {
            guard let entry = entries[name] else { continue }
            tensors[name] = try Self.parseEntry(name: name, entry, dataSize: dataSize, nonIntegers: literals[name] ?? [:])
        }
        try Self.checkCoverage(Array(tensors.values), dataSize: dataSize)
        self.tensors = tensors
    }

    private static func parseMetadata(_ value: JSONValue) throws -> [String: String] {
        guard case .object(let fields) = value else {
            throw SafeTensorsError.invalidMetadata(reason: "it is \(value.typeName), not an object")
        }
        var metadata: [String: String] = [:]
        for (key, field) in fields {
            guard case .string(let text) = field else {
                throw SafeTensorsError.invalidMetadata(reason: "value of \"\(key)\" is \(field.typeName), not a string")
            }
            metadata[key] = text
        }
        return metadata
    }

    /// - Parameter nonIntegers: the entry's number literals that are not integers as written, by field
    ///   (``nonIntegerLiterals(in:)``): a shape or offset among them is refused, though `entry` holds it as one.
    private static func parseEntry(
        name: String, _ entry: JSONValue, dataSize: Int, nonIntegers: [String: String]
    ) throws -> SafeTensorInfo {
        guard case .object(let fields) = entry else { throw SafeTensorsError.entryNotObject(tensor: name) }
        func field(_ key: String) throws -> JSONValue {
            guard let value = fields[key] else { throw SafeTensorsError.missingField(tensor: name, field: key) }
            return value
        }

        guard case .string(let dtypeName) = try field("dtype") else {
            throw SafeTensorsError.wrongFieldType(tensor: name, field: "dtype", expected: "a string such as \"F32\"")
        }
        let shapeExpectation = "an array of integers"
        guard case .array(let shapeValues) = try field("shape") else {
            throw SafeTensorsError.wrongFieldType(tensor: name, field: "shape", expected: shapeExpectation)
        }
        if let literal = nonIntegers["shape"] {
            throw SafeTensorsError.nonIntegerNumber(tensor: name, field: "shape", literal: literal)
        }
        let shape = try shapeValues.map { value -> Int in
            guard case .integer(let dimension) = value else {
                throw SafeTensorsError.wrongFieldType(tensor: name, field: "shape", expected: shapeExpectation)
            }
            return dimension
        }
        let offsetsExpectation = "[begin, end], two non-negative integers"
        if case .array(let offsetValues) = try field("data_offsets"), offsetValues.count == 2,
            let literal = nonIntegers["data_offsets"]
        {
            throw SafeTensorsError.nonIntegerNumber(tensor: name, field: "data_offsets", literal: literal)
        }
        guard case .array(let offsetValues) = try field("data_offsets"), offsetValues.count == 2,
              case .integer(let begin) = offsetValues[0], case .integer(let end) = offsetValues[1],
              begin >= 0, end >= 0
        else {
            throw SafeTensorsError.wrongFieldType(tensor: name, field: "data_offsets", expected: offsetsExpectation)
        }

        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw SafeTensorsError.unknownDType(tensor: name, dtype: dtypeName)
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw SafeTensorsError.negativeDimension(tensor: name, shape: shape)
        }
        guard let byteCount = SafeTensorInfo.checkedByteCount(of: shape, dtype: dtype) else {
            throw SafeTensorsError.shapeOverflow(tensor: name, shape: shape, dtype: dtype)
        }
        guard begin <= end else { throw SafeTensorsError.invertedOffsets(tensor: name, begin: begin, end: end) }
        guard end <= dataSize else {
            throw SafeTensorsError.offsetsBeyondData(tensor: name, end: end, dataSize: dataSize)
        }
        guard end - begin == byteCount else {
            throw SafeTensorsError.byteCountMismatch(tensor: name, expected: byteCount, actual: end - begin)
        }
        return SafeTensorInfo(name: name, dtype: dtype, shape: shape, dataOffsets: begin..<end)
    }

    /// Throws unless the byte ranges, sorted by (begin, end, name), tile `0..<dataSize` without gap or
    /// overlap (empty tensors included: each must sit where the previous tensor ends), as the reference does.
    private static func checkCoverage(_ tensors: [SafeTensorInfo], dataSize: Int) throws {
        let ordered = tensors.sorted {
            ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound, $0.name)
                < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound, $1.name)
        }
        var covered = 0
        var previous: SafeTensorInfo?
        for tensor in ordered {
            let begin = tensor.dataOffsets.lowerBound
            if begin > covered {
                throw SafeTensorsError.uncoveredBytes(begin: covered, end: begin, dataSize: dataSize, before: tensor.name)
            }
            if begin < covered, let previous {
                throw SafeTensorsError.overlappingTensors(
                    first: previous.name, firstEnd: covered, second: tensor.name, secondBegin: begin)
            }
            covered = tensor.dataOffsets.upperBound
            previous = tensor
        }
        if covered != dataSize {
            throw SafeTensorsError.uncoveredBytes(begin: covered, end: dataSize, dataSize: dataSize, before: nil)
        }
    }

    /// The most values a header may hold per entry it may hold (``counts(in:stoppingAfter:)``): a tensor's entry is an
    /// object of a dtype, a shape of at most a few dimensions and two offsets, about 10 values; `__metadata__` holds a
    /// few strings.
    static let valuesPerEntry = 16

    /// The keys of the outermost object of `header` and the values at any depth (every `,`, `{` and `[` outside
    /// strings: at least as many as the values after the first of each object or array), counted until the keys pass
    /// `limit` or the values pass `limit` × ``valuesPerEntry`` (then the counts stop). Keys are the strings in key
    /// position at depth 1, strings skipped whole so that a brace inside a name is not counted. Any bytes are accepted;
    /// for text that is not JSON the counts are only estimates, and the parser then says what is wrong unless a count
    /// is already beyond its bound.
    static func counts(in header: UnsafeRawBufferPointer, stoppingAfter limit: Int) -> (keys: Int, values: Int) {
        let bytes = header.bindMemory(to: UInt8.self)
        let valueLimit = limit * valuesPerEntry
        var depth = 0
        var keys = 0
        var values = 0
        var expectingKey = false
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"):
                depth += 1
                values += 1
                expectingKey = depth == 1
            case UInt8(ascii: "["):
                depth += 1
                values += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            case UInt8(ascii: ","):
                values += 1
                expectingKey = depth == 1
            case UInt8(ascii: "\""):
                index = JSONRepeatedKeys.endOfString(in: bytes, at: index).end
                if expectingKey {
                    expectingKey = false
                    keys += 1
                }
            default:
                break
            }
            if keys > limit || values > valueLimit { return (keys, values) }
            index += 1
        }
        return (keys, values)
    }

    /// The parser's complaint in a few words, without Foundation's coding-path dump.
    private static func summary(of error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        default:
            return String(describing: error)
        }
    }
}
