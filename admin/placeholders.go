package admin

import "net/http"

// placeholderPage says which screen comes later, and with what.
type placeholderPage struct {
	Text string // translation key
}

// plans is the placeholder of plans and pending timers, which come with
// the time-based triggers.
func (h *handler) plans(w http.ResponseWriter, r *http.Request, s *session) {
	h.render(w, r, s, "placeholder", page{Nav: "plans", Title: "plans.title",
		Data: placeholderPage{Text: "plans.placeholder"}})
}

// webhooks is the placeholder of the webhook secrets, which come with the
// SMS delivery callbacks.
func (h *handler) webhooks(w http.ResponseWriter, r *http.Request, s *session) {
	h.render(w, r, s, "placeholder", page{Nav: "webhooks", Title: "webhooks.title",
		Data: placeholderPage{Text: "webhooks.placeholder"}})
}
