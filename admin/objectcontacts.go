package admin

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
)

// objectContactsPage is an object's Kontaktuppgifter tab: its contacts
// with roles, a contact-book search to link more, and "+ kontakt".
type objectContactsPage struct {
	Head     objectHead
	Links    []avisera.ContactLink
	Q        string
	Results  []avisera.Contact
	Searched bool
	Roles    []string
	New      contactForm // the "+ kontakt" form, kept after an error
}

// objectContacts shows the tab; ?q= searches the contact book.
func (h *handler) objectContacts(k kind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		h.showObjectContacts(w, r, s, k, contactForm{}, nil)
	}
}

func (h *handler) showObjectContacts(w http.ResponseWriter, r *http.Request, s *session, k kind, nf contactForm, failed error) {
	ctx, id := r.Context(), r.PathValue("id")
	hd, err := h.head(ctx, s, k, id, "contacts")
	if err != nil {
		h.notFound(w, r, s)
		return
	}
	links, err := h.engine.ObjectContacts(ctx, s.tenant.ID, k.Type, id)
	nf.Emails, nf.Phones = padded(nf.Emails, 1), padded(nf.Phones, 1)
	d := objectContactsPage{Head: hd, Links: links, Q: r.URL.Query().Get("q"), Roles: avisera.Roles, New: nf}
	if err == nil && d.Q != "" {
		var found engine.List[avisera.Contact]
		found, err = h.engine.SearchContacts(ctx, s.tenant.ID, avisera.Page{Q: d.Q, Limit: 25})
		d.Results, d.Searched = unlinked(found.Items, links), true
	}
	if failed != nil {
		err = failed
	}
	h.render(w, r, s, "objectcontacts", page{Nav: k.Path, Title: k.One, Data: d, Err: err})
}

// unlinked drops the contacts already linked from search results.
func unlinked(found []avisera.Contact, links []avisera.ContactLink) []avisera.Contact {
	out := []avisera.Contact{}
	for _, c := range found {
		if !slices.ContainsFunc(links, func(l avisera.ContactLink) bool { return l.ContactID == c.ID }) {
			out = append(out, c)
		}
	}
	return out
}

// tabPath is the Kontaktuppgifter tab of an object.
func tabPath(k kind, id string) string {
	return "/" + k.Path + "/" + url.PathEscape(id) + "/contacts"
}

// linkContacts links the ticked contacts with the chosen roles.
func (h *handler) linkContacts(k kind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		id, ids := r.PathValue("id"), formList(r, "contact_id")
		if len(ids) == 0 {
			h.setFlash(w, r, "warn", "flash.tick_contact")
		}
		for _, cid := range ids {
			l, err := h.engine.LinkContact(r.Context(), s.tenant.ID, avisera.ContactLink{ObjectType: k.Type,
				ObjectID: id, ContactID: cid, Roles: formRoles(r)})
			if err != nil {
				h.setFlash(w, r, "error", "flash.failed", explain(s.lang(), err).Message)
				break
			}
			h.setFlash(w, r, "ok", "flash.contact_linked", l.Contact.Name)
		}
		redirect(w, r, tabPath(k, id))
	}
}

// formRoles reads the ticked contact roles; never nil.
func formRoles(r *http.Request) []string {
	return nonNil(formList(r, "roles"))
}

// setRoles replaces the roles of one linked contact.
func (h *handler) setRoles(k kind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		id := r.PathValue("id")
		l, err := h.engine.LinkContact(r.Context(), s.tenant.ID, avisera.ContactLink{ObjectType: k.Type,
			ObjectID: id, ContactID: r.PathValue("cid"), Roles: formRoles(r)})
		if err != nil {
			h.setFlash(w, r, "error", "flash.failed", explain(s.lang(), err).Message)
		} else {
			h.setFlash(w, r, "ok", "flash.roles_saved", l.Contact.Name)
		}
		redirect(w, r, tabPath(k, id))
	}
}

// unlinkContact removes a contact from the object (not from the book).
func (h *handler) unlinkContact(k kind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		id := r.PathValue("id")
		err := h.engine.UnlinkContact(r.Context(), s.tenant.ID, k.Type, id, r.PathValue("cid"))
		if err != nil {
			h.setFlash(w, r, "error", "flash.failed", explain(s.lang(), err).Message)
		} else {
			h.setFlash(w, r, "ok", "flash.contact_unlinked")
		}
		redirect(w, r, tabPath(k, id))
	}
}

// createObjectContact is "+ kontakt": a new contact in the book, linked to
// the object with the chosen roles at once.
func (h *handler) createObjectContact(k kind) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		id, in := r.PathValue("id"), contactInput(r)
		c, err := h.engine.CreateContact(r.Context(), s.tenant.ID, in)
		if err == nil {
			_, err = h.engine.LinkContact(r.Context(), s.tenant.ID, avisera.ContactLink{ObjectType: k.Type,
				ObjectID: id, ContactID: c.ID, Roles: formRoles(r)})
		}
		if err != nil {
			nf := contactForm{ID: "new", Name: in.Name, Emails: in.Emails, Phones: in.Phones, Language: in.Language}
			h.showObjectContacts(w, r, s, k, nf, err)
			return
		}
		h.setFlash(w, r, "ok", "flash.contact_created_linked", c.Name)
		redirect(w, r, tabPath(k, id))
	}
}
