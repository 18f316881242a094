package render

import (
	"bufio"
	"bytes"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// markdown converts the email body. Raw HTML in the source is left out
// (goldmark's default without WithUnsafe) and javascript:, vbscript:, file:
// and data: links are dropped, so neither the data nor the template author
// can put markup or scripts in the email. Single line breaks are kept, as an
// administrator writing a message expects.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
	goldmark.WithRendererOptions(html.WithHardWraps()),
)

// toHTML converts Markdown to an HTML fragment with inline styles.
func toHTML(md string) (string, error) {
	var b strings.Builder
	if err := writeHTML(&b, md); err != nil {
		return "", err
	}
	return b.String(), nil
}

// writeHTML writes what toHTML returns to w.
func writeHTML(w io.Writer, md string) error {
	c := converters.Get().(*converter)
	defer c.put()
	if err := markdown.Convert([]byte(md), c.w); err != nil {
		return err
	}
	_, err := inlineStyles.WriteString(w, c.buf.String())
	return err
}

// A converter holds goldmark's output between conversion and styling. They
// are pooled because goldmark allocates a 4 KiB buffered writer per call
// unless it is given one, and the output buffer would grow anew.
type converter struct {
	buf bytes.Buffer
	w   *bufio.Writer // into buf
}

var converters = sync.Pool{New: func() any {
	c := new(converter)
	c.w = bufio.NewWriter(&c.buf)
	return c
}}

// maxPooled is the largest output buffer kept for reuse, so that one huge
// message does not pin its memory.
const maxPooled = 64 << 10

// put empties c and returns it to the pool.
func (c *converter) put() {
	if c.buf.Cap() > maxPooled {
		return
	}
	c.buf.Reset()
	c.w.Reset(&c.buf) // drops anything unflushed after an error
	converters.Put(c)
}

// inlineStyles puts the layout's styles on the elements goldmark writes
// (many email clients drop <style>). The opening tags are goldmark's own:
// no attribute can come from the data, which is escaped.
var inlineStyles = strings.NewReplacer(
	"<p>", `<p style="margin:0 0 16px 0;">`,
	"<h1>", `<h1 style="margin:0 0 16px 0;font-size:22px;line-height:1.3;font-weight:600;color:#111827;">`,
	"<h2>", `<h2 style="margin:24px 0 12px 0;font-size:18px;line-height:1.3;font-weight:600;color:#111827;">`,
	"<h3>", `<h3 style="margin:20px 0 8px 0;font-size:16px;line-height:1.3;font-weight:600;color:#111827;">`,
	"<ul>", `<ul style="margin:0 0 16px 0;padding:0 0 0 24px;">`,
	"<ol>", `<ol style="margin:0 0 16px 0;padding:0 0 0 24px;">`,
	"<li>", `<li style="margin:0 0 4px 0;">`,
	"<a href=", `<a style="color:#0b5cad;text-decoration:underline;" href=`,
	"<blockquote>", `<blockquote style="margin:0 0 16px 0;padding:0 0 0 12px;border-left:3px solid #d1d5db;color:#4b5563;">`,
	"<table>", `<table style="border-collapse:collapse;width:100%;margin:0 0 16px 0;">`,
	"<th>", `<th style="text-align:left;padding:6px 8px;border-bottom:2px solid #d1d5db;">`,
	"<td>", `<td style="padding:6px 8px;border-bottom:1px solid #e5e7eb;">`,
	"<hr>", `<hr style="border:0;border-top:1px solid #e5e7eb;margin:24px 0;">`,
	"<code>", `<code style="font-family:Consolas,Menlo,monospace;font-size:90%;background:#f3f4f6;padding:1px 4px;">`,
	"<img ", `<img style="max-width:100%;height:auto;" `,
)

// plainSource turns the Markdown template into the template of the
// plain-text alternative. It works on the template, not on the rendered
// text, so that the values (rendered raw afterwards) are never altered; the
// Liquid markup is set aside while the Markdown is cleaned.
func plainSource(src string) string {
	var tags []string
	src = strings.ReplaceAll(src, "\x00", "") // the placeholder's mark
	masked := liquidMarkup.ReplaceAllStringFunc(src, func(tag string) string {
		tags = append(tags, tag)
		return "\x00" + strconv.Itoa(len(tags)-1) + "\x00"
	})
	for _, r := range plainRules {
		masked = r.re.ReplaceAllString(masked, r.with)
	}
	return placeholder.ReplaceAllStringFunc(masked, func(p string) string {
		i, _ := strconv.Atoi(p[1 : len(p)-1])
		return tags[i]
	})
}

// liquidMarkup matches {{ … }} and {% … %}; placeholder the mark that
// stands in for one while the Markdown is cleaned.
var (
	liquidMarkup = regexp.MustCompile(`(?s)\{\{.*?\}\}|\{%.*?%\}`)
	placeholder  = regexp.MustCompile("\x00[0-9]+\x00")
)

// plainRules make Markdown read well as plain text, in order.
var plainRules = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`!\[([^\]\n]*)\]\(([^)\s]*)[^)\n]*\)`), "$1 ($2)"},              // ![alt](src)
	{regexp.MustCompile(`\[([^\]\n]+)\]\(([^)\s]*)[^)\n]*\)`), "$1 ($2)"},               // [text](url "title")
	{regexp.MustCompile(`<((?:https?|mailto):[^>\s]+|\x00[0-9]+\x00)>`), "$1"},          // <https://…>
	{regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9-]*(?:[ \t][^<>\n]*)?/?>`), ""},           // raw HTML, dropped
	{regexp.MustCompile(`\*\*([^*\n]+)\*\*`), "$1"},                                     // **strong**
	{regexp.MustCompile(`__([^_\n]+)__`), "$1"},                                         // __strong__
	{regexp.MustCompile(`(^|[\s(\x00])\*([^*\s][^*\n]*)\*`), "$1$2"},                    // *emphasis*
	{regexp.MustCompile(`(^|[\s(\x00])_([^_\s][^_\n]*)_([\s).,:;!?\x00]|$)`), "$1$2$3"}, // _emphasis_
	{regexp.MustCompile(`~~([^~\n]+)~~`), "$1"},                                         // ~~strike~~
	{regexp.MustCompile("`([^`\n]+)`"), "$1"},                                           // `code`
	{regexp.MustCompile(`(?m)^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$`), "$1"},                  // # heading
	{regexp.MustCompile(`(?m)^ {0,3}>[ \t]?`), ""},                                      // > quote
	{regexp.MustCompile(`\\([!-/:-@\[-` + "`" + `{-~])`), "$1"},                         // \* escapes
}

// tidyText trims trailing spaces and tabs (Markdown's hard breaks) from the
// lines of the rendered plain text, makes CRLF and CR line ends LF, keeps at
// most one blank line in a row, and trims the ends. It runs on every
// rendered message, so it scans the text once by hand instead of with
// regular expressions.
func tidyText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	newlines := 0 // line ends not yet written: the lines between were blank
	for len(s) > 0 {
		line, rest, ended := cutLine(s)
		if line = strings.TrimRight(line, " \t"); line != "" {
			writeNewlines(&b, newlines)
			newlines = 0
			b.WriteString(line)
		}
		if ended {
			newlines++
		}
		s = rest
	}
	writeNewlines(&b, newlines)
	return strings.TrimSpace(b.String())
}

// cutLine splits s after its first line end (LF, CRLF or CR); ended is false
// when s has none.
func cutLine(s string) (line, rest string, ended bool) {
	i := strings.IndexAny(s, "\r\n")
	if i < 0 {
		return s, "", false
	}
	end := i + 1
	if s[i] == '\r' && end < len(s) && s[end] == '\n' {
		end++
	}
	return s[:i], s[end:], true
}

// writeNewlines writes n line ends, or two if n is more: a run of blank
// lines becomes one.
func writeNewlines(b *strings.Builder, n int) {
	b.WriteString("\n\n"[:min(n, 2)])
}
