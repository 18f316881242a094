package admin

import (
	"net/http"
	"slices"
)

// webhooksPage is Webhook-hemligheter: the tenant's callback URLs, where
// each is registered, and the rotation of the secret in them.
type webhooksPage struct {
	URLs []callbackURL
}

// callbackURL is one provider's callback URL with the translation keys of
// its name ("" shows the provider as it is) and of where to register it.
type callbackURL struct {
	Provider, URL, Label, How string
}

// callbackProviders are the providers in the order the page lists them,
// with the suffix of their translation keys.
var callbackProviders = []struct{ name, key string }{
	{"46elks", "elks"}, {"twilio", "twilio"}, {"brevo", "brevo"}, {"http", "http"},
}

// callbackURLs orders the engine's URLs for the page; a provider the page
// does not know yet is listed last, by name.
func callbackURLs(urls map[string]string) []callbackURL {
	var out []callbackURL
	known := map[string]bool{}
	for _, p := range callbackProviders {
		known[p.name] = true
		if u, ok := urls[p.name]; ok {
			out = append(out, callbackURL{Provider: p.name, URL: u, Label: "webhooks.provider." + p.key, How: "webhooks.how." + p.key})
		}
	}
	var rest []string
	for name := range urls {
		if !known[name] {
			rest = append(rest, name)
		}
	}
	slices.Sort(rest)
	for _, name := range rest {
		out = append(out, callbackURL{Provider: name, URL: urls[name], How: "webhooks.how.other"})
	}
	return out
}

// webhooks shows the callback URLs.
func (h *handler) webhooks(w http.ResponseWriter, r *http.Request, s *session) {
	urls, err := h.engine.WebhookURLs(r.Context(), s.tenant.ID)
	h.render(w, r, s, "webhooks", page{Nav: "webhooks", Title: "webhooks.title", Err: err,
		Data: webhooksPage{URLs: callbackURLs(urls)}})
}

// rotateWebhookSecret gives the tenant a new callback secret; the page then
// shows the new URLs, and the old ones answer 401.
func (h *handler) rotateWebhookSecret(w http.ResponseWriter, r *http.Request, s *session) {
	if _, err := h.engine.RotateWebhookSecret(r.Context(), s.tenant.ID); err != nil {
		h.setFlash(w, r, "error", "flash.failed", explain(s.lang(), err).Message)
	} else {
		h.setFlash(w, r, "ok", "flash.secret_rotated")
	}
	redirect(w, r, "/webhooks")
}
