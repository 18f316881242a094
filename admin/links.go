package admin

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/catalog"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/store"
)

// linkPanel is Kopplingar of one target (the envelope action): the links
// on it, the links it inherits, and the form that adds one.
type linkPanel struct {
	Head      *objectHead
	Target    avisera.Target
	Label     string
	Base      string // this panel's path
	Own       []linkRow
	Inherited []linkRow
	Form      linkForm
	Messages  []avisera.Message
	Message   *avisera.Message
	EventType *catalog.EventType
	Users     []userOption
}

// linkRow is a link as the lists show it.
type linkRow struct {
	Link       avisera.Link
	Message    string
	Trigger    string // translated trigger label
	Target     string
	TargetPath string
	Static     []string // user names
	ValidNow   bool
}

// userOption is a user offered as a static recipient; Reason (a
// translation key) says why one cannot be chosen.
type userOption struct {
	User      avisera.User
	Reason    string
	Addresses []string
}

// linkForm holds the add-link form's values.
type linkForm struct {
	MessageID, Trigger, Offset, OffsetFrom, TimeOfDay, ValidFrom, ValidTo string
	Channels, Dynamic, Users                                              []string
	Addresses                                                             map[string][]string
	Posted, Urgent                                                        bool
}

// objectLinks is the Kopplingar tab of a master-data object.
func (h *handler) objectLinks(k kind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		h.showPanel(w, r, s, avisera.Target{Type: k.Type, ID: r.PathValue("id")}, linkForm{}, nil)
	}
}

// tenantLinks is Kopplingar of the whole organisation (every event).
func (h *handler) tenantLinks(w http.ResponseWriter, r *http.Request, s *session) {
	h.showPanel(w, r, s, avisera.Target{Type: avisera.TargetTenant}, linkForm{}, nil)
}

// businessLinks is Kopplingar of one business object (an order …).
func (h *handler) businessLinks(w http.ResponseWriter, r *http.Request, s *session) {
	q := r.URL.Query()
	t := avisera.Target{Type: q.Get("type"), ID: strings.TrimSpace(q.Get("id"))}
	if _, ok := catalog.Lookup(t.Type); !ok || t.ID == "" {
		h.notFound(w, r, s)
		return
	}
	h.showPanel(w, r, s, t, linkForm{}, nil)
}

// showPanel renders a target's links with the add-link form.
func (h *handler) showPanel(w http.ResponseWriter, r *http.Request, s *session, t avisera.Target, f linkForm, failed error) {
	ctx := r.Context()
	d := linkPanel{Target: t, Label: h.namer(ctx, s).label(t), Base: targetPath(t), Form: f}
	nav := "links"
	if k, ok := kindOf(t.Type); ok {
		hd, err := h.head(ctx, s, k, t.ID, "links")
		if err != nil {
			h.notFound(w, r, s)
			return
		}
		d.Head, nav = &hd, k.Path
	}
	err := h.fillPanel(r, s, &d)
	if failed != nil {
		err = failed
	}
	h.render(w, r, s, "links", page{Nav: nav, Title: "links.title", Data: d, Err: err})
}

// fillPanel reads the panel's links, messages and users.
func (h *handler) fillPanel(r *http.Request, s *session, d *linkPanel) error {
	ctx := r.Context()
	rows, err := h.linkRows(ctx, s, store.LinkFilter{Targets: []avisera.Target{d.Target}})
	if err != nil {
		return err
	}
	d.Own = rows
	if d.Inherited, err = h.inherited(ctx, s, d.Target); err != nil {
		return err
	}
	f := store.MessageFilter{}
	if _, ok := catalog.Lookup(d.Target.Type); ok {
		f.EventType = d.Target.Type
	}
	msgs, err := collectAll(ctx, s.tenant.ID, 1000, func(ctx context.Context, tid string, p avisera.Page) (engine.List[avisera.Message], error) {
		return h.engine.ListMessages(ctx, tid, f, p)
	})
	if err != nil {
		return err
	}
	d.Messages = msgs
	return h.chooseMessage(r, s, d)
}

// chooseMessage loads the message the form is for, and what its event
// type offers: triggers, dynamic recipients, and the users.
func (h *handler) chooseMessage(r *http.Request, s *session, d *linkPanel) error {
	if d.Form.MessageID == "" {
		d.Form.MessageID = r.URL.Query().Get("message")
	}
	for i := range d.Messages {
		if d.Messages[i].ID == d.Form.MessageID {
			d.Message = &d.Messages[i]
		}
	}
	if d.Message == nil {
		d.Form.MessageID = ""
		return nil
	}
	et, _ := catalog.Lookup(d.Message.EventType)
	d.EventType = &et
	if !d.Form.Posted {
		d.Form.Channels = []string{avisera.ChannelEmail}
	}
	users, err := h.allUsers(r.Context(), s.tenant.ID)
	for _, u := range users {
		d.Users = append(d.Users, userOption{User: u, Reason: staticReason(u, h.now()),
			Addresses: append(append([]string{}, u.Emails...), u.Phones...)})
	}
	return err
}

// staticReason says why a user cannot be a static recipient (seed rule
// 4), as a translation key; "" when they can. The engine checks again.
func staticReason(u avisera.User, now time.Time) string {
	switch {
	case !u.NotificationRecipient:
		return "link.reason.not_recipient"
	case len(u.Emails)+len(u.Phones) == 0:
		return "link.reason.no_address"
	case u.ValidTo != nil && !u.ValidAt(now):
		return "link.reason.ended"
	}
	return ""
}
