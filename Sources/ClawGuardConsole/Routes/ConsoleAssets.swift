/// The console's static files, compiled in (no resource bundle to ship beside a static binary). The script is the
/// only JavaScript the console runs; the CSP allows no other.
public enum ConsoleAssets {
    /// File name → (content type, body).
    public static let files: [String: (contentType: String, body: String)] = [
        "console.js": ("text/javascript; charset=utf-8", script),
        "console.css": ("text/css; charset=utf-8", stylesheet),
        "favicon.svg": ("image/svg+xml", favicon),
    ]

    /// The tab icon. Linked from every page so that browsers do not ask for `/favicon.ico`, which is outside the
    /// console: the gateway would answer 401 and count it as a failed authentication towards the address's lockout.
    public static let favicon = #"""
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#101828"/><path d="M4 11 L8 3 L12 11 Z" fill="#5b8def"/></svg>
    """#

    static func response(for name: String) -> ConsoleResponse? {
        guard let file = files[name] else { return nil }
        return ConsoleResponse(status: 200, headers: [("Content-Type", file.contentType)], body: file.body)
    }

    /// Live updates: polls the pending-approvals fragment every 2 s and swaps it in when the set of pending ids
    /// changed; keeps the navigation badge current on every page. No inline handlers, no eval, no innerHTML of
    /// anything but the server's own escaped markup (parsed with DOMParser, which runs no scripts).
    public static let script = #"""
    "use strict";
    (function () {
      var POLL_MS = 2000;
      var pending = document.getElementById("pending");
      var badge = document.getElementById("pending-count");
      var status = document.getElementById("live-status");
      var url = "/ui/approvals/pending";
      if (!pending && !badge) { return; }

      function version(node) {
        var list = node && node.querySelector(".pending-list");
        return list ? list.getAttribute("data-version") : null;
      }

      function busy() {
        // Do not replace a form the user is typing in.
        var active = document.activeElement;
        return !!(pending && active && pending.contains(active) && active.tagName === "INPUT");
      }

      function update(text) {
        var doc = new DOMParser().parseFromString(text, "text/html");
        var list = doc.querySelector(".pending-list");
        if (!list) { return; }
        var count = list.getAttribute("data-count");
        if (badge && count !== null) {
          badge.textContent = count;
          badge.className = count === "0" ? "badge" : "badge badge-hot";
        }
        if (pending && version(pending) !== list.getAttribute("data-version") && !busy()) {
          pending.replaceChildren(document.importNode(list, true));
        }
        if (status) { status.textContent = "Pending requests update live (last checked " + new Date().toLocaleTimeString() + ")."; }
      }

      function poll() {
        fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" }, cache: "no-store" })
          .then(function (response) {
            if (response.status === 401) {
              if (status) { status.textContent = "Logged out: reload the page to log in again."; }
              return null;
            }
            return response.ok ? response.text() : null;
          })
          .then(function (text) { if (text) { update(text); } })
          .catch(function () { if (status) { status.textContent = "Live updates paused: the server did not answer."; } })
          .finally(function () { window.setTimeout(poll, pending ? POLL_MS : POLL_MS * 3); });
      }
      window.setTimeout(poll, pending ? POLL_MS : POLL_MS * 3);
    })();
    """#

    /// The stylesheet (no inline styles anywhere: the CSP forbids them).
    public static let stylesheet = #"""
    :root { --fg: #1d232b; --muted: #667085; --bg: #f6f7f9; --card: #fff; --line: #dde1e6; --accent: #2f5bd3;
            --ok: #1f8a4c; --warn: #b7791f; --bad: #c0392b; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
    a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
    header.top { display: flex; align-items: center; gap: 18px; padding: 10px 20px; background: #101828; color: #fff; }
    header.top a { color: #d0d5dd; } header.top a.current { color: #fff; font-weight: 600; }
    header.top .brand { color: #fff; font-weight: 700; font-size: 16px; }
    header.top nav { display: flex; gap: 14px; flex: 1; }
    header.top form.logout { display: flex; gap: 8px; align-items: center; }
    header.top .who { color: #98a2b3; }
    main { max-width: 1200px; margin: 0 auto; padding: 16px 20px 40px; }
    h1 { font-size: 22px; margin: 8px 0 14px; } h2 { font-size: 15px; margin: 4px 0 10px; } h3 { font-size: 13px; margin: 12px 0 6px; }
    .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin-bottom: 14px; overflow-x: auto; }
    .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 14px; }
    .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin-bottom: 14px; }
    .tile { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
    .tile-hot { border-color: var(--bad); } .tile-value { font-size: 22px; font-weight: 700; } .tile-label { color: var(--muted); }
    .muted { color: var(--muted); } .small { font-size: 12px; } .over { color: var(--bad); font-weight: 600; }
    table.list { border-collapse: collapse; width: 100%; }
    table.list th, table.list td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
    table.list td.num { text-align: right; font-variant-numeric: tabular-nums; }
    pre, code { font: 12.5px/1.4 ui-monospace, "SFMono-Regular", Menlo, monospace; }
    pre { background: #f2f4f7; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; white-space: pre-wrap; word-break: break-all; margin: 6px 0; }
    pre.command { background: #101828; color: #f2f4f7; border-color: #101828; }
    pre.diff .add { color: #116329; background: #dafbe1; display: block; } pre.diff .del { color: #82071e; background: #ffebe9; display: block; }
    pre.diff .hunk { color: var(--muted); display: block; } pre.diff .ctx { display: block; }
    .badge { display: inline-block; padding: 1px 7px; border-radius: 10px; background: #eaecf0; color: #344054; font-size: 12px; }
    .badge-hot, .badge-deny, .badge-denied, .badge-tool-blocked, .badge-terminated, .badge-critical, .badge-high,
    .badge-security-violation, .badge-kill-switch, .badge-approval-denied, .badge-budget-exceeded, .badge-failed { background: #fee4e2; color: #912018; }
    .badge-ask, .badge-pending, .badge-approval-requested, .badge-medium, .badge-budget-warning, .badge-timed-out, .badge-awaiting-approval { background: #fef0c7; color: #93370d; }
    .badge-allow, .badge-approved, .badge-approval-granted, .badge-active, .badge-tool-invoked, .badge-low, .badge-completed, .badge-running { background: #d1fadf; color: #05603a; }
    .banner { padding: 10px 20px; font-weight: 600; margin: 0 0 12px; border-radius: 6px; }
    .banner-kill { background: var(--bad); color: #fff; border-radius: 0; margin: 0; text-align: center; }
    .banner-ok { background: #d1fadf; color: #05603a; } .banner-bad { background: #fee4e2; color: #912018; }
    .flash { max-width: 1200px; margin: 12px auto 0; padding: 8px 14px; border-radius: 6px; }
    .flash-info { background: #e0eaff; color: #1d2939; } .flash-error { background: #fee4e2; color: #912018; }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0; }
    dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; word-break: break-all; }
    form.decide, form.inline, form.search { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-top: 10px; }
    form.login { display: grid; gap: 8px; max-width: 420px; }
    input[type=text], input[type=password], select { padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
    input[type=text] { min-width: 220px; }
    button { padding: 6px 14px; border-radius: 6px; border: 1px solid var(--line); background: #fff; font: inherit; cursor: pointer; }
    button.approve { background: var(--ok); border-color: var(--ok); color: #fff; }
    button.danger { background: var(--bad); border-color: var(--bad); color: #fff; }
    .approval-head { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
    .approval .tool { font-size: 15px; }
    ol.timeline { list-style: none; padding: 0; margin: 0; }
    ol.timeline li { padding: 6px 0; border-bottom: 1px solid var(--line); }
    ol.timeline .time { color: var(--muted); font-variant-numeric: tabular-nums; } ol.timeline .reason { margin-top: 2px; }
    .kill-state { font-size: 18px; font-weight: 700; } .kill-state.on { color: var(--bad); } .kill-state.off { color: var(--ok); }
    svg.chart { display: block; width: 100%; max-width: 560px; height: auto; }
    svg.chart .axis { stroke: var(--line); } svg.chart .axis-label { font-size: 10px; fill: var(--muted); }
    svg.chart .limit { stroke: var(--bad); stroke-width: 2; }
    .bar-spend { fill: #5b8def; } .bar-over { fill: var(--bad); } .bar-deny { fill: #e5484d; } .bar-violation { fill: #a855f7; }
    .bar-allow { fill: #3fb57a; } .bar-ask { fill: #f5a524; }
    .legend .key { padding-left: 14px; position: relative; margin-right: 10px; }
    .legend .key::before { content: ""; position: absolute; left: 0; top: 3px; width: 10px; height: 10px; border-radius: 2px; }
    .key-allow::before { background: #3fb57a; } .key-ask::before { background: #f5a524; } .key-deny::before { background: #e5484d; }
    .error-status { color: var(--muted); }
    """#
}
