package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
)

// eventRequest is one event as the host posts it (DESIGN §7).
type eventRequest struct {
	ID         string          `json:"id"`
	Type       string          `json:"type"`
	OccurredAt *string         `json:"occurred_at"`
	Subject    *avisera.Target `json:"subject"`
	Refs       avisera.Refs    `json:"refs"`
	Data       json.RawMessage `json:"data"`
	Files      []string        `json:"files"`
}

// input validates what JSON decoding cannot; prefix names the item of a
// batch in error fields.
func (req eventRequest) input(prefix string) (engine.EventInput, error) {
	in := engine.EventInput{ID: req.ID, Type: req.Type, Refs: req.Refs, Data: req.Data, Files: req.Files}
	switch { // the fields in the contract's order: the first missing one is named
	case req.ID == "":
		return in, avisera.Invalid(prefix+"id", "is required: the host's id of the event, its idempotency key")
	case req.Type == "":
		return in, avisera.Invalid(prefix+"type", "is required: <event type>.<trigger>, e.g. order.completed")
	}
	if req.Subject == nil {
		return in, avisera.Invalid(prefix+"subject", `is required: {"type": "order", "id": "…"}`)
	}
	in.Subject = *req.Subject
	if req.OccurredAt == nil || *req.OccurredAt == "" {
		return in, avisera.Invalid(prefix+"occurred_at", "is required (RFC 3339, e.g. 2026-03-01T08:00:00+01:00)")
	}
	t, err := parseTime(prefix+"occurred_at", req.OccurredAt)
	if err != nil {
		return in, err
	}
	in.OccurredAt = *t
	return in, nil
}

func (h *handler) postEvent(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	var req eventRequest
	if err := decode(w, r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	in, err := req.input("")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	res, err := h.engine.AcceptEvent(r.Context(), t.ID, in)
	if res.Duplicate {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	h.respond(w, r, http.StatusAccepted, res, err)
}

// maxBatch bounds POST /events:batch.
const maxBatch = 1000

// batchItem is the answer for one event of a batch: its result or error.
type batchItem struct {
	engine.EventResult
	Replayed bool       `json:"replayed,omitempty"` // accepted before, nothing new sent
	Status   int        `json:"status"`
	Error    *errorBody `json:"error,omitempty"`
}

func (h *handler) postEventBatch(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	var req struct {
		Events []json.RawMessage `json:"events"` // each decoded on its own: one bad event refuses only itself
	}
	r.Body = http.MaxBytesReader(w, r.Body, 32<<20)
	if err := decodeLimited(r, &req, 1); err != nil { // its events are looked into one by one
		h.writeError(w, r, err)
		return
	}
	switch {
	case len(req.Events) == 0:
		h.writeError(w, r, avisera.Invalid("events", "is required: a list of 1 to %d events", maxBatch))
		return
	case len(req.Events) > maxBatch:
		h.writeError(w, r, avisera.Errorf(avisera.ETOOLARGE, "a batch holds at most %d events, not %d", maxBatch, len(req.Events)))
		return
	}
	items := make([]batchItem, len(req.Events))
	accepted := 0
	for i, ev := range req.Events {
		items[i] = h.batchOne(r, t, ev, fmt.Sprintf("events[%d].", i))
		if items[i].Error == nil {
			accepted++
		}
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"accepted": accepted, "rejected": len(items) - accepted, "items": items})
}

// batchOne accepts one event of a batch; each stands alone, so one bad
// event does not refuse the others.
func (h *handler) batchOne(r *http.Request, t avisera.Tenant, raw json.RawMessage, prefix string) batchItem {
	var ev eventRequest
	var err error
	item := strings.TrimSuffix(prefix, ".") // events[i]
	// Too large, it is refused before it is read, as it would be alone.
	if len(raw) > maxBody {
		err = &avisera.Error{Code: avisera.ETOOLARGE, Field: item,
			Message: fmt.Sprintf("is larger than %d bytes, the limit of one event", maxBody)}
	} else {
		err = decodeUTF8(raw, &ev, allLevels) // the batch was checked for UTF-8 whole
	}
	if err != nil {
		if e, ok := err.(*avisera.Error); ok && e.Field == "" && e.Code == avisera.EBADREQUEST { // not an object at all
			err = &avisera.Error{Code: e.Code, Field: item, Message: "must be an event object {id, type, occurred_at, subject …}"}
		}
		// Name the event if its id can be read, and is one id.
		var id struct{ ID string }
		if e, ok := err.(*avisera.Error); !ok || e.Field != "id" {
			_ = json.Unmarshal(raw, &id)
		}
		ev.ID = id.ID
	}
	var in engine.EventInput
	if err == nil {
		in, err = ev.input(prefix)
	}
	if err == nil {
		var res engine.EventResult
		if res, err = h.engine.AcceptEvent(r.Context(), t.ID, in); err == nil {
			return batchItem{EventResult: res, Replayed: res.Duplicate, Status: http.StatusAccepted}
		}
	}
	var e *avisera.Error
	if errors.As(err, &e) && e.Field != "" && !strings.HasPrefix(e.Field, item) {
		prefixed := *e
		prefixed.Field = prefix + e.Field
		err = &prefixed
	}
	status, body := h.errorOf(r, err)
	return batchItem{EventResult: engine.EventResult{EventID: ev.ID}, Status: status, Error: &body}
}

func (h *handler) getEvent(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	ev, err := h.engine.GetEvent(r.Context(), t.ID, r.PathValue("id"))
	h.respond(w, r, http.StatusOK, ev, err)
}
