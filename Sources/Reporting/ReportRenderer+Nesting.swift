import AuditResults
import Mustache
import PromptSets

extension ReportRenderer {
    /// The deepest nesting a template may reach, counting sections (`{{#…}}`, `{{^…}}`) and partial
    /// inclusions (`{{> …}}`, `{{< …}}`) along every chain of partials: parsing and rendering recurse once
    /// per level, so thousands of nested sections, or a partial that includes itself (directly or through
    /// others), would overflow the stack (README, "Limits").
    static let maximumSectionDepth = 100

    /// One tag of a template that matters for nesting, with its 1-based line.
    enum NestingTag: Equatable {
        /// `{{#name}}` or `{{^name}}` (or a block `{{$name}}`, a parent `{{< name}}`), its sigil, and the byte offset where
        /// its body starts.
        case open(line: Int, name: String, body: Int, sigil: Character)
        /// `{{/name}}`, and its byte offset (where the body of the section it closes ends).
        case close(at: Int)
        /// `{{> name}}` or `{{< name}}` (a parent); `dynamic` for `{{>*name}}`, whose name comes from the data.
        case partial(name: String, dynamic: Bool, line: Int)
        /// An opening delimiter that no closing one follows (the last tag of the text), with the delimiters in force.
        case unclosed(line: Int, open: String, close: String)
        /// A value printed without escaping: `{{{name}}}` or `{{& name}}`.
        case unescaped(name: String, line: Int)
        /// A pragma, `{{% CONTENT_TYPE: TEXT}}`.
        case pragma(line: Int)
    }

    /// The nesting tags of a Mustache template in order, following set-delimiter tags (`{{=<% %>=}}`) as the
    /// parser does, so that changed delimiters cannot hide a section or a partial. One pass over the text.
    static func nestingTags(_ text: String) -> [NestingTag] {
        let bytes = Array(text.utf8)
        var open = Array("{{".utf8)
        var close = Array("}}".utf8)
        var tags: [NestingTag] = []
        var line = 1
        var index = 0
        func matches(_ pattern: [UInt8], at position: Int) -> Bool {
            position + pattern.count <= bytes.count && Array(bytes[position..<(position + pattern.count)]) == pattern
        }
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\n") { line += 1 }
            guard matches(open, at: index) else {
                index += 1
                continue
            }
            let tagLine = line
            var end = index + open.count
            while end < bytes.count, !matches(close, at: end) {
                if bytes[end] == UInt8(ascii: "\n") { line += 1 }
                end += 1
            }
            guard end < bytes.count else {
                tags.append(.unclosed(
                    line: tagLine, open: String(decoding: open, as: UTF8.self), close: String(decoding: close, as: UTF8.self)))
                break
            }
            let content = String(decoding: bytes[(index + open.count)..<min(end, bytes.count)], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let tagStart = index
            index = min(end + close.count, bytes.count)
            guard let sigil = content.first else { continue }
            let name = content.dropFirst().trimmingCharacters(in: .whitespacesAndNewlines)
            switch sigil {
            case "#", "^", "$":
                tags.append(.open(line: tagLine, name: name, body: index, sigil: sigil))
            case "/":
                tags.append(.close(at: tagStart))
            case ">", "<":
                let dynamic = name.hasPrefix("*")
                tags.append(.partial(
                    name: dynamic ? name.dropFirst().trimmingCharacters(in: .whitespaces) : name, dynamic: dynamic,
                    line: tagLine))
                // `{{< parent}}` opens a block closed by `{{/parent}}`.
                if sigil == "<" { tags.append(.open(line: tagLine, name: name, body: index, sigil: sigil)) }
            case "{", "&":
                // `{{{name}}}` leaves its third brace after the closing delimiter; `<%{name}%>` keeps it in the content.
                tags.append(.unescaped(name: name.hasSuffix("}") ? String(name.dropLast()).trimmingCharacters(in: .whitespacesAndNewlines) : name,
                                       line: tagLine))
            case "%":
                tags.append(.pragma(line: tagLine))
            case "=":
                // `{{=<% %>=}}`: the new opening and closing delimiters, separated by white space of any kind, a line
                // break or a no-break space included, as the parser reads them (a review: `{{=<%\n%>=}}` hid every tag
                // after it from these checks, a self-including partial among them, which then overflowed the stack).
                let parts = content.dropFirst().dropLast().split(whereSeparator: \.isWhitespace)
                if content.hasSuffix("="), parts.count == 2 {
                    open = Array(parts[0].utf8)
                    close = Array(parts[1].utf8)
                }
            default:
                break
            }
        }
        return tags
    }

    /// Refuses a template that an HTML report with templates of the user's includes (through any chain of partials,
    /// whatever the partial's name, a bundled Markdown partial too) and prints a value without HTML escaping: `{{{value}}}` or `{{& value}}` other than a chart's
    /// `{{{svg}}}` and the sweep charts' `{{{.}}}` inside `{{#svg}}`, or a pragma such as `{{% CONTENT_TYPE: TEXT}}`,
    /// which turns the escaping of `{{value}}` off. Markdown templates print every value so (their values are escaped
    /// for Markdown beforehand); in HTML the template's `{{…}}` is the escaping, and a user who copied the Markdown
    /// habit printed a completion's `<script>` live (hostile reviews).
    /// - Throws: ``AuditError/badInput(path:reason:)`` naming the file and line.
    static func checkUnescapedHTML(_ texts: [String: String], custom: Set<String>, files: [String: String]) throws {
        guard !custom.isEmpty else { return }
        let tags = texts.mapValues(nestingTags)
        var pending = texts.keys.filter { $0.hasSuffix(".html") }
        var reached = Set<String>()
        while let name = pending.popLast() {
            guard reached.insert(name).inserted else { continue }
            for case .partial(let partial, _, _) in tags[name] ?? [] where texts[partial] != nil { pending.append(partial) }
        }
        // Every template reached, the bundled ones too: a bundled Markdown partial included from a user's HTML template
        // prints its values unescaped for HTML (a hostile review: `{{> partials/md-set}}` put a completion's <script>
        // into report.html). The bundled HTML templates print only charts so, and pass.
        for name in reached.sorted() {
            var sections: [String] = []
            let bundled = custom.contains(name) ? "" : " (a bundled Markdown template, which a template of yours includes "
                + "in the HTML report, directly or through another; include the HTML ones there: partials/html-set, not "
                + "partials/md-set)"
            let place = { (line: Int) in "line \(line)\(bundled)" }
            for tag in tags[name] ?? [] {
                switch tag {
                // The sigil too: `{{^svg}}` and `{{$svg}}` leave `.` the enclosing value (a review: a description printed raw).
                case .open(_, let section, _, let sigil): sections.append(String(sigil) + section)
                case .close: _ = sections.popLast()
                case .pragma(let line):
                    throw AuditError.badInput(
                        path: files[name] ?? name + ".mustache",
                        reason: "\(place(line)): a pragma ({{% …}}) in a template of an HTML report, which could turn off "
                            + "its HTML escaping; remove it")
                case .unescaped(let value, let line):
                    if value == "svg" || (value == "." && sections.last == "#svg") { continue }
                    throw AuditError.badInput(
                        path: files[name] ?? name + ".mustache",
                        reason: "\(place(line)): {{{\(TextEscaping.excerpt(value))}}} prints its value without HTML escaping "
                            + "in an HTML report, so a completion, label or model id holding <script> would be live HTML; "
                            + "write {{\(TextEscaping.excerpt(value))}} (only a chart's {{{svg}}}, which biasaudit draws "
                            + "itself, is printed so)")
                case .partial, .unclosed: break
                }
            }
        }
    }

    /// The 1-based line of a tag opened by `{{` (or the set delimiter) that no closing delimiter follows, with the
    /// delimiters in force there, or nil. The parser drops such a tail at the end of the text without a word (`X{{`
    /// rendered as `X`: review).
    static func unclosedTag(_ text: String) -> (line: Int, open: String, close: String)? {
        for case .unclosed(let line, let open, let close) in nestingTags(text) { return (line, open, close) }
        return nil
    }

    /// The 1-based line where a template's own section nesting first exceeds ``maximumSectionDepth``, or `nil`.
    static func lineBeyondNestingLimit(_ text: String) -> Int? {
        var depth = 0
        for tag in nestingTags(text) {
            switch tag {
            case .open(let line, _, _, _):
                depth += 1
                if depth > maximumSectionDepth { return line }
            case .close:
                depth = max(depth - 1, 0)
            case .partial, .unclosed, .unescaped, .pragma:
                break
            }
        }
        return nil
    }

    /// Checks the partials of a set of templates before any is parsed: every partial included exists, no partial
    /// includes itself through any chain, no name is chosen by the data (`{{>*name}}`), and no chain of sections and
    /// partials nests deeper than ``maximumSectionDepth``.
    /// - Parameters:
    ///   - texts: each template's text by the name partials include it by (`partials/html-set`).
    ///   - files: each template's file, for messages.
    /// - Throws: ``AuditError/badInput(path:reason:)`` (exit 65) naming the file, the line and the chain of
    ///   partials (`report.html → partials/a → partials/b → partials/a`).
    static func checkPartials(_ texts: [String: String], files: [String: String]) throws {
        let tags = texts.mapValues(nestingTags)
        // The deepest nesting each template reaches with its partials expanded (memoised); `onPath` holds the
        // chain being expanded, to tell a cycle from a partial used twice.
        var depths: [String: Int] = [:]
        var onPath: [String] = []

        func depth(of name: String) throws -> Int {
            if let known = depths[name] { return known }
            // Each inclusion adds a level: a chain longer than the limit is refused before it is followed
            // (this check recurses once per partial too).
            guard onPath.count < maximumSectionDepth else {
                throw AuditError.badInput(
                    path: files[onPath[0]] ?? onPath[0] + ".mustache",
                    reason: "partials include each other more than \(maximumSectionDepth) deep ("
                        + "\(TextEscaping.excerpt((onPath + [name]).joined(separator: " → "), limit: 300))) (README, "
                        + "\"Limits\"); flatten the templates")
            }
            onPath.append(name)
            defer { onPath.removeLast() }
            var current = 0
            var deepest = 0
            for tag in tags[name] ?? [] {
                switch tag {
                case .open:
                    current += 1
                    deepest = max(deepest, current)
                case .close:
                    current = max(current - 1, 0)
                case .unclosed, .unescaped, .pragma:
                    break
                case .partial(let partial, let dynamic, let line):
                    let place = "\(files[name] ?? name + ".mustache"):\(line)"
                    if dynamic {
                        throw AuditError.badInput(
                            path: place,
                            reason: "the partial name '*\(TextEscaping.excerpt(partial))' is taken from the report's data; "
                                + "biasaudit's templates include partials by fixed names only: write {{> partials/NAME}}")
                    }
                    // A missing partial would render as nothing (a hostile review: a misspelt {{> partials/md-sets}}
                    // dropped every set's section, exit 0).
                    guard tags[partial] != nil else {
                        let known = tags.keys.filter { $0.hasPrefix("partials/") }.sorted()
                        throw AuditError.badInput(
                            path: place,
                            reason: "the partial '\(TextEscaping.excerpt(partial))' does not exist (no such template among "
                                + "--templates and the bundled ones), so it would render as nothing; include one of "
                                + TextEscaping.excerpt(known.joined(separator: ", "), limit: 400))
                    }
                    if let start = onPath.firstIndex(of: partial) {
                        let chain = (onPath[start...] + [partial]).joined(separator: " → ")
                        throw AuditError.badInput(
                            path: place,
                            reason: "the partial '\(TextEscaping.excerpt(partial))' includes itself (\(TextEscaping.excerpt(chain, limit: 300))), "
                                + "which would never end; remove the {{> \(TextEscaping.excerpt(partial))}} that closes the loop")
                    }
                    deepest = max(deepest, current + 1 + (try depth(of: partial)))
                }
                if deepest > maximumSectionDepth {
                    let chain = onPath.joined(separator: " → ")
                    throw AuditError.badInput(
                        path: files[name] ?? name + ".mustache",
                        reason: "sections and partials are nested more than \(maximumSectionDepth) deep along "
                            + "\(TextEscaping.excerpt(chain, limit: 300)) (README, \"Limits\"); flatten the templates")
                }
            }
            depths[name] = deepest
            return deepest
        }

        for name in texts.keys.sorted() { _ = try depth(of: name) }

        // The size of each template with its partials written out: a partial included twice by a partial included
        // twice, and so on, doubles the text at every level (28 levels rendered for minutes and 837 MB without
        // looking up a single value).
        let sizes = expandedSizes(texts, tags: tags)
        for name in texts.keys.sorted() where sizes[name, default: 0] > maximumExpandedSize {
            throw AuditError.badInput(
                path: files[name] ?? name + ".mustache",
                reason: "with its partials written out the template is larger than \(maximumExpandedSize / 1_000_000) MB "
                    + "(partials included several times by partials included several times; README, \"Limits\"); "
                    + "flatten the templates")
        }
    }

    /// The largest a template may be with its partials written out, in bytes: the shipped report templates are
    /// below 40 KB.
    static let maximumExpandedSize = 16_000_000

    /// The size in bytes of each template with its partials written out (memoised), at most `Int.max / 2`. Only for
    /// templates whose partials include no chain back to themselves (`checkPartials` refuses those first).
    static func expandedSizes(_ texts: [String: String], tags: [String: [NestingTag]]) -> [String: Int] {
        var sizes: [String: Int] = [:]
        func expandedSize(of name: String) -> Int {
            if let known = sizes[name] { return known }
            var size = texts[name]?.utf8.count ?? 0
            for case .partial(let partial, _, _) in tags[name] ?? [] where tags[partial] != nil {
                size = min(size + expandedSize(of: partial), Int.max / 2)
            }
            sizes[name] = size
            return size
        }
        for name in texts.keys.sorted() { _ = expandedSize(of: name) }
        return sizes
    }

    /// For each section name (its last component: `models` for `{{#glance.models}}`), the most text one rendering
    /// of the body of such a section can write but for the values it prints: the body's bytes with the partials it
    /// includes written out, the largest over the templates' sections of that name. An upper bound: a nested
    /// section's text counts in its own body and again in every enclosing one. ``RenderBudget`` charges it for
    /// every item of a list such a section goes over. Only for templates that passed `checkPartials`.
    static func sectionBodySizes(_ texts: [String: String]) -> [String: Int] {
        let tags = texts.mapValues(nestingTags)
        let expanded = expandedSizes(texts, tags: tags)
        var sizes: [String: Int] = [:]
        for list in tags.values {
            var open: [(name: String, body: Int, partials: Int)] = []
            for tag in list {
                switch tag {
                case .open(_, let name, let body, _):
                    open.append((name, body, 0))
                case .close(let end):
                    guard let section = open.popLast() else { continue }
                    let key = String(section.name.split(separator: ".").last ?? "")
                    let size = min(max(end - section.body, 0) + section.partials, Int.max / 4)
                    sizes[key] = max(sizes[key] ?? 0, size)
                    if !open.isEmpty { open[open.count - 1].partials = min(open[open.count - 1].partials + section.partials, Int.max / 4) }
                case .partial(let partial, _, _):
                    if !open.isEmpty { open[open.count - 1].partials = min(open[open.count - 1].partials + (expanded[partial] ?? 0), Int.max / 4) }
                case .unclosed, .unescaped, .pragma:
                    break
                }
            }
        }
        return sizes
    }

    /// The words of a Mustache parser error: what is wrong in plain words (a hostile review: "not a valid Mustache template
    /// (expectedSectionEnd); fix the tag near ``", an enum case's name and an empty excerpt), the section left open by its
    /// name and line, and the line's text where it has any.
    static func parserFault(_ error: MustacheTemplate.ParserError, text: String) -> String {
        let place = "line \(error.context.lineNumber), column \(error.context.columnNumber)"
        let near = error.context.line.trimmingCharacters(in: .whitespaces)
        let excerpt = near.isEmpty ? "" : " (near `\(TextEscaping.excerpt(near))`)"
        switch error.error as? MustacheTemplate.Error {
        case .expectedSectionEnd?:
            // The innermost section still open at the end: opened and not closed, in order.
            var open: [(line: Int, name: String)] = []
            for tag in nestingTags(text) {
                switch tag {
                case .open(let line, let name, _, _): open.append((line, name))
                case .close: _ = open.popLast()
                default: break
                }
            }
            let section = open.last.map { "the section {{#\(TextEscaping.excerpt($0.name))}} opened at line \($0.line)" }
                ?? "a section"
            return "\(place): \(section) is never closed; close it with {{/…}} of the same name"
        case .sectionCloseNameIncorrect?:
            return "\(place)\(excerpt): a section is closed with another name than it was opened with; close the innermost "
                + "open section first, with its own name"
        case .unfinishedName?:
            return "\(place)\(excerpt): a tag's name is not finished; end it with }}"
        case .invalidSetDelimiter?:
            return "\(place)\(excerpt): a set-delimiter tag is badly formed; write it as {{=<% %>=}}"
        default:
            return "\(place)\(excerpt): not a valid Mustache template (\(error.error)); fix the tag there"
        }
    }
}
