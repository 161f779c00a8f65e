import Foundation
import Hashing
import SafeTensors
import TestSupport
import XCTest

/// One test per way a hostile or damaged file can be wrong; each expects its own error case.
final class SafeTensorsHostileFileTests: XCTestCase {
    /// A header entry as JSON text.
    private func entry(_ dtype: String, _ shape: String, _ offsets: String) -> String {
        "{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}"
    }

    func testFileShorterThanEightBytes() {
        assertRejects(Data(), with: .fileTooShort(byteCount: 0))
        assertRejects(Data([1, 0, 0, 0, 0, 0, 0]), with: .fileTooShort(byteCount: 7))
    }

    func testHeaderLengthAboveCap() {
        let cap = SafeTensorsFile.maximumHeaderLength
        let file = HostileFile.bytes(header: Array("{}".utf8), declaredLength: UInt64(cap) + 1)
        assertRejects(file, with: .headerTooLarge(headerLength: UInt64(cap) + 1, limit: cap))
        let huge = HostileFile.bytes(header: [], declaredLength: UInt64.max)
        assertRejects(huge, with: .headerTooLarge(headerLength: UInt64.max, limit: cap))
    }

    func testHeaderLengthBeyondFile() {
        let file = HostileFile.bytes(header: Array("{}".utf8), declaredLength: 100)
        assertRejects(file, with: .headerBeyondFile(headerLength: 100, fileSize: 10))
    }

    func testHeaderNotUTF8() {
        assertRejects(HostileFile.bytes(header: [0x7B, 0xFF, 0xFE, 0x7D]), with: .headerNotUTF8)
    }

    func testHeaderNotJSON() {
        for text in ["{\"w\": ", "", "{'w': 1}", "{} trailing"] {
            assertRejects(HostileFile.bytes(json: text)) {
                if case .headerNotJSON = $0 { return true } else { return false }
            }
        }
    }

    func testDeeplyNestedHeaderIsRejectedWithoutCrashing() {
        let text = String(repeating: "[", count: 100_000)
        assertRejects(HostileFile.bytes(json: text)) {
            if case .headerNotJSON = $0 { return true } else { return false }
        }
    }

    /// A hostile review: a header of 600,000 empty tensors (`zz.N`, 55 MB) took 100 s and 650 MB to parse before the
    /// model loaded, and the 100 MB header limit admits 1.3 million. More entries than `maximumEntryCount` are refused,
    /// counted before parsing; as many are read (names holding commas, braces and quotes, and the commas of shapes, are
    /// not miscounted; `__metadata__` counts as an entry).
    func testAHeaderWithMoreEntriesThanAnyGPT2IsRefusedBeforeParsing() throws {
        let limit = SafeTensorsFile.maximumEntryCount
        func header(tensors: Int, metadata: Bool) -> String {
            var parts = metadata ? ["\"__metadata__\": {\"format\": \"pt\", \"a,{b\": \"[c\"}"] : []
            parts += (0..<tensors).map { "\"zz.\($0),{\\\"x\": {\"dtype\": \"F32\", \"shape\": [0, 3], \"data_offsets\": [0, 0]}" }
            return "{" + parts.joined(separator: ", ") + "}"
        }
        let atLimit = try SafeTensorsFile(data: HostileFile.bytes(json: header(tensors: limit - 1, metadata: true)))
        XCTAssertEqual(atLimit.tensorNames.count, limit - 1)
        XCTAssertEqual(atLimit.metadata["a,{b"], "[c")
        assertRejects(HostileFile.bytes(json: header(tensors: limit, metadata: true)), with: .tooManyEntries(limit: limit))
        assertRejects(HostileFile.bytes(json: header(tensors: limit + 1, metadata: false)), with: .tooManyEntries(limit: limit))
        let message = SafeTensorsError.tooManyEntries(limit: limit).description
        XCTAssertTrue(message.contains("more than \(limit) entries"), message)
        XCTAssertTrue(message.contains("re-download or re-export the model"), message)
    }

    /// A hostile review: a header under the size limit whose one extra entry held 12 million values (`"junk": [0, 0,
    /// …]`) parsed for 45 s, 24 million `{}` for 214 s. Values at any depth are counted with the entries, before parsing.
    func testAHeaderWithMoreValuesThanItsEntriesNeedIsRefusedBeforeParsing() throws {
        let limit = SafeTensorsFile.maximumValueCount
        func header(values: Int) -> String {
            "{\"w\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [0, 0], \"junk\": ["
                + Array(repeating: "0", count: values).joined(separator: ",") + "]}}"
        }
        assertRejects(HostileFile.bytes(json: header(values: limit + 1)), with: .tooManyValues(limit: limit))
        assertRejects(HostileFile.bytes(json: "{\"w\": [" + Array(repeating: "{}", count: limit).joined(separator: ",") + "]}"),
                      with: .tooManyValues(limit: limit))
        // Below the bound the header is parsed as before.
        do {
            _ = try SafeTensorsFile(data: HostileFile.bytes(json: header(values: 10)))
        } catch SafeTensorsError.tooManyValues {
            XCTFail("10 values are within the bound")
        } catch {}
        let message = SafeTensorsError.tooManyValues(limit: limit).description
        XCTAssertTrue(message.contains("more than \(limit) JSON values"), message)
    }

    /// Review: a header naming a tensor twice with swapped byte ranges was read with the first entry here and the last
    /// by the safetensors library (Hugging Face): one file, two models. Refused, escapes decoded before comparing.
    func testATensorNamedTwiceIsRefused() {
        let entry = "{\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}"
        let twice = "{\"w\": \(entry), \"\\u0077\": \(entry)}"
        assertRejects(HostileFile.bytes(json: twice), with: .repeatedKey("w", first: 1, second: 62))
        assertRejects(HostileFile.bytes(json: "{\"__metadata__\": {\"a\": \"1\", \"a\": \"2\"}}")) {
            if case .repeatedKey("a", _, _) = $0 { return true } else { return false }
        }
    }

    func testHeaderNotAnObject() {
        assertRejects(HostileFile.bytes(json: "[1, 2]"), with: .headerNotObject)
        assertRejects(HostileFile.bytes(json: "\"weights\""), with: .headerNotObject)
    }

    func testMetadataNotStringToString() {
        assertRejects(HostileFile.bytes(json: "{\"__metadata__\": 5}")) {
            if case .invalidMetadata = $0 { return true } else { return false }
        }
        assertRejects(HostileFile.bytes(json: "{\"__metadata__\": {\"format\": 1}}")) {
            if case .invalidMetadata(let reason) = $0 { return reason.contains("format") } else { return false }
        }
    }

    func testEntryNotAnObject() {
        assertRejects(HostileFile.bytes(json: "{\"w\": [0, 4]}"), with: .entryNotObject(tensor: "w"))
    }

    func testEntryMissingFields() {
        let cases = [
            ("dtype", "{\"w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}"),
            ("shape", "{\"w\": {\"dtype\": \"F32\", \"data_offsets\": [0, 4]}}"),
            ("data_offsets", "{\"w\": {\"dtype\": \"F32\", \"shape\": [1]}}"),
        ]
        for (field, header) in cases {
            assertRejects(HostileFile.bytes(json: header, dataBytes: 4), with: .missingField(tensor: "w", field: field))
        }
    }

    func testEntryFieldsOfWrongType() {
        let cases: [(field: String, entry: String)] = [
            ("dtype", "{\"dtype\": 5, \"shape\": [1], \"data_offsets\": [0, 4]}"),
            ("shape", "{\"dtype\": \"F32\", \"shape\": \"1\", \"data_offsets\": [0, 4]}"),
            ("shape", "{\"dtype\": \"F32\", \"shape\": [true], \"data_offsets\": [0, 4]}"),
            ("data_offsets", "{\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4]}"),
            ("data_offsets", "{\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4, 8]}"),
            ("data_offsets", "{\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [\"0\", \"4\"]}"),
            ("data_offsets", "{\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [-4, 0]}"),
            ("data_offsets", "{\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": null}"),
        ]
        for (field, entry) in cases {
            assertRejects(HostileFile.bytes(json: "{\"w\": \(entry)}", dataBytes: 4)) {
                if case .wrongFieldType("w", field, _) = $0 { return true } else { return false }
            }
        }
    }

    /// A hostile review: offsets written as floats (`[0.0, 4.0]`) were accepted, since `JSONDecoder` reads 4.0 as 4;
    /// the format writes integers and the safetensors library refuses such a file. So are shapes written so, and
    /// numbers no size can be (`1e300`, 2^64), refused rather than crashed on, naming the tensor and the number.
    func testShapesAndOffsetsThatAreNotIntegersAsWrittenAreRefused() {
        let cases: [(shape: String, offsets: String, field: String, literal: String)] = [
            ("[1]", "[0.0, 4.0]", "data_offsets", "0.0"),
            ("[1]", "[0, 4.0]", "data_offsets", "4.0"),
            ("[1]", "[0, 4e0]", "data_offsets", "4e0"),
            ("[1]", "[0, 0.4E1]", "data_offsets", "0.4E1"),
            ("[1]", "[0, 1e300]", "data_offsets", "1e300"),
            ("[1]", "[0, 18446744073709551616]", "data_offsets", "18446744073709551616"),
            ("[1]", "[0, -1e300]", "data_offsets", "-1e300"),
            ("[1.0]", "[0, 4]", "shape", "1.0"),
            ("[1.5]", "[0, 4]", "shape", "1.5"),
            ("[1e30]", "[0, 4]", "shape", "1e30"),
            ("[18446744073709551616]", "[0, 4]", "shape", "18446744073709551616"),
        ]
        for (shape, offsets, field, literal) in cases {
            let file = HostileFile.bytes(json: "{\"w\": \(entry("F32", shape, offsets))}", dataBytes: 4)
            assertRejects(file, with: .nonIntegerNumber(tensor: "w", field: field, literal: literal))
        }
        // A tensor whose name needs escapes is still named, and only its own entry is refused.
        let escaped = HostileFile.bytes(
            json: "{\"a\": \(entry("F32", "[1]", "[0, 4]")), \"b\\u0022c\": \(entry("F32", "[1]", "[4, 8.0]"))}",
            dataBytes: 8)
        assertRejects(escaped, with: .nonIntegerNumber(tensor: "b\"c", field: "data_offsets", literal: "8.0"))
        // Not an array at all is the form's fault, as before.
        let scalar = HostileFile.bytes(json: "{\"w\": \(entry("F32", "[1]", "8.0"))}", dataBytes: 4)
        assertRejects(scalar) {
            if case .wrongFieldType("w", "data_offsets", _) = $0 { return true } else { return false }
        }
        XCTAssertEqual(
            SafeTensorsError.nonIntegerNumber(tensor: "w", field: "data_offsets", literal: "4.0").description,
            "tensor 'w': \"data_offsets\" holds 4.0, a number with a fraction or an exponent; the safetensors format "
                + "writes offsets as integers (8, not 8.0), and the safetensors library refuses this file: the tool that "
                + "wrote it does not follow the format; re-export the model with the safetensors library (save_file), or "
                + "re-download it")
        XCTAssertEqual(
            SafeTensorsError.nonIntegerNumber(tensor: "w", field: "shape", literal: String(repeating: "9", count: 50))
                .description,
            "tensor 'w': \"shape\" holds \(String(repeating: "9", count: 40))…, beyond any size a file can have; the "
                + "header is corrupt, re-download or re-export the model")
    }

    func testUnknownDType() {
        let file = HostileFile.bytes(json: "{\"w\": \(entry("Q4_K", "[1]", "[0, 4]"))}", dataBytes: 4)
        assertRejects(file, with: .unknownDType(tensor: "w", dtype: "Q4_K"))
    }

    func testNegativeDimension() {
        let file = HostileFile.bytes(json: "{\"w\": \(entry("F32", "[-1, 4]", "[0, 16]"))}", dataBytes: 16)
        assertRejects(file, with: .negativeDimension(tensor: "w", shape: [-1, 4]))
    }

    func testElementCountOverflow() {
        let shape = [1 << 32, 1 << 32]
        let file = HostileFile.bytes(json: "{\"w\": \(entry("U8", "\(shape)", "[0, 0]"))}")
        assertRejects(file, with: .shapeOverflow(tensor: "w", shape: shape, dtype: .u8))
    }

    func testByteCountOverflow() {
        let shape = [1 << 61]
        let file = HostileFile.bytes(json: "{\"w\": \(entry("F32", "\(shape)", "[0, 0]"))}")
        assertRejects(file, with: .shapeOverflow(tensor: "w", shape: shape, dtype: .f32))
    }

    func testShapeDisagreesWithByteRange() {
        let file = HostileFile.bytes(json: "{\"w\": \(entry("F32", "[3]", "[0, 8]"))}", dataBytes: 12)
        assertRejects(file, with: .byteCountMismatch(tensor: "w", expected: 12, actual: 8))
    }

    func testOffsetsBeginAfterEnd() {
        let file = HostileFile.bytes(json: "{\"w\": \(entry("F32", "[1]", "[8, 4]"))}", dataBytes: 8)
        assertRejects(file, with: .invertedOffsets(tensor: "w", begin: 8, end: 4))
    }

    func testOffsetsPastDataSection() {
        let file = HostileFile.bytes(json: "{\"w\": \(entry("F32", "[4]", "[0, 16]"))}", dataBytes: 12)
        assertRejects(file, with: .offsetsBeyondData(tensor: "w", end: 16, dataSize: 12))
        let far = HostileFile.bytes(json: "{\"w\": \(entry("U8", "[1]", "[\(Int.max - 1), \(Int.max)]"))}")
        assertRejects(far, with: .offsetsBeyondData(tensor: "w", end: Int.max, dataSize: 0))
    }

    func testOverlappingTensorsAreRefusedWithTheirOffsets() {
        let header = "{\"b\": \(entry("F32", "[2]", "[4, 12]")), \"a\": \(entry("F32", "[2]", "[0, 8]"))}"
        assertRejects(
            HostileFile.bytes(json: header, dataBytes: 12),
            with: .overlappingTensors(first: "a", firstEnd: 8, second: "b", secondBegin: 4))
        let nested = "{\"outer\": \(entry("F32", "[4]", "[0, 16]")), \"inner\": \(entry("F32", "[1]", "[4, 8]"))}"
        assertRejects(
            HostileFile.bytes(json: nested, dataBytes: 16),
            with: .overlappingTensors(first: "outer", firstEnd: 16, second: "inner", secondBegin: 4))
        let emptyInside = "{\"a\": \(entry("U8", "[4]", "[0, 4]")), \"empty\": \(entry("F32", "[0]", "[2, 2]"))}"
        assertRejects(
            HostileFile.bytes(json: emptyInside, dataBytes: 4),
            with: .overlappingTensors(first: "a", firstEnd: 4, second: "empty", secondBegin: 2))
    }

    /// The reference library (safetensors `Metadata::validate`, `MetadataIncompleteBuffer`) refuses any
    /// data-section byte that belongs to no tensor; so do we, naming the stray range.
    func testBytesBeforeBetweenOrAfterTensorsAreRefusedWithTheirOffsets() {
        let before = "{\"a\": \(entry("U8", "[2]", "[3, 5]"))}"
        assertRejects(
            HostileFile.bytes(json: before, dataBytes: 5),
            with: .uncoveredBytes(begin: 0, end: 3, dataSize: 5, before: "a"))
        let between = "{\"a\": \(entry("U8", "[2]", "[0, 2]")), \"b\": \(entry("U8", "[2]", "[6, 8]"))}"
        assertRejects(
            HostileFile.bytes(json: between, dataBytes: 8),
            with: .uncoveredBytes(begin: 2, end: 6, dataSize: 8, before: "b"))
        let after = "{\"a\": \(entry("U8", "[2]", "[0, 2]"))}"
        assertRejects(
            HostileFile.bytes(json: after, dataBytes: 7),
            with: .uncoveredBytes(begin: 2, end: 7, dataSize: 7, before: nil))
        assertRejects(HostileFile.bytes(json: "{}", dataBytes: 1), with: .uncoveredBytes(begin: 0, end: 1, dataSize: 1, before: nil))
        let message = SafeTensorsError.uncoveredBytes(begin: 2, end: 6, dataSize: 8, before: "b").description
        XCTAssertTrue(message.contains("bytes 2..<6 of the 8-byte data section (before tensor 'b')"), message)
    }

    func testExactlyCoveredDataSectionWithEmptyTensorsIsAccepted() throws {
        let header = "{\"a\": \(entry("U8", "[2]", "[0, 2]")), \"b\": \(entry("U8", "[2]", "[2, 4]")), "
            + "\"empty\": \(entry("F32", "[0, 3]", "[2, 2]")), \"last\": \(entry("F32", "[0]", "[4, 4]"))}"
        let file = try SafeTensorsFile(data: HostileFile.bytes(json: header, dataBytes: 4))
        XCTAssertEqual(file.tensorNames, ["a", "b", "empty", "last"])
        XCTAssertEqual(try file.rawBytes("b"), Data([2, 3]))
        XCTAssertEqual(try file.floats("empty"), [])
        XCTAssertNoThrow(try SafeTensorsFile(data: HostileFile.bytes(json: "{}")), "no tensor, no data: covered")
    }

    func testTruncatedAndCorruptedFilesNeverCrash() throws {
        let valid = try SafeTensorsWriter.serialize(
            [
                (name: "a", dtype: .f16, shape: [3], bytes: SafeTensorsWriter.encodeF16([1, 2, 3])),
                (name: "b", dtype: .f32, shape: [2], bytes: SafeTensorsWriter.encodeF32([4, 5])),
            ],
            metadata: ["format": "pt"]
        )
        XCTAssertTrue(parseAndDecodeAll(valid))
        for length in 0..<valid.count {
            XCTAssertFalse(parseAndDecodeAll(valid.prefix(length)), "accepted a file truncated to \(length) bytes")
        }
        var generator = SplitMix64(seed: 42)
        for _ in 0..<2_000 {
            var corrupted = valid
            let index = Int(generator.next() % UInt64(corrupted.count))
            corrupted[index] = UInt8(truncatingIfNeeded: generator.next())
            _ = parseAndDecodeAll(corrupted)
        }
    }

    func testDescriptionsNameTheTensorOnOneLine() {
        let errors: [SafeTensorsError] = [
            .entryNotObject(tensor: "w"), .missingField(tensor: "w", field: "shape"),
            .wrongFieldType(tensor: "w", field: "shape", expected: "an array of integers"),
            .unknownDType(tensor: "w", dtype: "Q4"), .negativeDimension(tensor: "w", shape: [-1]),
            .shapeOverflow(tensor: "w", shape: [1 << 62], dtype: .f32),
            .byteCountMismatch(tensor: "w", expected: 8, actual: 4), .invertedOffsets(tensor: "w", begin: 8, end: 4),
            .offsetsBeyondData(tensor: "w", end: 16, dataSize: 8),
            .overlappingTensors(first: "w", firstEnd: 8, second: "v", secondBegin: 4),
            .uncoveredBytes(begin: 0, end: 4, dataSize: 8, before: "w"),
            .tensorNotFound(name: "w", tensorCount: 3, suggestion: nil), .unsupportedDType(tensor: "w", dtype: .i64),
            .bufferSizeMismatch(tensor: "w", expected: 2, actual: 1),
            .nonIntegerNumber(tensor: "w", field: "data_offsets", literal: "8.0"),
            .inFile(path: "/m/model.safetensors", error: .missingField(tensor: "w", field: "dtype")),
        ]
        for error in errors {
            XCTAssertTrue(error.description.contains("'w'"), "does not name the tensor: \(error)")
            XCTAssertFalse(error.description.contains("\n"), "spans lines: \(error)")
        }
    }

    /// Parses `data` and decodes every float tensor; false when parsing throws a `SafeTensorsError`.
    private func parseAndDecodeAll(_ data: Data) -> Bool {
        do {
            let file = try SafeTensorsFile(data: data)
            for name in file.tensorNames where file.info(name)?.dtype.isDecodableAsFloat == true {
                _ = try file.floats(name)
            }
            return true
        } catch {
            XCTAssertTrue(error is SafeTensorsError, "not a SafeTensorsError: \(error)")
            return false
        }
    }
}
