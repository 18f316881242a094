package admin

import (
	"net/http"
	"net/url"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
)

// contactsPage is Kontaktboken: a search and the contacts found.
type contactsPage struct {
	Contacts []avisera.Contact
	Pager    pager
}

// contacts searches the contact book by name, email or phone.
func (h *handler) contacts(w http.ResponseWriter, r *http.Request, s *session) {
	p := pageQuery(r)
	l, err := h.engine.SearchContacts(r.Context(), s.tenant.ID, p)
	h.render(w, r, s, "contacts", page{Nav: "contacts", Title: "contacts.title", Err: err,
		Data: contactsPage{Contacts: l.Items, Pager: listPager("/contacts", p, l.NextCursor)}})
}

// contactForm is the contact editor's values.
type contactForm struct {
	ID       string
	Name     string
	Emails   []string
	Phones   []string
	Language string
	Active   bool
}

// contactPage is one contact: the editor, where it is linked, and the
// merge of a duplicate.
type contactPage struct {
	Form       contactForm
	Links      []contactLinkRow
	MergeQ     string
	Candidates []avisera.Contact
	Searched   bool
}

// contactLinkRow is one object a contact is linked to.
type contactLinkRow struct {
	Kind  string // translation key of the object kind
	Name  string
	Path  string
	Roles []string
}

func formOf(c avisera.Contact) contactForm {
	f := contactForm{ID: c.ID, Name: c.Name, Emails: c.Emails, Language: c.Language, Active: c.Active}
	for _, p := range c.Phones {
		f.Phones = append(f.Phones, p.Number)
	}
	return f
}

// contactInput reads the editor's form.
func contactInput(r *http.Request) engine.ContactInput {
	return engine.ContactInput{Name: formText(r, "name"), Emails: formList(r, "emails"),
		Phones: formList(r, "phones"), Language: formText(r, "language")}
}

// newContact shows an empty editor.
func (h *handler) newContact(w http.ResponseWriter, r *http.Request, s *session) {
	h.showContact(w, r, s, contactPage{Form: contactForm{Active: true}}, nil)
}

// showContact renders the editor with room for one more address of each
// kind.
func (h *handler) showContact(w http.ResponseWriter, r *http.Request, s *session, d contactPage, err error) {
	d.Form.Emails, d.Form.Phones = padded(d.Form.Emails, 2), padded(d.Form.Phones, 2)
	title := "contact.edit"
	if d.Form.ID == "" {
		title = "contact.new"
	}
	h.render(w, r, s, "contact", page{Nav: "contacts", Title: title, Data: d, Err: err})
}

// createContact adds a contact to the contact book.
func (h *handler) createContact(w http.ResponseWriter, r *http.Request, s *session) {
	in := contactInput(r)
	c, err := h.engine.CreateContact(r.Context(), s.tenant.ID, in)
	if err != nil {
		h.showContact(w, r, s, contactPage{Form: contactForm{Name: in.Name, Emails: in.Emails, Phones: in.Phones,
			Language: in.Language, Active: true}}, err)
		return
	}
	h.setFlash(w, r, "ok", "flash.contact_saved", c.Name)
	redirect(w, r, "/contacts/"+url.PathEscape(c.ID))
}

// contact shows one contact's editor, links and merge search.
func (h *handler) contact(w http.ResponseWriter, r *http.Request, s *session) {
	c, links, err := h.engine.GetContact(r.Context(), s.tenant.ID, r.PathValue("id"))
	if err != nil {
		h.notFound(w, r, s)
		return
	}
	d := contactPage{Form: formOf(c), Links: h.contactLinkRows(r, s, links), MergeQ: r.URL.Query().Get("merge_q")}
	if d.MergeQ != "" {
		found, err := h.engine.SearchContacts(r.Context(), s.tenant.ID, avisera.Page{Q: d.MergeQ, Limit: 20})
		if err != nil {
			h.showContact(w, r, s, d, err)
			return
		}
		for _, f := range found.Items {
			if f.ID != c.ID {
				d.Candidates = append(d.Candidates, f)
			}
		}
		d.Searched = true
	}
	h.showContact(w, r, s, d, nil)
}

// contactLinkRows names the objects a contact is linked to.
func (h *handler) contactLinkRows(r *http.Request, s *session, links []avisera.ContactLink) []contactLinkRow {
	n := h.namer(r.Context(), s)
	rows := make([]contactLinkRow, 0, len(links))
	for _, l := range links {
		k, _ := kindOf(l.ObjectType)
		rows = append(rows, contactLinkRow{Kind: k.One, Name: n.name(l.ObjectType, l.ObjectID),
			Path: objectPath(l.ObjectType, l.ObjectID), Roles: l.Roles})
	}
	return rows
}

// updateContact saves a contact's name, addresses and language.
func (h *handler) updateContact(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	in := contactInput(r)
	c, err := h.engine.UpdateContact(r.Context(), s.tenant.ID, id, in)
	if err != nil {
		_, links, _ := h.engine.GetContact(r.Context(), s.tenant.ID, id)
		h.showContact(w, r, s, contactPage{Form: contactForm{ID: id, Name: in.Name, Emails: in.Emails,
			Phones: in.Phones, Language: in.Language, Active: true}, Links: h.contactLinkRows(r, s, links)}, err)
		return
	}
	h.setFlash(w, r, "ok", "flash.contact_saved", c.Name)
	redirect(w, r, "/contacts/"+url.PathEscape(id))
}

// mergeContact merges the chosen duplicate into the contact.
func (h *handler) mergeContact(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	c, err := h.engine.MergeContacts(r.Context(), s.tenant.ID, id, r.PostFormValue("from_id"))
	if err != nil {
		h.setFlash(w, r, "error", "flash.failed", explain(s.lang(), err).Message)
	} else {
		h.setFlash(w, r, "ok", "flash.contact_merged", c.Name)
	}
	redirect(w, r, "/contacts/"+url.PathEscape(id))
}

// setContactActive deactivates or reactivates a contact.
func (h *handler) setContactActive(active bool) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		id := r.PathValue("id")
		c, err := h.engine.SetContactActive(r.Context(), s.tenant.ID, id, active)
		switch {
		case err != nil:
			h.setFlash(w, r, "error", "flash.failed", explain(s.lang(), err).Message)
		case active:
			h.setFlash(w, r, "ok", "flash.contact_activated", c.Name)
		default:
			h.setFlash(w, r, "ok", "flash.contact_deactivated", c.Name)
		}
		redirect(w, r, back(r, "/contacts/"+url.PathEscape(id)))
	}
}
