package admin

import (
	"net/http"
	"strings"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
)

// createLink adds a link from the form of a target's panel. Warnings
// (recipients the link cannot reach) are shown after the save.
func (h *handler) createLink(w http.ResponseWriter, r *http.Request, s *session) {
	t := avisera.Target{Type: formText(r, "target_type"), ID: formText(r, "target_id")}
	l, f, err := linkFromForm(r, s.loc)
	l.Target = t
	if err == nil {
		var res engine.LinkResult
		res, err = h.engine.CreateLink(r.Context(), s.tenant.ID, l)
		if err == nil {
			h.flashWarnings(w, r, res.Warnings)
			redirect(w, r, targetPath(t))
			return
		}
	}
	h.showPanel(w, r, s, t, f, err)
}

// flashWarnings reports a saved link, with its warnings if any.
func (h *handler) flashWarnings(w http.ResponseWriter, r *http.Request, warnings []engine.Warning) {
	if len(warnings) == 0 {
		h.setFlash(w, r, "ok", "flash.link_saved")
		return
	}
	msgs := make([]string, len(warnings))
	for i, wn := range warnings {
		msgs[i] = wn.Message
	}
	h.setFlash(w, r, "warn", "flash.link_saved_warnings", strings.Join(msgs, " · "))
}

// linkFromForm reads the add-link form into a link (without target) and
// the form values to show again after an error.
func linkFromForm(r *http.Request, loc *time.Location) (avisera.Link, linkForm, error) {
	f := linkForm{MessageID: formText(r, "message_id"), Trigger: formText(r, "trigger"),
		Offset: formText(r, "offset"), OffsetFrom: formText(r, "offset_from"), TimeOfDay: formText(r, "time_of_day"),
		ValidFrom: formText(r, "valid_from"), ValidTo: formText(r, "valid_to"), Channels: formList(r, "channels"),
		Dynamic: formList(r, "dynamic"), Users: formList(r, "static_user"), Addresses: map[string][]string{}, Posted: true,
		Urgent: r.PostFormValue("urgent") != ""}
	l := avisera.Link{MessageID: f.MessageID, Trigger: f.Trigger, OffsetFrom: f.OffsetFrom, TimeOfDay: f.TimeOfDay,
		Channels: nonNil(f.Channels), Dynamic: nonNil(f.Dynamic), Static: []avisera.StaticRecipient{}, Urgent: f.Urgent}
	for _, u := range f.Users {
		addrs := formList(r, "addr."+u)
		f.Addresses[u] = addrs
		l.Static = append(l.Static, avisera.StaticRecipient{UserID: u, Addresses: nonNil(addrs)})
	}
	off, err := avisera.ParseDuration(f.Offset)
	if err != nil {
		return l, f, avisera.Invalid("offset", "%v", err)
	}
	l.Offset = off
	if l.ValidFrom, err = parseDate(f.ValidFrom, "valid_from", loc); err != nil {
		return l, f, err
	}
	l.ValidTo, err = parseDate(f.ValidTo, "valid_to", loc)
	return l, f, err
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

// AddressTicked reports whether a user's address is ticked: after a post
// as it was, else every address of the user.
func (f linkForm) AddressTicked(userID, addr string) bool {
	if !f.Posted {
		return true
	}
	addrs, ok := f.Addresses[userID]
	if !ok {
		return true
	}
	for _, a := range addrs {
		if a == addr {
			return true
		}
	}
	return false
}
