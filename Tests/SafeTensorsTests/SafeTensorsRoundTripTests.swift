import Foundation
import SafeTensors
import TestSupport
import XCTest

/// Writer → reader round trips, exact F16/BF16 widening, and the reading API's errors.
final class SafeTensorsRoundTripTests: XCTestCase {
    private let specialValues: [Float] = [
        0, -0.0, 1, -1, .pi, 65504, -65504, 1e-3, .infinity, -.infinity, .nan,
        .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
    ]

    func testF32RoundTripIsBitExact() throws {
        let data = try SafeTensorsWriter.serialize(
            [(name: "w", dtype: .f32, shape: [3, 5], bytes: SafeTensorsWriter.encodeF32(specialValues))]
        )
        let decoded = try SafeTensorsFile(data: data).floats("w")
        assertBitEqual(decoded, specialValues)
    }

    func testEveryF16BitPatternWidensExactly() throws {
        let patterns = (0...UInt16.max).map { $0 }
        let file = try SafeTensorsFile(data: SafeTensorsWriter.serialize(
            [(name: "all", dtype: .f16, shape: [patterns.count], bytes: littleEndianBytes(patterns))]
        ))
        let decoded = try file.floats("all")
        XCTAssertEqual(decoded.count, patterns.count)
        var mismatches: [String] = []
        for (bits, value) in zip(patterns, decoded) {
            let expected = referenceHalf(bits)
            let agreesWithDefinition = expected.isNaN
                ? value.isNaN && value.sign == expected.sign
                : value.bitPattern == expected.bitPattern
            let same = agreesWithDefinition && value.bitPattern == Float(Float16(bitPattern: bits)).bitPattern
            if !same { mismatches.append("0x\(String(bits, radix: 16)): \(value) vs \(expected)") }
        }
        XCTAssertTrue(mismatches.isEmpty, "\(mismatches.count) F16 mismatches, first: \(mismatches.prefix(5))")
    }

    func testF16KnownValues() throws {
        let known: [(UInt16, Float)] = [
            (0x3C00, 1), (0xC000, -2), (0x7BFF, 65504), (0x3555, 0.333251953125), (0x0001, 0x1p-24),
            (0x03FF, 0x1.FF8p-15), (0x0400, 0x1p-14), (0x8001, -0x1p-24), (0x7C00, .infinity), (0xFC00, -.infinity),
        ]
        let file = try SafeTensorsFile(data: SafeTensorsWriter.serialize(
            [(name: "k", dtype: .f16, shape: [known.count], bytes: littleEndianBytes(known.map(\.0)))]
        ))
        assertBitEqual(try file.floats("k"), known.map(\.1))
        let signed = try SafeTensorsFile(data: SafeTensorsWriter.serialize(
            [(name: "z", dtype: .f16, shape: [3], bytes: littleEndianBytes([0x8000, 0x7E00, 0xFE00]))]
        )).floats("z")
        XCTAssertEqual(signed[0].bitPattern, (-0.0 as Float).bitPattern)
        XCTAssertTrue(signed[1].isNaN && signed[2].isNaN && signed[2].sign == .minus)
    }

    func testEveryBF16BitPatternIsTheTopHalfOfAnF32() throws {
        let patterns = (0...UInt16.max).map { $0 }
        let file = try SafeTensorsFile(data: SafeTensorsWriter.serialize(
            [(name: "all", dtype: .bf16, shape: [256, 256], bytes: littleEndianBytes(patterns))]
        ))
        let decoded = try file.floats("all")
        let mismatches = zip(patterns, decoded).filter { $0.1.bitPattern != UInt32($0.0) << 16 }
        XCTAssertTrue(mismatches.isEmpty, "\(mismatches.count) BF16 mismatches, first: \(mismatches.prefix(5))")
        let known: [UInt16: Float] = [0x3F80: 1, 0x4049: 3.140625, 0xC2F7: -123.5, 0xFF80: -.infinity, 0x0001: 0x1p-133]
        for (bits, value) in known {
            XCTAssertEqual(decoded[Int(bits)], value, "BF16 0x\(String(bits, radix: 16))")
        }
    }

    func testEncodersRoundToNearestEven() throws {
        let bf16Cases: [(Float, UInt16)] = [
            (1, 0x3F80), (1 + 0x1p-8, 0x3F80), (1 + 0x3p-8, 0x3F82), (1 + 0x1p-8 + 0x1p-20, 0x3F81),
            (-2, 0xC000), (.greatestFiniteMagnitude, 0x7F80), (.infinity, 0x7F80),
        ]
        let bf16 = SafeTensorsWriter.encodeBF16(bf16Cases.map(\.0))
        XCTAssertEqual(littleEndianValues(bf16), bf16Cases.map(\.1))
        let nanBits = littleEndianValues(SafeTensorsWriter.encodeBF16([Float(bitPattern: 0x7F80_0001)]))
        XCTAssertTrue(Float(bitPattern: UInt32(nanBits[0]) << 16).isNaN, "BF16 encoding turned a NaN into infinity")

        let f16Cases: [(Float, UInt16)] = [(1, 0x3C00), (1 + 0x1p-11, 0x3C00), (1 + 0x3p-11, 0x3C02), (1e6, 0x7C00), (0x1p-24, 0x0001)]
        XCTAssertEqual(littleEndianValues(SafeTensorsWriter.encodeF16(f16Cases.map(\.0))), f16Cases.map(\.1))
    }

    func testDecodeIntoBufferMatchesFloatsAndChecksItsSize() throws {
        let values: [Float] = (0..<12).map { Float($0) * 0.25 - 1 }
        let file = try SafeTensorsFile(data: SafeTensorsWriter.serialize(
            [(name: "w", dtype: .bf16, shape: [3, 4], bytes: SafeTensorsWriter.encodeBF16(values))]
        ))
        var buffer = [Float](repeating: .nan, count: 12)
        try buffer.withUnsafeMutableBufferPointer { try file.decodeFloats("w", into: $0) }
        XCTAssertEqual(buffer, values)
        XCTAssertEqual(try file.floats("w"), values)
        var short = [Float](repeating: 0, count: 11)
        XCTAssertThrowsError(try short.withUnsafeMutableBufferPointer { try file.decodeFloats("w", into: $0) }) {
            XCTAssertEqual($0 as? SafeTensorsError, .bufferSizeMismatch(tensor: "w", expected: 12, actual: 11))
        }
    }

    func testUnalignedDataSectionDecodes() throws {
        // An unpadded header: the data section (8 + header bytes into the file) starts off a 4-byte boundary.
        let header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"
        XCTAssertNotEqual((8 + header.utf8.count) % 4, 0, "header length must leave the F32 data unaligned")
        var file = HostileFile.bytes(json: header)
        file.append(SafeTensorsWriter.encodeF32([1.5, -2.25]))
        XCTAssertEqual(try SafeTensorsFile(data: file).floats("w"), [1.5, -2.25])
    }

    func testMetadataNamesShapesAndEscapingRoundTrip() throws {
        let odd = "quote\" back\\slash\nnew\u{01}ctl é✓"
        let metadata = ["format": "pt", "note": odd]
        let data = try SafeTensorsWriter.serialize(
            [
                (name: "z.scalar", dtype: .f32, shape: [], bytes: SafeTensorsWriter.encodeF32([7])),
                (name: odd, dtype: .u8, shape: [2, 1], bytes: Data([1, 2])),
                (name: "a.empty", dtype: .f16, shape: [0, 8], bytes: Data()),
            ],
            metadata: metadata
        )
        let headerLength = data.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
        XCTAssertEqual(headerLength % 8, 0, "data section is not 8-byte aligned")
        let file = try SafeTensorsFile(data: data)
        XCTAssertEqual(file.metadata, metadata)
        XCTAssertEqual(file.tensorNames, ["a.empty", odd, "z.scalar"])
        XCTAssertEqual(file.info("z.scalar"), SafeTensorInfo(name: "z.scalar", dtype: .f32, shape: [], dataOffsets: 0..<4))
        XCTAssertEqual(file.info("z.scalar")?.elementCount, 1)
        XCTAssertEqual(try file.floats("z.scalar"), [7])
        XCTAssertEqual(file.info("a.empty")?.elementCount, 0)
        XCTAssertEqual(try file.rawBytes(odd), Data([1, 2]))
    }

    func testMissingTensorIsNamedWithAHint() throws {
        let file = try SafeTensorsFile(data: SafeTensorsWriter.serialize(
            [(name: "transformer.wte.weight", dtype: .f32, shape: [1], bytes: SafeTensorsWriter.encodeF32([0]))]
        ))
        XCTAssertNil(file.info("wte.weight"))
        XCTAssertThrowsError(try file.floats("wte.weight")) {
            XCTAssertEqual(
                $0 as? SafeTensorsError,
                .tensorNotFound(name: "wte.weight", tensorCount: 1, suggestion: "transformer.wte.weight")
            )
            XCTAssertTrue(String(describing: $0).contains("did you mean 'transformer.wte.weight'"))
        }
        XCTAssertThrowsError(try file.floats("lm_head.weight")) {
            XCTAssertEqual($0 as? SafeTensorsError, .tensorNotFound(name: "lm_head.weight", tensorCount: 1, suggestion: nil))
        }
    }

    func testNonFloatDTypeIsRefusedByName() throws {
        let file = try SafeTensorsFile(data: SafeTensorsWriter.serialize(
            [(name: "ids", dtype: .i64, shape: [2], bytes: Data(count: 16))]
        ))
        XCTAssertFalse(SafeTensorsDType.i64.isDecodableAsFloat)
        XCTAssertThrowsError(try file.floats("ids")) {
            XCTAssertEqual($0 as? SafeTensorsError, .unsupportedDType(tensor: "ids", dtype: .i64))
        }
        var buffer = [Float](repeating: 0, count: 2)
        XCTAssertThrowsError(try buffer.withUnsafeMutableBufferPointer { try file.decodeFloats("ids", into: $0) }) {
            XCTAssertEqual($0 as? SafeTensorsError, .unsupportedDType(tensor: "ids", dtype: .i64))
        }
    }

    func testWriterRejectsInconsistentTensors() {
        let four = Data(count: 4)
        let cases: [([(name: String, dtype: SafeTensorsDType, shape: [Int], bytes: Data)], SafeTensorsError)] = [
            ([(name: "w", dtype: .f32, shape: [1], bytes: four), (name: "w", dtype: .f32, shape: [1], bytes: four)],
             .duplicateTensorName("w")),
            ([(name: "__metadata__", dtype: .f32, shape: [1], bytes: four)], .reservedTensorName("__metadata__")),
            ([(name: "w", dtype: .f32, shape: [2], bytes: four)], .byteCountMismatch(tensor: "w", expected: 8, actual: 4)),
            ([(name: "w", dtype: .f32, shape: [-1], bytes: four)], .negativeDimension(tensor: "w", shape: [-1])),
            ([(name: "w", dtype: .f64, shape: [1 << 61], bytes: four)], .shapeOverflow(tensor: "w", shape: [1 << 61], dtype: .f64)),
        ]
        for (tensors, expected) in cases {
            XCTAssertThrowsError(try SafeTensorsWriter.serialize(tensors)) {
                XCTAssertEqual($0 as? SafeTensorsError, expected)
            }
        }
    }

    func testReadingFromDiskNamesThePath() throws {
        let directory = try Fixtures.temporaryDirectory("safetensors-test")
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("absent.safetensors")
        XCTAssertThrowsError(try SafeTensorsFile(contentsOf: missing)) {
            guard case .readFailed(let path, _) = $0 as? SafeTensorsError else { return XCTFail("\($0)") }
            XCTAssertEqual(path, missing.path)
        }
        let broken = directory.appendingPathComponent("broken.safetensors")
        try Data([1, 2, 3]).write(to: broken)
        XCTAssertThrowsError(try SafeTensorsFile(contentsOf: broken)) {
            XCTAssertEqual($0 as? SafeTensorsError, .inFile(path: broken.path, error: .fileTooShort(byteCount: 3)))
            XCTAssertEqual(($0 as? SafeTensorsError)?.underlying, .fileTooShort(byteCount: 3))
            XCTAssertTrue(String(describing: $0).hasPrefix(broken.path))
        }
    }

    /// The binary16 value of `bits` from the IEEE 754 definition, independent of `Float16`.
    private func referenceHalf(_ bits: UInt16) -> Float {
        let sign: FloatingPointSign = bits & 0x8000 == 0 ? .plus : .minus
        let exponent = Int(bits >> 10) & 0x1F
        let fraction = Float(bits & 0x03FF)
        switch exponent {
        case 0: return Float(sign: sign, exponent: -24, significand: fraction)
        case 31:
            let magnitude: Float = fraction == 0 ? .infinity : .nan
            return sign == .plus ? magnitude : -magnitude
        default: return Float(sign: sign, exponent: exponent - 15, significand: 1 + fraction / 1024)
        }
    }

    private func littleEndianBytes(_ values: [UInt16]) -> Data {
        var data = Data(capacity: values.count * 2)
        for value in values {
            withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    private func littleEndianValues(_ data: Data) -> [UInt16] {
        stride(from: data.startIndex, to: data.endIndex, by: 2).map { UInt16(data[$0]) | UInt16(data[$0 + 1]) << 8 }
    }

    private func assertBitEqual(_ actual: [Float], _ expected: [Float], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, file: file, line: line)
        let mismatches = zip(actual, expected).enumerated().filter { $0.element.0.bitPattern != $0.element.1.bitPattern }
        XCTAssertTrue(mismatches.isEmpty, "\(mismatches.count) bit mismatches, first: \(mismatches.prefix(5))", file: file, line: line)
    }
}
