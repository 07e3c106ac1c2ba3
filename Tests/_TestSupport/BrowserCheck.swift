import Foundation

/// Loads every page of a site in headless Chromium at a fixed window width and reports what a
/// reader would see go wrong: console errors and uncaught exceptions, images that do not load,
/// links that point nowhere, and content wider than the window (the page scrolls sideways, or a
/// box cuts or scrolls what it holds). Saves a full-page screenshot of each page when asked.
public enum BrowserCheck {
    public struct Finding: CustomStringConvertible, Equatable, Sendable {
        public enum Kind: String, Sendable { case console, image, link, width }
        public var page: String
        public var kind: Kind
        public var detail: String
        public var description: String { "\(page): \(kind.rawValue): \(detail)" }
    }

    public struct Report: Sendable {
        public var pages: [String]
        public var findings: [Finding]
        public var screenshots: [URL]
    }

    /// Checks every `.html` file under `site` (sorted), in a window `width` pixels wide.
    /// - Parameter screenshots: folder for `<page>.png` (created); nil takes none.
    public static func check(site: URL, width: Int = 1280, height: Int = 900, screenshots: URL? = nil,
                             browser: String) throws -> Report {
        let fm = FileManager.default
        let pages = (fm.enumerator(atPath: site.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".html") }.sorted()
        if let screenshots { try fm.createDirectory(at: screenshots, withIntermediateDirectories: true) }
        let chrome = try DevToolsPipe(browser: browser, width: width, height: height)
        let target = try chrome.send("Target.createTarget", ["url": "about:blank"])
        guard let targetID = target["targetId"] as? String else { throw DevToolsPipe.Failure.protocolError("no page target") }
        let attached = try chrome.send("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        guard let session = attached["sessionId"] as? String else { throw DevToolsPipe.Failure.protocolError("no session") }
        for domain in ["Page.enable", "Runtime.enable", "Log.enable"] { try chrome.send(domain, session: session) }
        try chrome.send("Emulation.setDeviceMetricsOverride",
                        ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false], session: session)

        var findings: [Finding] = []
        var shots: [URL] = []
        for page in pages {
            let url = site.appendingPathComponent(page)
            _ = chrome.drainEvents()
            try chrome.send("Page.navigate", ["url": url.absoluteString], session: session)
            try chrome.waitFor(event: "Page.loadEventFired")
            let evaluated = try chrome.send("Runtime.evaluate", ["expression": inspection, "awaitPromise": true,
                                                                 "returnByValue": true], session: session)
            let value = (evaluated["result"] as? [String: Any])?["value"] as? String ?? "{}"
            let found = try JSONSerialization.jsonObject(with: Data(value.utf8)) as? [String: Any] ?? [:]
            for src in found["broken"] as? [String] ?? [] {
                findings.append(Finding(page: page, kind: .image, detail: "image does not load: \(src)"))
            }
            for wide in found["wide"] as? [String] ?? [] {
                findings.append(Finding(page: page, kind: .width, detail: wide))
            }
            for link in Set(found["links"] as? [String] ?? []).sorted() {
                if let why = brokenLink(link) { findings.append(Finding(page: page, kind: .link, detail: "\(link): \(why)")) }
            }
            findings += chrome.drainEvents().compactMap { consoleError($0) }.map { Finding(page: page, kind: .console, detail: $0) }
            if let screenshots {
                let shot = screenshots.appendingPathComponent(page.replacingOccurrences(of: "/", with: "_") + ".png")
                try screenshot(chrome, session: session, width: width).write(to: shot)
                shots.append(shot)
            }
        }
        return Report(pages: pages, findings: findings, screenshots: shots)
    }

    /// The whole page as PNG (at most 16,000 pixels tall).
    static func screenshot(_ chrome: DevToolsPipe, session: String, width: Int) throws -> Data {
        let metrics = try chrome.send("Page.getLayoutMetrics", session: session)
        let content = metrics["cssContentSize"] as? [String: Any] ?? metrics["contentSize"] as? [String: Any] ?? [:]
        let height = min(16_000, max(1, (content["height"] as? Double ?? 900).rounded(.up)))
        let shot = try chrome.send("Page.captureScreenshot", [
            "format": "png", "captureBeyondViewport": true,
            "clip": ["x": 0, "y": 0, "width": width, "height": height, "scale": 1],
        ], session: session, timeout: 60)
        guard let base64 = shot["data"] as? String, let data = Data(base64Encoded: base64) else {
            throw DevToolsPipe.Failure.protocolError("no screenshot data")
        }
        return data
    }

    /// Why a link of a page does not resolve, or nil: a missing file, a missing `id` for its
    /// fragment, or any address off the site (it must work offline).
    static func brokenLink(_ link: String) -> String? {
        guard let url = URL(string: link) else { return "not a URL" }
        guard url.isFileURL else { return url.scheme == "about" ? nil : "points off the site" }
        let path = url.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { return "no such file" }
        if let fragment = url.fragment, !fragment.isEmpty, path.hasSuffix(".html") {
            let html = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            let id = fragment.removingPercentEncoding ?? fragment
            if !html.contains("id=\"\(id)\"") { return "no element with id \(id)" }
        }
        return nil
    }

    /// The text of a console error, uncaught exception or failed load among DevTools events.
    static func consoleError(_ event: [String: Any]) -> String? {
        let params = event["params"] as? [String: Any] ?? [:]
        switch event["method"] as? String {
        case "Runtime.consoleAPICalled":
            guard ["error", "assert"].contains(params["type"] as? String ?? "") else { return nil }
            let args = (params["args"] as? [[String: Any]] ?? []).map { "\($0["value"] ?? $0["description"] ?? "")" }
            return "console.\(params["type"] as? String ?? "error"): " + args.joined(separator: " ")
        case "Runtime.exceptionThrown":
            let details = params["exceptionDetails"] as? [String: Any] ?? [:]
            let exception = (details["exception"] as? [String: Any])?["description"] as? String
            return "uncaught exception: " + (exception ?? details["text"] as? String ?? "unknown")
        case "Log.entryAdded":
            let entry = params["entry"] as? [String: Any] ?? [:]
            guard entry["level"] as? String == "error" else { return nil }
            return "\(entry["text"] as? String ?? "error")" + ((entry["url"] as? String).map { " (\($0))" } ?? "")
        default:
            return nil
        }
    }

    /// Runs in the page after its load event: lets lazy images load, then returns (as JSON) the
    /// images that failed, what is wider than the window, and every link's resolved address.
    static let inspection = #"""
    (async () => {
      const images = Array.from(document.images);
      images.forEach(i => { i.loading = 'eager'; });
      await Promise.all(images.map(i => i.complete ? null : new Promise(done => {
        i.addEventListener('load', done); i.addEventListener('error', done); setTimeout(done, 5000);
      })));
      const broken = images.filter(i => i.naturalWidth === 0).map(i => i.getAttribute('src'));
      const W = window.innerWidth;
      const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
      const wide = [];
      const page = document.documentElement.scrollWidth;
      if (page > W) wide.push('the page is ' + page + ' px wide in a ' + W + ' px window');
      const clipped = [];
      for (const el of document.querySelectorAll('body *')) {
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden') continue;
        if (clipped.some(c => c.contains(el))) continue;
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        const scrolls = ['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX);
        if (scrolls && el.scrollWidth > el.clientWidth + 1) {
          wide.push(name(el) + ' holds ' + el.scrollWidth + ' px of content in ' + el.clientWidth + ' px (cut or scrolled sideways)');
          clipped.push(el);
        } else if (box.right > W + 1 && (!el.parentElement || el.parentElement.getBoundingClientRect().right <= W + 1)) {
          wide.push(name(el) + ' reaches ' + Math.round(box.right) + ' px, past the ' + W + ' px window');
          clipped.push(el);
        }
      }
      const links = Array.from(document.querySelectorAll('a[href]')).map(a => a.href);
      return JSON.stringify({ broken, wide: wide.slice(0, 25), links });
    })()
    """#
}
