package admin

import (
	"net/http"

	"github.com/avisera/avisera"
)

// mailboxPage is the dev mailbox: email and SMS captured instead of sent
// while no SMTP server or SMS provider is configured.
type mailboxPage struct {
	Items []avisera.MailboxItem
	Pager pager
}

// mailbox lists the captured messages, newest first.
func (h *handler) mailbox(w http.ResponseWriter, r *http.Request, s *session) {
	p := pageQuery(r)
	p.Q = ""
	l, err := h.engine.Mailbox(r.Context(), s.tenant.ID, p)
	h.render(w, r, s, "mailbox", page{Nav: "mailbox", Title: "mailbox.title", Err: err,
		Data: mailboxPage{Items: l.Items, Pager: listPager("/mailbox", p, l.NextCursor)}})
}

// clearMailbox empties the dev mailbox.
func (h *handler) clearMailbox(w http.ResponseWriter, r *http.Request, s *session) {
	if err := h.engine.ClearMailbox(r.Context(), s.tenant.ID); err != nil {
		h.setFlash(w, r, "error", "flash.failed", explain(s.lang(), err).Message)
	} else {
		h.setFlash(w, r, "ok", "flash.mailbox_cleared")
	}
	redirect(w, r, "/mailbox")
}
