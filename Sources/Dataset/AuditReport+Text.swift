import Foundation

extension AuditReport {
    /// The report as plain text for the terminal (`bloodstudy audit`). Long lists are cut to
    /// `listLimit` lines each; the full lists are in the structured report.
    public func text(listLimit: Int = 20) -> String {
        var out: [String] = []
        func pct(_ x: Double) -> String { String(format: "%.2f%%", 100 * x) }
        func f1(_ x: Double) -> String { String(format: "%.1f", x) }
        func f2(_ x: Double) -> String { String(format: "%.2f", x) }
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        func list<T>(_ items: [T], _ line: (T) -> String) {
            for item in items.prefix(listLimit) { out.append("  " + line(item)) }
            if items.count > listLimit { out.append("  ... and \(items.count - listLimit) more") }
        }

        out.append("Data audit of \(root)")
        out.append("")
        out.append("Integrity")
        out.append("  files found: \(totalFiles), valid images: \(validImages) (the documented study: \(documentedTotal)), rejected: \(rejected.count)")
        list(rejected) { "\($0.relativePath): \($0.reason) (\($0.detail))" }
        for name in emptyClasses { out.append("  class folder '\(name)' holds no usable image; it gets no label") }
        out.append("")
        out.append("Images per class")
        let width = max(12, classes.map(\.name.count).max() ?? 0)
        out.append("  \(pad("class", width))  \(lpad("count", 6))  \(lpad("share", 7))  \(lpad("study", 6))  mean R / G / B")
        for c in classes {
            let documented = c.documented.map(String.init) ?? "-"
            out.append("  \(pad(c.name, width))  \(lpad(String(c.count), 6))  \(lpad(pct(c.share), 7))  \(lpad(documented, 6))  "
                       + c.meanRGB.map(f1).joined(separator: " / "))
        }
        out.append("")
        out.append("Image sizes (width x height)")
        for row in sizeCensus {
            out.append("  \(lpad("\(row.width)x\(row.height)", 9))  \(lpad(String(row.count), 6))  \(lpad(pct(row.share), 7))")
        }
        out.append("  \(sizeOutliers.count) images (\(pct(sizeOutlierShare))) differ from the standard \(standardWidth)x\(standardHeight):")
        list(sizeOutliers) { "\($0.path) \($0.width)x\($0.height)" }
        out.append("")
        out.append("Sharpness (variance of the Laplacian of the grey image)")
        for g in sharpness {
            out.append("  \(pad(g.label, 20))  n=\(lpad(String(g.summary.count), 5))  median \(lpad(f1(g.summary.median), 7))  mean \(lpad(f1(g.summary.mean), 7))")
        }
        out.append("")
        for (title, summaries, outliers) in [("Brightness (mean of each channel per image)", brightness, brightnessOutliers),
                                             ("Noise (Immerkaer estimate of sigma per channel, grey levels)", noise, noiseOutliers)] {
            out.append(title)
            for (name, s) in zip(["R", "G", "B"], summaries) {
                out.append("  \(name)  mean \(f2(s.mean))  sd \(f2(s.standardDeviation))  min \(f2(s.minimum))  median \(f2(s.median))  "
                           + "max \(f2(s.maximum))  outside [\(f2(s.lowerFence)), \(f2(s.upperFence))]: "
                           + "\(outliers.filter { $0.channel == name }.count)")
            }
            let byImage = Set(outliers.map(\.path)).count
            out.append("  \(byImage) images are outliers in at least one channel (Tukey's fences, 1.5 IQR)")
            list(outliers) { "\($0.path) \($0.channel) \(f2($0.value)) (\($0.side))" }
            out.append("")
        }
        out.append("Exact duplicates (identical pixels)")
        if duplicates.isEmpty { out.append("  none") }
        list(duplicates) { $0.paths.joined(separator: " = ") }
        return out.joined(separator: "\n")
    }
}
