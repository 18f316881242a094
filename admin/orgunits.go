package admin

import (
	"net/http"
	"strings"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/fold"
)

// orgNode is an org unit in the tree with its children.
type orgNode struct {
	Unit     avisera.OrgUnit
	Children []*orgNode
	Match    bool // the unit's name matches the filter
}

// orgUnitsPage is Organisation: the organisation tree with each unit's
// main contacts.
type orgUnitsPage struct {
	Kind  kind
	Roots []*orgNode
	Q     string
	Count int
}

// orgUnits shows the organisation as a tree; a filter keeps the matching
// units and the path down to them.
func (h *handler) orgUnits(k kind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		units, err := collectAll(r.Context(), s.tenant.ID, 5000, h.engine.ListOrgUnits)
		q := strings.TrimSpace(r.URL.Query().Get("q"))
		roots := orgTree(units)
		if q != "" {
			roots = prune(roots, fold.String(q))
		}
		h.render(w, r, s, "orgunits", page{Nav: k.Path, Title: k.Plural, Err: err,
			Data: orgUnitsPage{Kind: k, Roots: roots, Q: q, Count: len(units)}})
	}
}

// orgTree builds the tree; a unit whose parent is missing is a root.
func orgTree(units []avisera.OrgUnit) []*orgNode {
	nodes := make(map[string]*orgNode, len(units))
	for _, u := range units {
		nodes[u.ID] = &orgNode{Unit: u}
	}
	var roots []*orgNode
	for _, u := range units {
		n := nodes[u.ID]
		if p, ok := nodes[u.ParentID]; ok && u.ParentID != u.ID {
			p.Children = append(p.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	return roots
}

// prune keeps the nodes matching q (folded) and their ancestors.
func prune(nodes []*orgNode, q string) []*orgNode {
	var out []*orgNode
	for _, n := range nodes {
		n.Children = prune(n.Children, q)
		n.Match = strings.Contains(fold.String(n.Unit.Name+" "+n.Unit.ID), q)
		if n.Match || len(n.Children) > 0 {
			out = append(out, n)
		}
	}
	return out
}
