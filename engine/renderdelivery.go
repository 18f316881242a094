package engine

import (
	"cmp"
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/catalog"
	"github.com/avisera/avisera/render"
)

// render turns deduplicated candidates into deliveries and the contents
// they share: each recipient gets the link's pinned version in their
// language (theirs, else the org unit's, else the tenant's). A version is
// rendered once per language for all its recipients, with a placeholder
// for the recipient's name filled in when the delivery is sent; templates
// that use the recipient otherwise, and emails with per-recipient download
// links, are rendered per recipient.
func (e *Engine) render(ctx context.Context, sc *scene, et catalog.EventType, ms []merged) ([]avisera.Delivery, []avisera.Rendered, error) {
	r := &renderer{e: e, sc: sc, shared: map[string]*avisera.Rendered{}, safe: map[string]bool{},
		loc: sc.location(), now: e.Now()}
	out := make([]avisera.Delivery, 0, len(ms))
	for _, m := range ms {
		d, err := r.delivery(ctx, m)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, d)
	}
	return out, r.contents, nil
}

// renderer renders one event's deliveries.
type renderer struct {
	e        *Engine
	sc       *scene
	shared   map[string]*avisera.Rendered // by message/version/language
	safe     map[string]bool              // by message/version/language: spliceSafe
	contents []avisera.Rendered
	loc      *time.Location
	now      time.Time
}

func (r *renderer) delivery(ctx context.Context, m merged) (avisera.Delivery, error) {
	d := r.sc.deliveryBase(r.now)
	d.ID, d.Channel, d.RecipientName, d.Address = newID(), m.channel, m.name, m.address
	d.MessageID, d.MessageVersion, d.LinkIDs = m.link.MessageID, m.link.MessageVersion, m.linkIDs
	d.ReachedVia = strings.Join(m.vias, "; ")
	v, err := r.e.version(ctx, r.sc.tenant.ID, m.link)
	if err != nil {
		return d, err
	}
	content, lang := v.ContentFor(m.language, r.sc.orgUnitLanguage(), r.sc.tenant.Language)
	if m.suppressed != "" {
		d.Status, d.Detail = avisera.StatusSuppressed, m.suppressed
		d.Subject = r.subjectOnly(d, content, lang)
		return d, nil
	}
	if v.IncludeFiles && len(r.sc.files) > 0 && !strings.Contains(content.EmailBody, "files") {
		content.EmailBody += filesSection(lang)
	}
	d.Language, d.Status = lang, avisera.StatusQueued
	if reason := emptyFor(d.Channel, content); reason != "" {
		d.Status, d.Detail = avisera.StatusSuppressed, reason
		d.Subject = r.subjectOnly(d, content, lang)
		return d, nil
	}
	logo := cmp.Or(v.LogoURL, r.sc.tenant.Settings.LogoURL)
	if len(r.sc.files) == 0 && r.shareable(v, d.Language, content) {
		r.fillShared(&d, content, logo, v)
	} else {
		r.fillOwn(&d, content, logo)
	}
	if d.Status != avisera.StatusFailed { // only a delivery that will be sent has a Message-ID
		d.ProviderID = r.e.messageID(d)
	}
	r.sc.holdForQuietHours(&d, m.link.Urgent, r.now, r.loc)
	return d, nil
}

// shareable reports, once per version and language, whether the content
// can be rendered once for everyone (see spliceSafe).
func (r *renderer) shareable(v avisera.MessageVersion, lang string, c avisera.Content) bool {
	key := v.MessageID + "/" + strconv.Itoa(v.Version) + "/" + lang
	ok, seen := r.safe[key]
	if !seen {
		ok = spliceSafe(c)
		r.safe[key] = ok
	}
	return ok
}

// fillShared points d at the content its version renders for everyone in
// its language, rendering it the first time.
func (r *renderer) fillShared(d *avisera.Delivery, content avisera.Content, logo string, v avisera.MessageVersion) {
	key := v.MessageID + "/" + strconv.Itoa(v.Version) + "/" + d.Language
	c, ok := r.shared[key]
	if !ok {
		out, err := render.Render(content, r.sc.vars(nameSlot, d.Language, r.loc, nil),
			render.Options{LogoURL: logo, Language: d.Language})
		if err != nil {
			c = &avisera.Rendered{ID: "", Subject: avisera.ErrorMessage(err)}
		} else {
			c = &avisera.Rendered{ID: newID(), Subject: out.Subject, HTML: out.HTML, Text: out.Text, SMS: out.SMS, Personal: true}
			r.contents = append(r.contents, *c)
		}
		r.shared[key] = c
	}
	if c.ID == "" {
		d.Status, d.Detail = avisera.StatusFailed, "the message could not be rendered: "+c.Subject
		return
	}
	d.ContentID, d.Personal = c.ID, true
	d.Subject = personalize(c.Subject, d.RecipientName, headerText)
	if d.Channel == avisera.ChannelSMS {
		d.Segments = render.MeasureSMS(personalize(c.SMS, d.RecipientName, plainText)).Segments
	}
}

// subjectOnly renders just the subject of a skipped delivery, so that the
// follow-up report says which message was skipped ("" when it cannot).
func (r *renderer) subjectOnly(d avisera.Delivery, content avisera.Content, lang string) string {
	out, err := render.Render(avisera.Content{Subject: content.Subject}, r.sc.vars(d.RecipientName, lang, r.loc, nil),
		render.Options{Language: lang})
	if err != nil {
		return ""
	}
	return out.Subject
}

// fillOwn renders the content for d alone; a template that fails at send
// time (a filter given the wrong data) fails the delivery, not the event.
func (r *renderer) fillOwn(d *avisera.Delivery, content avisera.Content, logo string) {
	vars := r.sc.vars(d.RecipientName, d.Language, r.loc, r.e.fileVars(r.sc, d.ID))
	out, err := render.Render(content, vars, render.Options{LogoURL: logo, Language: d.Language})
	if err != nil {
		d.Status, d.Detail = avisera.StatusFailed, "the message could not be rendered: "+avisera.ErrorMessage(err)
		return
	}
	c := avisera.Rendered{ID: newID(), Subject: out.Subject, HTML: out.HTML, Text: out.Text, SMS: out.SMS}
	r.contents = append(r.contents, c)
	d.ContentID, d.Subject = c.ID, c.Subject
	if d.Channel == avisera.ChannelSMS {
		d.Segments = out.SMSInfo.Segments
	}
}

// version returns a link's pinned message version. Versions are
// immutable: each is read once and remembered for good.
func (e *Engine) version(ctx context.Context, tenantID string, l avisera.Link) (avisera.MessageVersion, error) {
	k := tenantID + "/" + l.MessageID + "/" + strconv.Itoa(l.MessageVersion)
	if v, ok := e.versions.Load(k); ok {
		return v.(avisera.MessageVersion), nil
	}
	v, err := e.store.GetMessageVersion(ctx, tenantID, l.MessageID, l.MessageVersion)
	if err == nil {
		e.versions.Store(k, v)
	}
	return v, err
}

// emptyFor tells why a channel has nothing to send, or "".
func emptyFor(channel string, c avisera.Content) string {
	if channel == avisera.ChannelSMS && strings.TrimSpace(c.SMSBody) == "" {
		return "the message has no SMS text"
	}
	if channel == avisera.ChannelEmail && strings.TrimSpace(c.Subject+c.EmailBody) == "" {
		return "the message has no email subject or body"
	}
	return ""
}

// filesSection lists the event's reports as download links, for messages
// that include files but do not place them themselves.
func filesSection(lang string) string {
	title := "Rapporter"
	if lang == "en" {
		title = "Reports"
	}
	return "\n\n**" + title + ":**\n\n{% for f in files %}- [{{ f.name }}]({{ f.url }})\n{% endfor %}"
}

// fileVars are the event's files with download links signed for one
// delivery, so that each download is recorded on it.
func (e *Engine) fileVars(sc *scene, deliveryID string) []any {
	out := make([]any, 0, len(sc.files))
	expires := e.Now().Add(e.linkTTL)
	for _, f := range sc.files {
		url := e.publicURL + "/d/" + linkToken(sc.tenant, f.ID, deliveryID, expires)
		out = append(out, map[string]any{"name": f.Name, "url": url, "size": f.Size, "content_type": f.ContentType})
	}
	return out
}
