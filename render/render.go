// Package render turns a message's Liquid templates and an event's variables
// into what is sent: a one-line subject, an HTML email with its plain-text
// alternative, and an SMS with its length and segment count.
//
// The email body is Markdown. It is rendered with Liquid, then converted to
// HTML with goldmark, where raw HTML in the template is dropped (links are
// kept, dangerous URLs are not), and wrapped in an inline-styled layout fit
// for email clients. Liquid has no autoescape, so for the HTML part every
// string in the variables is escaped before rendering; the subject, the text
// alternative and the SMS get the raw values. Check validates templates
// against the catalogue when a message is saved.
package render

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/osteele/liquid"

	"github.com/avisera/avisera"
)

// Content is one language variant of a message: Liquid templates for the
// subject, the Markdown email body and the SMS. A template may be empty.
type Content = avisera.Content

// source is one named template of a Content.
type source struct{ name, src string }

// fields lists the templates of c with the request field names errors report.
func fields(c Content) []source {
	return []source{{"subject", c.Subject}, {"email_body", c.EmailBody}, {"sms_body", c.SMSBody}}
}

// Options are the per-tenant and per-recipient settings of the email layout.
type Options struct {
	LogoURL    string // an http(s) image shown in the header; empty for none
	Language   string // the recipient's language, "sv" (default) or "en"
	FooterText string // the footer line; empty for a default in Language
}

// Output is a rendered message.
type Output struct {
	Subject string  `json:"subject"` // one line, never a CR or LF
	HTML    string  `json:"html"`    // a complete HTML document
	Text    string  `json:"text"`    // the plain-text alternative
	SMS     string  `json:"sms"`
	SMSInfo SMSInfo `json:"sms_info"`
}

// Render renders the message with vars, the nested variable map of an event
// (catalog.EventType.Samples has the shape). Missing variables render as
// empty; a template that cannot render (bad syntax, a filter given the wrong
// type) is an EINVALID error naming the field. Render never panics.
func Render(c Content, vars map[string]any, opt Options) (out Output, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &avisera.Error{Code: avisera.EINTERNAL, Message: "the message could not be rendered",
				Err: fmt.Errorf("render: panic: %v", r)}
		}
	}()
	if out.Subject, err = execute("subject", c.Subject, vars, parse); err != nil {
		return Output{}, err
	}
	out.Subject = OneLine(out.Subject)
	body, err := execute("email_body", c.EmailBody, escapeVars(vars), parse)
	if err != nil {
		return Output{}, err
	}
	if out.HTML, err = email(out.Subject, body, opt); err != nil {
		return Output{}, err
	}
	if out.Text, err = execute("email_body", c.EmailBody, vars, parsePlain); err != nil {
		return Output{}, err
	}
	out.Text = tidyText(out.Text)
	if out.SMS, err = execute("sms_body", c.SMSBody, vars, parse); err != nil {
		return Output{}, err
	}
	out.SMS = strings.TrimSpace(lineEnds.Replace(out.SMS))
	out.SMSInfo = MeasureSMS(out.SMS)
	return out, nil
}

// execute parses (with parse or parsePlain) and renders one template.
func execute(field, src string, vars map[string]any,
	parse func(field, src string) (*liquid.Template, error),
) (string, error) {
	if src == "" {
		return "", nil
	}
	tpl, err := parse(field, src)
	if err != nil {
		return "", err
	}
	var b strings.Builder // FRender into a Builder saves Render's copy to a string
	b.Grow(len(src))      // the output is usually about as long as the template
	if serr := tpl.FRender(&b, vars); serr != nil {
		return "", avisera.Invalid(field, "%s", sourceMessage(serr))
	}
	return b.String(), nil
}

// breaks matches what must not reach a header: line breaks, tabs and other
// control characters, and Unicode line and paragraph separators.
var breaks = regexp.MustCompile(`\s*[\p{Cc}\x{2028}\x{2029}][\s\p{Cc}\x{2028}\x{2029}]*`)

// OneLine makes s safe for a header: every run of control characters (CR,
// LF, tab …) and the spaces around it becomes one space, and the ends are
// trimmed.
func OneLine(s string) string {
	if !strings.ContainsFunc(s, isBreak) { // the usual case: breaks cannot match
		return strings.TrimSpace(s)
	}
	return strings.TrimSpace(breaks.ReplaceAllString(s, " "))
}

// isBreak reports whether r is one of the characters every match of breaks
// contains: a control character or a line or paragraph separator.
func isBreak(r rune) bool {
	return unicode.Is(unicode.Cc, r) || r == '\u2028' || r == '\u2029'
}

// lineEnds normalises CRLF and CR to LF.
var lineEnds = strings.NewReplacer("\r\n", "\n", "\r", "\n")
