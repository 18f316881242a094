package admin

import (
	"context"
	"net/http"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
)

// usersPage is Användare: the users of the service company with their
// own addresses, the recipient flag of their role and their device login.
type usersPage struct {
	Kind  kind
	Users []avisera.User
	Pager pager
}

// users lists the users.
func (h *handler) users(k kind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		p := pageQuery(r)
		l, err := h.engine.ListUsers(r.Context(), s.tenant.ID, p)
		h.render(w, r, s, "users", page{Nav: k.Path, Title: k.Plural, Err: err, Data: usersPage{Kind: k,
			Users: l.Items, Pager: listPager("/"+k.Path, p, l.NextCursor)}})
	}
}

// allUsers reads every user, a page at a time, up to a bound that keeps
// the link form usable.
func (h *handler) allUsers(ctx context.Context, tenantID string) ([]avisera.User, error) {
	return collectAll(ctx, tenantID, 2000, h.engine.ListUsers)
}

// collectAll reads up to limit items of a paged engine list.
func collectAll[T any](ctx context.Context, tenantID string, limit int,
	list func(context.Context, string, avisera.Page) (engine.List[T], error)) ([]T, error) {
	var out []T
	p := avisera.Page{Limit: 500}
	for len(out) < limit {
		l, err := list(ctx, tenantID, p)
		if err != nil {
			return out, err
		}
		out = append(out, l.Items...)
		if l.NextCursor == "" {
			break
		}
		p.After = l.NextCursor
	}
	return out, nil
}
