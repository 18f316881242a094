package render

import (
	"html/template"
	"net/url"
	"strings"
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
	fragment, err := toHTML(body)
	if err != nil {
		return "", err
	}
	lang := opt.Language
	if _, ok := footers[lang]; !ok {
		lang = "sv"
	}
	footer := strings.TrimSpace(opt.FooterText)
	if footer == "" {
		footer = footers[lang]
	}
	var b strings.Builder
	err = layout.Execute(&b, layoutData{
		Lang:    lang,
		Subject: subject,
		LogoURL: logoURL(opt.LogoURL),
		Body:    template.HTML(fragment), // goldmark's output: no raw HTML, escaped text
		Footer:  footer,
	})
	return b.String(), err
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
