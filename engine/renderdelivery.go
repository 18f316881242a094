package engine

import (
	"context"
	"strconv"
	"strings"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/catalog"
	"github.com/avisera/avisera/render"
)

// render turns deduplicated candidates into deliveries: each recipient gets
// the link's pinned version in their language (theirs, else the org
// unit's, else the tenant's).
func (e *Engine) render(ctx context.Context, sc *scene, et catalog.EventType, ms []merged) ([]avisera.Delivery, error) {
	versions := map[string]avisera.MessageVersion{}
	loc := sc.location()
	now := e.Now()
	out := make([]avisera.Delivery, 0, len(ms))
	for _, m := range ms {
		d := sc.deliveryBase(now)
		d.ID, d.Channel, d.RecipientName, d.Address = newID(), m.channel, m.name, m.address
		d.MessageID, d.MessageVersion, d.LinkIDs = m.link.MessageID, m.link.MessageVersion, m.linkIDs
		d.ReachedVia = strings.Join(m.vias, "; ")
		if m.suppressed != "" {
			d.Status, d.Detail = avisera.StatusSuppressed, m.suppressed
			out = append(out, d)
			continue
		}
		v, err := e.version(ctx, sc.tenant.ID, versions, m.link)
		if err != nil {
			return nil, err
		}
		content, lang := v.ContentFor(m.language, sc.orgUnitLanguage(), sc.tenant.Language)
		if v.IncludeFiles && len(sc.files) > 0 && !strings.Contains(content.EmailBody, "files") {
			content.EmailBody += filesSection(lang)
		}
		d.Language, d.Status = lang, avisera.StatusQueued
		if reason := emptyFor(d.Channel, content); reason != "" {
			d.Status, d.Detail = avisera.StatusSuppressed, reason
			out = append(out, d)
			continue
		}
		d = fill(d, content, or(v.LogoURL, sc.tenant.Settings.LogoURL), sc.vars(m.name, lang, loc, e.fileVars(sc, d.ID)))
		sc.holdForQuietHours(&d, anyUrgent(m), now)
		out = append(out, d)
	}
	return out, nil
}

// fill renders the content into d; a template that fails at send time (a
// filter given the wrong data) fails the delivery, not the event.
func fill(d avisera.Delivery, content avisera.Content, logo string, vars map[string]any) avisera.Delivery {
	out, err := render.Render(render.Content(content), vars, render.Options{LogoURL: logo, Language: d.Language})
	if err != nil {
		d.Status, d.Detail = avisera.StatusFailed, "the message could not be rendered: "+avisera.ErrorMessage(err)
		return d
	}
	d.Subject, d.Segments = out.Subject, out.SMSInfo.Segments
	if d.Channel == avisera.ChannelEmail {
		d.HTML, d.Text = out.HTML, out.Text
	} else {
		d.SMS = out.SMS
	}
	return d
}

// version returns a link's pinned message version, read once per event.
func (e *Engine) version(ctx context.Context, tenantID string, cache map[string]avisera.MessageVersion, l avisera.Link) (avisera.MessageVersion, error) {
	k := l.MessageID + "/" + strconv.Itoa(l.MessageVersion)
	if v, ok := cache[k]; ok {
		return v, nil
	}
	v, err := e.store.GetMessageVersion(ctx, tenantID, l.MessageID, l.MessageVersion)
	if err == nil {
		cache[k] = v
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

// anyUrgent reports whether the delivery came from the candidate's link
// marked urgent (urgent SMS ignore quiet hours).
func anyUrgent(m merged) bool { return m.link.Urgent }
