package admin

import (
	"context"
	"net/http"
	"net/url"

	"github.com/avisera/avisera"
)

// kind is one kind of master-data object the UI lists, with contacts and
// links: customers, contracts, org units, places and users. The host
// system owns these objects; the UI reads them and manages their contacts
// and notification links.
type kind struct {
	Path   string // the URL segment, "customers"
	Type   string // the object and target type, avisera.ObjectCustomer
	Plural string // translation key of the list
	One    string // translation key of one object
}

// kinds lists the object kinds in menu order.
func kinds() []kind {
	return []kind{
		{"customers", avisera.ObjectCustomer, "nav.customers", "kind.customer"},
		{"contracts", avisera.ObjectContract, "nav.contracts", "kind.contract"},
		{"org-units", avisera.ObjectOrgUnit, "nav.org_units", "kind.org_unit"},
		{"places", avisera.ObjectPlace, "nav.places", "kind.place"},
		{"users", avisera.ObjectUser, "nav.users", "kind.user"},
	}
}

// kindOf returns the kind of an object type.
func kindOf(objectType string) (kind, bool) {
	for _, k := range kinds() {
		if k.Type == objectType {
			return k, true
		}
	}
	return kind{}, false
}

// objectHead is the heading of an object's tabs.
type objectHead struct {
	Kind kind
	ID   string
	Name string
	Tab  string // contacts or links
}

// head loads an object's name for the heading of its tabs.
func (h *handler) head(ctx context.Context, s *session, k kind, id, tab string) (objectHead, error) {
	name, err := h.objectName(ctx, s.tenant.ID, k.Type, id)
	return objectHead{Kind: k, ID: id, Name: name, Tab: tab}, err
}

// objectName reads the name of a master-data object through the engine.
func (h *handler) objectName(ctx context.Context, tenantID, objectType, id string) (string, error) {
	e := h.engine
	switch objectType {
	case avisera.ObjectCustomer:
		o, err := e.GetCustomer(ctx, tenantID, id)
		return o.Name, err
	case avisera.ObjectContract:
		o, err := e.GetContract(ctx, tenantID, id)
		return o.Name, err
	case avisera.ObjectOrgUnit:
		o, err := e.GetOrgUnit(ctx, tenantID, id)
		return o.Name, err
	case avisera.ObjectPlace:
		o, err := e.GetPlace(ctx, tenantID, id)
		return o.Name, err
	case avisera.ObjectUser:
		o, err := e.GetUser(ctx, tenantID, id)
		return o.Name, err
	}
	return "", avisera.NotFound(objectType, id)
}

// namer names targets for display, reading each object once per request.
type namer struct {
	h      *handler
	ctx    context.Context
	tenant string
	lang   string
	cache  map[avisera.Target]string
}

func (h *handler) namer(ctx context.Context, s *session) *namer {
	return &namer{h: h, ctx: ctx, tenant: s.tenant.ID, lang: s.lang(), cache: map[avisera.Target]string{}}
}

// name is the object's name, or its id when it cannot be read.
func (n *namer) name(objectType, id string) string {
	t := avisera.Target{Type: objectType, ID: id}
	if v, ok := n.cache[t]; ok {
		return v
	}
	v := id
	if _, ok := kindOf(objectType); ok && id != "" {
		if name, err := n.h.objectName(n.ctx, n.tenant, objectType, id); err == nil && name != "" {
			v = name
		}
	}
	n.cache[t] = v
	return v
}

// remember takes the name of an object the request has already read, so
// that name does not read it again.
func (n *namer) remember(objectType, id, name string) {
	if name == "" {
		name = id
	}
	n.cache[avisera.Target{Type: objectType, ID: id}] = name
}

// label describes a target: "Kund: Kontorshuset AB", "Hela organisationen",
// "Order: 4711".
func (n *namer) label(t avisera.Target) string {
	if t.Type == avisera.TargetTenant {
		return translate(n.lang, "target.tenant")
	}
	return kindLabel(n.lang, t.Type) + ": " + n.name(t.Type, t.ID)
}

// targetPath is the page of a target's links.
func targetPath(t avisera.Target) string {
	if k, ok := kindOf(t.Type); ok {
		return "/" + k.Path + "/" + url.PathEscape(t.ID) + "/links"
	}
	if t.Type == avisera.TargetTenant {
		return "/links/tenant"
	}
	return "/links/object?type=" + url.QueryEscape(t.Type) + "&id=" + url.QueryEscape(t.ID)
}

// objectPath is the page of a master-data object (its contacts tab).
func objectPath(objectType, id string) string {
	if k, ok := kindOf(objectType); ok {
		return tabPath(k, id)
	}
	return ""
}

// objectList is the list screen of a kind.
func (h *handler) objectList(k kind) pageFunc {
	switch k.Type {
	case avisera.ObjectCustomer:
		return h.customers(k)
	case avisera.ObjectContract:
		return h.contracts(k)
	case avisera.ObjectOrgUnit:
		return h.orgUnits(k)
	case avisera.ObjectPlace:
		return h.places(k)
	}
	return h.users(k)
}

// toContacts opens an object on its Kontaktuppgifter tab.
func (h *handler) toContacts(k kind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		redirect(w, r, tabPath(k, r.PathValue("id")))
	}
}
