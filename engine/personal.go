package engine

import (
	"html"
	"regexp"
	"strings"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/render"
)

// nameSlot stands for the recipient's name in content rendered once for
// all recipients; letters and digits only, so that no escaping or Markdown
// changes it.
const nameSlot = "AvRcptNameSlot7x"

// Where a name is filled in, and so how it is escaped.
const (
	plainText = iota
	headerText
	htmlText
)

// personalize fills the recipient's name into rendered content.
func personalize(s, name string, kind int) string {
	if !strings.Contains(s, nameSlot) {
		return s
	}
	switch kind {
	case headerText:
		name = render.OneLine(name)
	case htmlText:
		name = html.EscapeString(name)
	}
	return strings.ReplaceAll(s, nameSlot, name)
}

// personalized fills a shared content's name slot for d's recipient.
func personalized(d avisera.Delivery) avisera.Delivery {
	if d.Personal {
		d.HTML = personalize(d.HTML, d.RecipientName, htmlText)
		d.Text = personalize(d.Text, d.RecipientName, plainText)
		d.SMS = personalize(d.SMS, d.RecipientName, plainText)
		d.Personal = false
	}
	return d
}

// nameTag is the only way a shareable template may use the recipient's
// name: printed as it is, with no filter or condition.
var nameTag = regexp.MustCompile(`\{\{-?\s*recipient\.name\s*-?\}\}`)

// spliceSafe reports whether content can be rendered once and have the
// name filled in: every use of the recipient is a plain {{ recipient.name }}
// or reads recipient.language (the same for everyone it is rendered for).
func spliceSafe(c avisera.Content) bool {
	for _, t := range []string{c.Subject, c.EmailBody, c.SMSBody} {
		uses := strings.Count(t, "recipient")
		if uses != len(nameTag.FindAllStringIndex(t, -1))+strings.Count(t, "recipient.language") {
			return false
		}
	}
	return !strings.Contains(c.Subject+c.EmailBody+c.SMSBody, nameSlot)
}
