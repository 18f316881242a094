package api

import (
	"cmp"
	"errors"
	"net/http"
	"strings"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/callback"
)

// webhook serves POST /api/v1/webhooks/{provider}/{secret}: provider status
// callbacks. The tenant's secret authenticates them — in the path, or for
// POST /api/v1/webhooks/{provider} in the query parameter secret or the
// X-Avisera-Webhook-Secret header; Twilio's are also signed
// (X-Twilio-Signature) with the auth token. Anything unauthenticated or
// forged answers 401 and changes nothing.
func (h *handler) webhook(w http.ResponseWriter, r *http.Request) {
	secret := r.PathValue("secret")
	if secret == "" {
		secret = cmp.Or(r.URL.Query().Get("secret"), r.Header.Get("X-Avisera-Webhook-Secret"))
	}
	t, err := h.engine.TenantByWebhookSecret(r.Context(), secret)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	updates, err := h.parseCallback(r, t)
	switch {
	case errors.Is(err, callback.ErrUnauthorized):
		h.writeError(w, r, avisera.Errorf(avisera.EUNAUTHORIZED, "the callback's signature does not match"))
		return
	case err != nil:
		h.writeError(w, r, avisera.Errorf(avisera.EBADREQUEST, "%v", err))
		return
	}
	applied, unknown, err := h.engine.ApplyUpdates(r.Context(), t.ID, updates)
	h.respond(w, r, http.StatusOK, map[string]int{"applied": applied, "unknown": unknown}, err)
}

func (h *handler) parseCallback(r *http.Request, t avisera.Tenant) ([]callback.Update, error) {
	switch r.PathValue("provider") {
	case "46elks":
		return callback.ParseElks(r)
	case "twilio":
		_, _, token := h.engine.SMSCredentials(t)
		return callback.ParseTwilio(r, token, h.publicURL+r.URL.RequestURI())
	case "brevo", "sendinblue":
		return callback.ParseBrevo(r)
	case "http":
		return callback.ParseHTTP(r)
	}
	return nil, errors.New("unknown provider " + strings.TrimSpace(r.PathValue("provider")) + " (46elks, twilio, brevo, http)")
}

func (h *handler) rotateWebhookSecret(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	urls, err := h.engine.RotateWebhookSecret(r.Context(), t.ID)
	h.respond(w, r, http.StatusOK, urls, err)
}

func (h *handler) webhookURLs(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	urls, err := h.engine.WebhookURLs(r.Context(), t.ID)
	h.respond(w, r, http.StatusOK, urls, err)
}
