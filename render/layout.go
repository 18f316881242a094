package render

import (
	"html/template"
	"net/url"
	"strings"
	"sync"
)

// footers are the default footer lines by language.
var footers = map[string]string{
	"sv": "Det här meddelandet skickades automatiskt. Svara inte på det.",
	"en": "This message was sent automatically. Please do not reply to it.",
}

// layoutData is what the email layout renders.
type layoutData struct {
	Lang    string
	Subject string
	LogoURL string
	Body    template.HTML
	Footer  string
}

// email converts the rendered Markdown body and wraps it in the layout.
func email(subject, body string, opt Options) (string, error) {
	lang := opt.Language
	if _, ok := footers[lang]; !ok {
		lang = "sv"
	}
	footer := strings.TrimSpace(opt.FooterText)
	if footer == "" {
		footer = footers[lang]
	}
	if sh := shellFor(shellKey{lang: lang, logo: opt.LogoURL, footer: footer}); sh != nil {
		return sh.wrap(subject, body)
	}
	return wholeLayout(layoutData{Lang: lang, Subject: subject, LogoURL: logoURL(opt.LogoURL), Footer: footer}, body)
}

// wholeLayout converts the body and executes the layout with it and d.
func wholeLayout(d layoutData, body string) (string, error) {
	fragment, err := toHTML(body)
	if err != nil {
		return "", err
	}
	d.Body = template.HTML(fragment) // goldmark's output: no raw HTML, escaped text
	var b strings.Builder
	err = layout.Execute(&b, d)
	return b.String(), err
}

// A shell is the layout executed once for a language, logo and footer, cut
// where the subject and the body go. Executing the whole layout per message
// costs several times what the subject alone does, and only the subject and
// the body change from message to message.
type shell struct {
	head   string // up to the <title> element
	middle string // from after </title> to the body
	tail   string // after the body
}

// shellKey is what a shell depends on besides the subject and the body;
// logo is Options.LogoURL as given.
type shellKey struct{ lang, logo, footer string }

// The marks stand for the subject and the body while a shell is cut. They
// are private-use characters, which the title's escaper leaves alone and the
// logo's percent-encodes.
const (
	subjectMark = "\ue000subject\ue000"
	bodyMark    = "\ue000body\ue000"
)

// layoutTitle escapes the subject as the layout does: the same element, so
// the same context and escaper in html/template.
var layoutTitle = template.Must(template.New("title").Parse(`<title>{{.}}</title>`))

// shells caches shells by key. A tenant has one logo and footer; a full
// cache simply starts over. A nil entry is a key whose layout cannot be cut.
var shells = struct {
	sync.Mutex
	m map[shellKey]*shell
}{m: map[shellKey]*shell{}}

// shellFor returns the shell for key, making it on a miss, or nil if the
// layout must be executed whole.
func shellFor(key shellKey) *shell {
	shells.Lock()
	sh, ok := shells.m[key]
	shells.Unlock()
	if ok {
		return sh
	}
	sh = newShell(key)
	shells.Lock()
	if len(shells.m) >= cacheSize {
		clear(shells.m)
	}
	shells.m[key] = sh
	shells.Unlock()
	return sh
}

// newShell executes the layout around the marks and cuts it. It returns nil
// unless each mark occurs exactly once, the subject's first, inside the
// title element (a footer could hold a mark).
func newShell(key shellKey) *shell {
	var b strings.Builder
	err := layout.Execute(&b, layoutData{Lang: key.lang, Subject: subjectMark, LogoURL: logoURL(key.logo),
		Body: bodyMark, Footer: key.footer})
	doc := b.String()
	if err != nil || strings.Count(doc, subjectMark) != 1 || strings.Count(doc, bodyMark) != 1 {
		return nil
	}
	head, rest, _ := strings.Cut(doc, subjectMark)
	middle, tail, ok := strings.Cut(rest, bodyMark)
	head, okHead := strings.CutSuffix(head, "<title>")
	middle, okMiddle := strings.CutPrefix(middle, "</title>")
	if !ok || !okHead || !okMiddle {
		return nil
	}
	return &shell{head: head, middle: middle, tail: tail}
}

// wrap returns the document for a subject and a Markdown body: what
// executing the layout gives, without executing it.
func (sh *shell) wrap(subject, body string) (string, error) {
	var b strings.Builder // sized for the styled HTML, which is longer than the Markdown
	b.Grow(len(sh.head) + len(sh.middle) + len(sh.tail) + 2*len(subject) + 3*len(body))
	b.WriteString(sh.head)
	if err := layoutTitle.Execute(&b, subject); err != nil {
		return "", err
	}
	b.WriteString(sh.middle)
	if err := writeHTML(&b, body); err != nil {
		return "", err
	}
	b.WriteString(sh.tail)
	return b.String(), nil
}

// logoURL returns the logo address if it is an absolute http(s) URL;
// anything else shows no logo rather than a broken or unsafe one.
func logoURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return u.String()
}

// layout is the email document: one centred column of at most 600px, table
// based and inline-styled because that is what email clients render
// reliably, with a light header for the logo and a muted footer line.
var layout = template.Must(template.New("email").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<title>{{.Subject}}</title>
</head>
<body style="margin:0;padding:0;background-color:#f3f4f6;">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="background-color:#f3f4f6;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="max-width:600px;background-color:#ffffff;border-radius:6px;">
{{- if .LogoURL}}
<tr><td style="padding:20px 24px 0 24px;"><img src="{{.LogoURL}}" alt="" height="40" style="display:block;height:40px;width:auto;max-width:100%;border:0;"></td></tr>
{{- end}}
<tr><td style="padding:24px;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1f2937;">
{{.Body}}
</td></tr>
</table>
<p style="max-width:600px;margin:16px auto 0 auto;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:12px;line-height:1.5;color:#6b7280;">{{.Footer}}</p>
</td></tr>
</table>
</body>
</html>
`))
