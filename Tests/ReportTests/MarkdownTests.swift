import Report
import Testing

@Suite("Markdown subset")
struct MarkdownTests {
    @Test("text is escaped before markup is added")
    func escapes() {
        let html = Markdown.html("a <b>bold</b> & **strong <i>** `x<y`")
        #expect(html == "<p>a &lt;b&gt;bold&lt;/b&gt; &amp; <strong>strong &lt;i&gt;</strong> <code>x&lt;y</code></p>")
    }

    @Test("headings get anchors one level below the page title; lists and paragraphs are kept apart")
    func structure() {
        var headings: [Markdown.Heading] = []
        let html = Markdown.html("## Counts\n\nfirst line\nsame paragraph\n\n- one\n- two", anchorPrefix: "s", headings: &headings)
        #expect(html == "<h3 id=\"s-1\">Counts</h3>\n<p>first line same paragraph</p>\n<ul><li>one</li><li>two</li></ul>")
        #expect(headings == [Markdown.Heading(anchor: "s-1", text: "Counts", level: 3)])
    }

    @Test("links keep their target; javascript: targets are dropped")
    func links() {
        #expect(Markdown.html("see [the audit](audit.html#s-1)") == "<p>see <a href=\"audit.html#s-1\">the audit</a></p>")
        #expect(Markdown.html("[x](javascript:alert(1))").contains("href") == false)
    }
}
