import Foundation

/// Finds a key given twice in one object of a JSON text: the one scanner behind every reader of biasaudit's JSON
/// inputs that must refuse such a file (results and completions files, safetensors headers, `config.json`).
///
/// RFC 8259 §4 leaves the meaning of a repeated name open, and readers disagree: `JSONDecoder` keeps the first,
/// `JSONSerialization`, Python's `json` and the `safetensors` crate (serde) the last. A file read one way here and
/// another way by Hugging Face would audit one model and deploy another under the same digest.
public enum JSONRepeatedKeys {
    /// Two places of one key in one object.
    public struct Repetition: Sendable, Equatable {
        /// The key as written at its second place, escapes decoded.
        public let spelling: String
        /// Its byte offset (the opening quote).
        public let offset: Int
        /// The key as written at its first place (differs from `spelling` only when `key` folds spellings).
        public let firstSpelling: String
        /// The byte offset of the first place.
        public let firstOffset: Int

        @usableFromInline
        init(spelling: String, offset: Int, firstSpelling: String, firstOffset: Int) {
            self.spelling = spelling
            self.offset = offset
            self.firstSpelling = firstSpelling
            self.firstOffset = firstOffset
        }
    }

    /// The index of the quote that closes the JSON string whose opening quote is at `start` (`bytes.count` when none
    /// does), and whether the string holds an escape. Shared by the scanners that read JSON as bytes.
    public static func endOfString(in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (end: Int, escaped: Bool) {
        var index = start + 1
        var escaped = false
        while index < bytes.count, bytes[index] != 0x22 {
            if bytes[index] == 0x5C {
                escaped = true
                index += 1
            }
            index += 1
        }
        return (min(index, bytes.count), escaped)
    }

    /// The first key repeated in one object of `data`, which must be valid JSON (call it after a successful parse),
    /// or nil. Keys are compared after their escapes are decoded (`"a"` and `"\u0061"` are one key) and after `key`.
    /// - Parameters:
    ///   - root: the state of the outermost container's parent.
    ///   - open: the state of a container opened inside one of state `parent` (`root` at the top), under the key
    ///     `parentKey` when the parent is an object (nil in an array or at the top); `isObject` tells its kind.
    ///   - key: what a key spelled so counts as in an object of state `state` (e.g. a decoder's folded name).
    ///
    /// Inlinable, so that each caller gets it specialised for its `State` and closures: the generic version looked up
    /// type metadata and witness tables for every key, a third of its time on the lines of a completions file.
    @inlinable
    public static func first<State>(
        in data: Data, root: State, open: (_ parent: State, _ parentKey: String?, _ isObject: Bool) -> State,
        key: (_ spelling: String, _ state: State) -> String
    ) -> Repetition? {
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Repetition? in
            let bytes = buffer.bindMemory(to: UInt8.self)
            let quote: UInt8 = 0x22, comma: UInt8 = 0x2C
            let openObject: UInt8 = 0x7B, closeObject: UInt8 = 0x7D, openArray: UInt8 = 0x5B, closeArray: UInt8 = 0x5D
            var stack: [OpenContainer<State>] = []
            var expectingKey = false
            var index = 0
            func push(object: Bool) {
                let parent = stack.last
                let state = open(parent?.state ?? root, parent?.keys != nil ? parent?.lastKey : nil, object)
                stack.append(OpenContainer(keys: object ? [:] : nil, lastKey: nil, state: state))
            }
            while index < bytes.count {
                switch bytes[index] {
                case openObject:
                    push(object: true)
                    expectingKey = true
                case openArray:
                    push(object: false)
                    expectingKey = false
                case closeObject, closeArray:
                    if !stack.isEmpty { stack.removeLast() }
                    expectingKey = false
                case comma:
                    expectingKey = stack.last.map { $0.keys != nil } ?? false
                case quote:
                    let start = index
                    let escaped: Bool
                    (index, escaped) = JSONRepeatedKeys.endOfString(in: bytes, at: start)
                    guard expectingKey, let top = stack.indices.last, stack[top].keys != nil else { break }
                    expectingKey = false
                    let raw = UnsafeBufferPointer(rebasing: bytes[start...min(index, bytes.count - 1)])
                    let spelling = escaped
                        ? (try? JSONSerialization.jsonObject(with: Data(raw), options: [.fragmentsAllowed])) as? String
                            ?? String(decoding: raw, as: UTF8.self)
                        : String(decoding: raw.dropFirst().dropLast(), as: UTF8.self)
                    let counted = key(spelling, stack[top].state)
                    if let first = stack[top].keys![counted] {
                        return Repetition(
                            spelling: spelling, offset: start, firstSpelling: first.spelling, firstOffset: first.offset)
                    }
                    stack[top].keys![counted] = (start, spelling)
                    stack[top].lastKey = spelling
                default:
                    break
                }
                index += 1
            }
            return nil
        }
    }

    /// The first key repeated in one object of `data` as written (no folding), or nil.
    public static func first(in data: Data) -> Repetition? {
        first(in: data, root: (), open: { _, _, _ in () }, key: { spelling, _ in spelling })
    }
}

/// A container open during `JSONRepeatedKeys.first`: an object's keys so far (as counted) with their offsets and
/// spellings (nil for an array), the last key (the one a nested container belongs to), and its state.
@usableFromInline
struct OpenContainer<State> {
    @usableFromInline var keys: [String: (offset: Int, spelling: String)]?
    @usableFromInline var lastKey: String?
    @usableFromInline let state: State

    @usableFromInline
    init(keys: [String: (offset: Int, spelling: String)]?, lastKey: String?, state: State) {
        self.keys = keys
        self.lastKey = lastKey
        self.state = state
    }
}
