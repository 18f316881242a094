package admin

import (
	"context"
	"net/http"
	"net/url"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/catalog"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/store"
)

// messagesPage is Aviseringsmeddelanden: the messages per event type, with
// how many links use each and how many of those are stale.
type messagesPage struct {
	EventTypes []catalog.EventType
	EventType  string
	Archived   bool
	Rows       []messageRow
}

// messageRow is one message in the list.
type messageRow struct {
	Message avisera.Message
	Type    catalog.EventType
	Used    int
	Stale   int
}

// messages lists the messages, optionally of one event type.
func (h *handler) messages(w http.ResponseWriter, r *http.Request, s *session) {
	q := r.URL.Query()
	d := messagesPage{EventTypes: catalog.All(), EventType: q.Get("event_type"), Archived: q.Get("archived") == "1"}
	if _, ok := catalog.Lookup(d.EventType); !ok {
		d.EventType = ""
	}
	rows, err := h.messageRows(r.Context(), s, store.MessageFilter{EventType: d.EventType, Archived: d.Archived})
	d.Rows = rows
	h.render(w, r, s, "messages", page{Nav: "messages", Title: "messages.title", Data: d, Err: err})
}

// messageRows reads the messages with their link counts.
func (h *handler) messageRows(ctx context.Context, s *session, f store.MessageFilter) ([]messageRow, error) {
	msgs, err := collectAll(ctx, s.tenant.ID, 5000, func(ctx context.Context, tid string, p avisera.Page) (engine.List[avisera.Message], error) {
		return h.engine.ListMessages(ctx, tid, f, p)
	})
	if err != nil {
		return nil, err
	}
	links, err := h.engine.ListLinks(ctx, s.tenant.ID, store.LinkFilter{EventType: f.EventType})
	if err != nil {
		return nil, err
	}
	used, stale := map[string]int{}, map[string]int{}
	for _, l := range links {
		used[l.MessageID]++
		if l.Stale {
			stale[l.MessageID]++
		}
	}
	rows := make([]messageRow, len(msgs))
	for i, m := range msgs {
		et, _ := catalog.Lookup(m.EventType)
		rows[i] = messageRow{Message: m, Type: et, Used: used[m.ID], Stale: stale[m.ID]}
	}
	return rows, nil
}

// relinkMessage moves every link of a message to its latest version.
func (h *handler) relinkMessage(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	moved, err := h.engine.RelinkMessage(r.Context(), s.tenant.ID, id)
	if err != nil {
		h.setFlash(w, r, "error", "flash.failed", explain(s.lang(), err).Message)
	} else {
		h.setFlash(w, r, "ok", "flash.relinked_all", itoa(len(moved)))
	}
	redirect(w, r, back(r, "/messages/"+url.PathEscape(id)))
}

// archiveMessage archives a message (its links stop sending) or restores
// it.
func (h *handler) archiveMessage(archived bool) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		id := r.PathValue("id")
		m, err := h.engine.SetMessageArchived(r.Context(), s.tenant.ID, id, archived)
		switch {
		case err != nil:
			h.setFlash(w, r, "error", "flash.failed", explain(s.lang(), err).Message)
		case archived:
			h.setFlash(w, r, "ok", "flash.message_archived", m.Name)
		default:
			h.setFlash(w, r, "ok", "flash.message_restored", m.Name)
		}
		redirect(w, r, "/messages/"+url.PathEscape(id))
	}
}

// diffPage compares two versions of a message.
type diffPage struct {
	Message avisera.Message
	Diff    engine.VersionDiff
}

// diff shows what changed between two versions, line by line.
func (h *handler) diff(w http.ResponseWriter, r *http.Request, s *session) {
	id, q := r.PathValue("id"), r.URL.Query()
	m, err := h.engine.GetMessage(r.Context(), s.tenant.ID, id)
	if err != nil {
		h.notFound(w, r, s)
		return
	}
	from, to := atoi(q.Get("from")), atoi(q.Get("to"))
	if to == 0 {
		to = m.LatestVersion
	}
	if from == 0 {
		from = max(to-1, 1)
	}
	d, err := h.engine.DiffVersions(r.Context(), s.tenant.ID, id, from, to)
	h.render(w, r, s, "diff", page{Nav: "messages", Title: "diff.title", Data: diffPage{Message: m, Diff: d}, Err: err})
}
