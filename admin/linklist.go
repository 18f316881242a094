package admin

import (
	"context"
	"net/http"
	"strconv"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/catalog"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/store"
)

// rowMaker turns links into rows, reading message and user names once.
type rowMaker struct {
	lang     string
	messages map[string]string
	names    *namer
}

// newRowMaker reads the names the rows show.
func (h *handler) newRowMaker(ctx context.Context, s *session) (*rowMaker, error) {
	m := &rowMaker{lang: s.lang(), messages: map[string]string{}, names: h.namer(ctx, s)}
	for _, archived := range []bool{false, true} {
		f := store.MessageFilter{Archived: archived}
		msgs, err := collectAll(ctx, s.tenant.ID, 5000, func(ctx context.Context, tid string, p avisera.Page) (engine.List[avisera.Message], error) {
			return h.engine.ListMessages(ctx, tid, f, p)
		})
		if err != nil {
			return nil, err
		}
		for _, msg := range msgs {
			m.messages[msg.ID] = msg.Name
		}
	}
	users, err := h.allUsers(ctx, s.tenant.ID)
	for _, u := range users {
		m.names.remember(avisera.ObjectUser, u.ID, u.Name)
	}
	return m, err
}

// row describes one link.
func (m *rowMaker) row(l avisera.Link) linkRow {
	r := linkRow{Link: l, Message: m.messages[l.MessageID], Trigger: l.Trigger, Target: m.names.label(l.Target),
		TargetPath: targetPath(l.Target)}
	if et, ok := catalog.Lookup(l.EventType); ok {
		if tr, ok := et.Trigger(l.Trigger); ok {
			r.Trigger = pick(m.lang, tr.LabelSV, tr.LabelEN)
		}
	}
	for _, st := range l.Static {
		r.Static = append(r.Static, m.names.name(avisera.ObjectUser, st.UserID))
	}
	return r
}

// linkRows lists the links a filter selects.
func (h *handler) linkRows(ctx context.Context, s *session, f store.LinkFilter) ([]linkRow, error) {
	links, err := h.engine.ListLinks(ctx, s.tenant.ID, f)
	if err != nil || len(links) == 0 {
		return nil, err
	}
	m, err := h.newRowMaker(ctx, s)
	if err != nil {
		return nil, err
	}
	rows := make([]linkRow, len(links))
	for i, l := range links {
		rows[i] = m.row(l)
	}
	return rows, nil
}

// inherited lists the links a master-data object inherits from above it
// (org units, customer, tenant): its effective links but its own.
func (h *handler) inherited(ctx context.Context, s *session, t avisera.Target) ([]linkRow, error) {
	if _, ok := kindOf(t.Type); !ok {
		return nil, nil
	}
	eff, err := h.engine.EffectiveLinks(ctx, s.tenant.ID, t, avisera.Refs{})
	if err != nil {
		return nil, err
	}
	var m *rowMaker
	var rows []linkRow
	for _, l := range eff {
		if !l.Inherited {
			continue
		}
		if m == nil {
			if m, err = h.newRowMaker(ctx, s); err != nil {
				return nil, err
			}
		}
		r := m.row(l.Link)
		r.ValidNow = l.ValidNow
		rows = append(rows, r)
	}
	return rows, nil
}

// linksPage is the Kopplingar overview: every link, or the stale ones.
type linksPage struct {
	Rows       []linkRow
	StaleOnly  bool
	StaleCount int
	EventTypes []catalog.EventType
}

// linksOverview lists every link of the tenant with its target.
func (h *handler) linksOverview(w http.ResponseWriter, r *http.Request, s *session) {
	stale := r.URL.Query().Get("stale") == "1"
	rows, err := h.linkRows(r.Context(), s, store.LinkFilter{StaleOnly: stale})
	d := linksPage{Rows: rows, StaleOnly: stale, EventTypes: catalog.All()}
	for _, row := range rows {
		if row.Link.Stale {
			d.StaleCount++
		}
	}
	h.render(w, r, s, "linkoverview", page{Nav: "links", Title: "links.overview", Data: d, Err: err})
}

// relinkLink moves one link to its message's latest version.
func (h *handler) relinkLink(w http.ResponseWriter, r *http.Request, s *session) {
	l, err := h.engine.Relink(r.Context(), s.tenant.ID, r.PathValue("id"))
	if err != nil {
		h.setFlash(w, r, "error", "flash.failed", explain(s.lang(), err).Message)
	} else {
		h.setFlash(w, r, "ok", "flash.relinked", strconv.Itoa(l.MessageVersion))
	}
	redirect(w, r, back(r, "/links"))
}

// deleteLink removes a link.
func (h *handler) deleteLink(w http.ResponseWriter, r *http.Request, s *session) {
	if err := h.engine.DeleteLink(r.Context(), s.tenant.ID, r.PathValue("id")); err != nil {
		h.setFlash(w, r, "error", "flash.failed", explain(s.lang(), err).Message)
	} else {
		h.setFlash(w, r, "ok", "flash.link_deleted")
	}
	redirect(w, r, back(r, "/links"))
}
