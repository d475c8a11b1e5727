/// Builds `Node` trees with Swift's result-builder syntax. A `String` in a builder block is text (escaped).
@resultBuilder
public enum NodeBuilder {
    public static func buildBlock(_ parts: Node...) -> Node { .fragment(parts) }
    public static func buildExpression(_ node: Node) -> Node { node }
    public static func buildExpression(_ text: String) -> Node { .text(text) }
    public static func buildExpression(_ nodes: [Node]) -> Node { .fragment(nodes) }
    public static func buildOptional(_ node: Node?) -> Node { node ?? .empty }
    public static func buildEither(first: Node) -> Node { first }
    public static func buildEither(second: Node) -> Node { second }
    public static func buildArray(_ nodes: [Node]) -> Node { .fragment(nodes) }
    public static func buildLimitedAvailability(_ node: Node) -> Node { node }
}

extension Attribute {
    /// `class="…"`.
    public static func cls(_ value: String) -> Attribute { Attribute("class", value) }
    /// `id="…"`.
    public static func id(_ value: String) -> Attribute { Attribute("id", value) }
    /// `href="…"` (refused unless relative or http(s)).
    public static func href(_ value: String) -> Attribute { Attribute("href", value) }
    /// `name="…"`.
    public static func name(_ value: String) -> Attribute { Attribute("name", value) }
    /// `value="…"`.
    public static func value(_ value: String) -> Attribute { Attribute("value", value) }
    /// `type="…"`.
    public static func type(_ value: String) -> Attribute { Attribute("type", value) }
    /// `data-NAME="…"`.
    public static func data(_ name: String, _ value: String) -> Attribute { Attribute("data-" + name, value) }
    /// `title="…"` (a tooltip).
    public static func title(_ value: String) -> Attribute { Attribute("title", value) }
    /// A boolean attribute (`disabled`, `checked`, `required`…).
    public static func flag(_ name: String) -> Attribute { Attribute(name, nil) }
}

/// Element constructors. `el` is the general form; the others are shorthands for the tags the pages use.
public enum H {
    /// `<tag attributes>children</tag>`.
    public static func el(_ tag: String, _ attributes: [Attribute] = [], @NodeBuilder _ content: () -> Node = { .empty }) -> Node {
        .element(tag, attributes, [content()])
    }

    /// A void element: `<tag attributes>`.
    public static func void(_ tag: String, _ attributes: [Attribute] = []) -> Node { .void(tag, attributes) }

    public static func div(_ attributes: Attribute..., @NodeBuilder content: () -> Node = { .empty }) -> Node { el("div", attributes, content) }
    public static func span(_ attributes: Attribute..., @NodeBuilder content: () -> Node = { .empty }) -> Node { el("span", attributes, content) }
    public static func p(_ attributes: Attribute..., @NodeBuilder content: () -> Node = { .empty }) -> Node { el("p", attributes, content) }
    public static func h1(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("h1", attributes, content) }
    public static func h2(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("h2", attributes, content) }
    public static func h3(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("h3", attributes, content) }
    public static func section(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("section", attributes, content) }
    public static func pre(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("pre", attributes, content) }
    public static func code(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("code", attributes, content) }
    public static func strong(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("strong", attributes, content) }
    public static func small(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("small", attributes, content) }
    public static func ul(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("ul", attributes, content) }
    public static func li(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("li", attributes, content) }
    public static func dl(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("dl", attributes, content) }
    public static func dt(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("dt", attributes, content) }
    public static func dd(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("dd", attributes, content) }
    public static func table(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("table", attributes, content) }
    public static func thead(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("thead", attributes, content) }
    public static func tbody(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("tbody", attributes, content) }
    public static func tr(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("tr", attributes, content) }
    public static func th(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("th", attributes, content) }
    public static func td(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("td", attributes, content) }
    public static func label(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("label", attributes, content) }
    public static func button(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("button", attributes, content) }
    public static func select(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("select", attributes, content) }
    public static func option(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("option", attributes, content) }
    public static func nav(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("nav", attributes, content) }
    public static func main(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("main", attributes, content) }
    public static func header(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("header", attributes, content) }
    public static func footer(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("footer", attributes, content) }
    public static func details(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("details", attributes, content) }
    public static func summary(_ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node { el("summary", attributes, content) }
    public static func a(href: String, _ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node {
        el("a", [.href(href)] + attributes, content)
    }
    public static func input(_ attributes: Attribute...) -> Node { void("input", attributes) }
    public static func br() -> Node { void("br") }

    /// A POST form. Every form the console renders carries the CSRF token as a hidden field (`csrf`).
    public static func form(action: String, csrf: String, _ attributes: Attribute..., @NodeBuilder content: () -> Node) -> Node {
        el("form", [Attribute("method", "post"), Attribute("action", action)] + attributes) {
            input(.type("hidden"), .name(CSRF.fieldName), .value(csrf))
            content()
        }
    }
}
