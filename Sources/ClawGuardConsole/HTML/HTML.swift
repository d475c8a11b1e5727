/// The console's HTML builder. Everything is escaped by default: text children and attribute values go through
/// `HTMLEscape`, tag and attribute names must be lowercase identifiers from code, URL attributes must be relative
/// or http(s), and event-handler (`on…`) and `style` attributes are refused (the Content-Security-Policy would block
/// them anyway). The only way to put markup in as is, is `TrustedHTML(unescaped:)` — greppable, used for constant
/// markup written in this module only.
///
/// Agents put attacker-controlled text in commands, outputs, session ids and reasons; every page takes such text
/// as `String` and it can only ever reach the document as text.
public indirect enum Node: Sendable {
    /// An element: tag, attributes (in order), children.
    case element(String, [Attribute], [Node])
    /// A void element (`<input>`, `<br>`, `<meta>`…): no children, no closing tag.
    case void(String, [Attribute])
    /// Text, escaped when rendered.
    case text(String)
    /// Markup written in this module that must not be escaped (a doctype, an entity). Never attacker text.
    case trusted(TrustedHTML)
    /// Several nodes, rendered one after the other.
    case fragment([Node])

    /// The empty fragment.
    public static let empty = Node.fragment([])
}

/// Markup put into a page without escaping. The initialiser's label is deliberately loud: `grep -rn "unescaped:"`
/// lists every use. Only constant strings written in this module belong here.
public struct TrustedHTML: Sendable, Hashable {
    /// The markup.
    public let markup: String

    /// Wraps constant, trusted markup. Never pass text that came from a request, the store or an agent.
    public init(unescaped markup: StaticString) {
        self.markup = markup.description
    }
}

/// One attribute: a name from code and a value that is escaped when rendered.
public struct Attribute: Sendable, Hashable {
    public let name: String
    /// nil: a boolean attribute (`disabled`, `checked`), rendered as the name alone.
    public let value: String?

    /// An attribute. `name` must be an identifier (letters, digits, `-`, `:`); other names, `on…` event
    /// handlers and `style` are dropped when rendering (fail closed: the attribute is lost, never injected).
    public init(_ name: String, _ value: String?) {
        self.name = name
        self.value = value
    }
}

/// Renders nodes to a string.
public enum HTMLRenderer {
    /// Elements whose content the HTML parser treats as raw text: the builder never puts children in them.
    static let rawTextElements: Set<String> = ["script", "style", "textarea", "title", "xmp", "iframe", "noembed",
                                                "noframes", "noscript", "plaintext"]
    /// Elements the console never creates, whatever the caller asks.
    static let forbiddenElements: Set<String> = ["script", "style", "iframe", "object", "embed", "base", "frame",
                                                  "frameset", "noscript", "xmp", "plaintext"]
    /// Attributes whose value is a URL.
    static let urlAttributes: Set<String> = ["href", "src", "action", "formaction", "xlink:href", "poster", "cite",
                                              "data", "background", "manifest"]
    /// Attributes never rendered (inline style and script, which the CSP forbids, and `srcdoc`).
    static let forbiddenAttributes: Set<String> = ["style", "srcdoc"]

    /// The document as a string: `<!DOCTYPE html>` followed by `node`.
    public static func document(_ node: Node) -> String {
        var out = "<!DOCTYPE html>\n"
        render(node, into: &out)
        return out
    }

    /// `node` as a string.
    public static func render(_ node: Node) -> String {
        var out = ""
        render(node, into: &out)
        return out
    }

    static func render(_ node: Node, into out: inout String) {
        switch node {
        case .text(let text):
            HTMLEscape.text(text, into: &out)
        case .trusted(let trusted):
            out += trusted.markup
        case .fragment(let nodes):
            for child in nodes { render(child, into: &out) }
        case .void(let tag, let attributes):
            guard isSafeName(tag), !forbiddenElements.contains(tag) else { return }
            out += "<" + tag
            renderAttributes(attributes, into: &out)
            out += ">"
        case .element(let tag, let attributes, let children):
            guard isSafeName(tag), !forbiddenElements.contains(tag) else { return }
            out += "<" + tag
            renderAttributes(attributes, into: &out)
            out += ">"
            if rawTextElements.contains(tag) {
                // Raw-text content cannot be escaped reliably; only text is allowed and `<`/`&` are escaped.
                for child in children { renderTextOnly(child, into: &out) }
            } else {
                for child in children { render(child, into: &out) }
            }
            out += "</" + tag + ">"
        }
    }

    /// The text of `node` and its fragments, escaped; elements and trusted markup are dropped.
    static func renderTextOnly(_ node: Node, into out: inout String) {
        switch node {
        case .text(let text): HTMLEscape.text(text, into: &out)
        case .fragment(let nodes): for child in nodes { renderTextOnly(child, into: &out) }
        case .element, .void, .trusted: break
        }
    }

    static func renderAttributes(_ attributes: [Attribute], into out: inout String) {
        for attribute in attributes {
            let name = attribute.name
            let lower = name.lowercased()
            guard isSafeName(name, allowUppercase: true), !lower.hasPrefix("on"), !forbiddenAttributes.contains(lower)
            else { continue }
            out += " " + name
            guard var value = attribute.value else { continue }
            if urlAttributes.contains(lower) && !isSafeURL(value) { value = "#" }
            out += "=\""
            HTMLEscape.attribute(value, into: &out)
            out += "\""
        }
    }

    /// A lowercase ASCII letter first, then letters, digits, `-` or `:` (uppercase letters only where allowed:
    /// SVG attributes such as `viewBox`).
    static func isSafeName(_ name: String, allowUppercase: Bool = false) -> Bool {
        guard let first = name.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (allowUppercase && (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte))
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ":")
        }
    }

    /// A URL the console may link to: a path on this server (`/…` but not `//…`), a fragment, a query, or
    /// an http(s) URL. Anything else (`javascript:`, `data:`, `vbscript:`, protocol-relative) is refused.
    static func isSafeURL(_ url: String) -> Bool {
        // Browsers ignore ASCII whitespace and control characters inside a scheme; refuse them outright.
        if url.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || $0 == "\\" }) { return false }
        if url.hasPrefix("//") { return false }
        if url.hasPrefix("/") || url.hasPrefix("#") || url.hasPrefix("?") { return true }
        let lower = url.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://")
    }
}

/// HTML escaping for the two contexts the builder writes: text and double-quoted attribute values.
public enum HTMLEscape {
    /// Escapes `&`, `<`, `>`, `"`, `'` and replaces NUL and other C0 controls (but tab, LF, CR) with U+FFFD.
    public static func text(_ string: String, into out: inout String) {
        for scalar in string.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
    }

    /// Escapes for a double-quoted attribute value: as `text`, and tab/LF/CR as character references too.
    public static func attribute(_ string: String, into out: inout String) {
        for scalar in string.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
    }

    /// `string` escaped for text.
    public static func text(_ string: String) -> String {
        var out = ""
        text(string, into: &out)
        return out
    }

    /// `string` escaped for an attribute value.
    public static func attribute(_ string: String) -> String {
        var out = ""
        attribute(string, into: &out)
        return out
    }
}
