package admin

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/catalog"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/store"
)

// messageForm holds the editor's values: the main content and one variant
// in the other language.
type messageForm struct {
	ID                                               string
	EventType, Name, Language                        string
	Subject, EmailBody, SMSBody                      string
	VariantSubject, VariantEmailBody, VariantSMSBody string
	LogoURL, Note, PreviewLang                       string
	IncludeFiles                                     bool
}

// VariantLang is the language of the variant: the one the main content is
// not in.
func (f messageForm) VariantLang() string {
	if f.Language == "en" {
		return "sv"
	}
	return "en"
}

// editorPage is the message editor with its variable picker, preview,
// versions and the links that use the message.
type editorPage struct {
	Form       messageForm
	Message    *avisera.Message
	EventType  catalog.EventType
	Vars       []varItem
	Preview    *engine.Preview
	PreviewErr string
	Versions   []avisera.MessageVersion
	Used       []linkRow
	Stale      int
}

// chooseTypePage asks which event type a new message is for.
type chooseTypePage struct {
	EventTypes []catalog.EventType
}

// newMessage starts the editor for an event type, or asks for one.
func (h *handler) newMessage(w http.ResponseWriter, r *http.Request, s *session) {
	et, ok := catalog.Lookup(r.URL.Query().Get("event_type"))
	if !ok {
		h.render(w, r, s, "choosetype", page{Nav: "messages", Title: "message.new",
			Data: chooseTypePage{EventTypes: catalog.All()}})
		return
	}
	f := messageForm{EventType: et.Name, Language: s.tenant.Language, PreviewLang: s.tenant.Language}
	h.showEditor(w, r, s, editorPage{Form: f}, nil)
}

// message opens the editor on a message's latest version.
func (h *handler) message(w http.ResponseWriter, r *http.Request, s *session) {
	m, err := h.engine.GetMessage(r.Context(), s.tenant.ID, r.PathValue("id"))
	if err != nil {
		h.notFound(w, r, s)
		return
	}
	h.showEditor(w, r, s, editorPage{Form: formOfVersion(m), Message: &m}, nil)
}

// formOfVersion fills the editor from a message's latest version.
func formOfVersion(m avisera.Message) messageForm {
	v := m.Latest
	f := messageForm{ID: m.ID, EventType: m.EventType, Name: m.Name, Language: v.Language, Subject: v.Subject,
		EmailBody: v.EmailBody, SMSBody: v.SMSBody, LogoURL: v.LogoURL, IncludeFiles: v.IncludeFiles,
		PreviewLang: v.Language}
	if c, ok := v.Variants[f.VariantLang()]; ok {
		f.VariantSubject, f.VariantEmailBody, f.VariantSMSBody = c.Subject, c.EmailBody, c.SMSBody
	}
	return f
}

// showEditor renders the editor with its preview, picker and history.
func (h *handler) showEditor(w http.ResponseWriter, r *http.Request, s *session, d editorPage, err error) {
	ctx := r.Context()
	d.EventType, _ = catalog.Lookup(d.Form.EventType)
	d.Vars = varItems(d.EventType, s.lang())
	if d.Preview == nil && d.PreviewErr == "" {
		h.preview(r, s, &d)
	}
	title := "message.new"
	if d.Message != nil {
		title = "message.edit"
		var verr error
		if d.Versions, verr = h.engine.MessageVersions(ctx, s.tenant.ID, d.Message.ID); verr == nil {
			d.Used, verr = h.linkRows(ctx, s, store.LinkFilter{MessageID: d.Message.ID}) // where used
		}
		for _, u := range d.Used {
			if u.Link.Stale {
				d.Stale++
			}
		}
		if err == nil {
			err = verr
		}
	}
	h.render(w, r, s, "editor", page{Nav: "messages", Title: title, Data: d, Err: err})
}

// editorForm reads the editor's form.
func editorForm(r *http.Request) messageForm {
	return messageForm{ID: r.PathValue("id"), EventType: formText(r, "event_type"), Name: formText(r, "name"),
		Language: formText(r, "language"), Subject: r.PostFormValue("subject"),
		EmailBody: r.PostFormValue("email_body"), SMSBody: r.PostFormValue("sms_body"),
		VariantSubject: r.PostFormValue("variant_subject"), VariantEmailBody: r.PostFormValue("variant_email_body"),
		VariantSMSBody: r.PostFormValue("variant_sms_body"), LogoURL: formText(r, "logo_url"),
		Note: formText(r, "note"), PreviewLang: formText(r, "preview_lang"), IncludeFiles: r.PostFormValue("include_files") != ""}
}

// input turns the form into the engine's message input.
func (f messageForm) input() engine.MessageInput {
	in := engine.MessageInput{EventType: f.EventType, Name: f.Name, Language: f.Language, LogoURL: f.LogoURL,
		IncludeFiles: f.IncludeFiles, Note: f.Note,
		Content: avisera.Content{Subject: f.Subject, EmailBody: f.EmailBody, SMSBody: f.SMSBody}}
	v := avisera.Content{Subject: f.VariantSubject, EmailBody: f.VariantEmailBody, SMSBody: f.VariantSMSBody}
	if strings.TrimSpace(v.Subject+v.EmailBody+v.SMSBody) != "" {
		in.Variants = map[string]avisera.Content{f.VariantLang(): v}
	}
	return in
}

// createMessage saves a new message, or previews it (op=preview, the
// editor's way without JavaScript).
func (h *handler) createMessage(w http.ResponseWriter, r *http.Request, s *session) {
	f := editorForm(r)
	if r.PostFormValue("op") == "preview" {
		h.showEditor(w, r, s, editorPage{Form: f}, nil)
		return
	}
	m, err := h.engine.CreateMessage(r.Context(), s.tenant.ID, f.input(), s.admin.Email)
	if err != nil {
		h.showEditor(w, r, s, editorPage{Form: f}, err)
		return
	}
	h.setFlash(w, r, "ok", "flash.message_created", m.Name)
	redirect(w, r, "/messages/"+url.PathEscape(m.ID))
}

// saveMessage stores the editor's content as a new version, or previews.
func (h *handler) saveMessage(w http.ResponseWriter, r *http.Request, s *session) {
	f := editorForm(r)
	old, err := h.engine.GetMessage(r.Context(), s.tenant.ID, f.ID)
	if err != nil {
		h.notFound(w, r, s)
		return
	}
	f.EventType = old.EventType
	if r.PostFormValue("op") == "preview" {
		h.showEditor(w, r, s, editorPage{Form: f, Message: &old}, nil)
		return
	}
	m, err := h.engine.UpdateMessage(r.Context(), s.tenant.ID, f.ID, f.input(), s.admin.Email)
	if err != nil {
		h.showEditor(w, r, s, editorPage{Form: f, Message: &old}, err)
		return
	}
	h.setFlash(w, r, "ok", "flash.version_saved", itoa(m.LatestVersion))
	redirect(w, r, "/messages/"+url.PathEscape(m.ID))
}

// previewMessage answers the editor's live preview (htmx).
func (h *handler) previewMessage(w http.ResponseWriter, r *http.Request, s *session) {
	d := editorPage{Form: editorForm(r)}
	if id := formText(r, "message_id"); id != "" {
		if m, err := h.engine.GetMessage(r.Context(), s.tenant.ID, id); err == nil {
			d.Form.EventType = m.EventType
		}
	}
	h.preview(r, s, &d)
	h.fragment(w, r, s, "editor", "preview", page{Data: d})
}

// preview renders the form's draft with the catalogue's samples.
func (h *handler) preview(r *http.Request, s *session, d *editorPage) {
	in := d.Form.input()
	if in.Content == (avisera.Content{}) && in.Variants == nil {
		return
	}
	lang := d.Form.PreviewLang
	if lang != "sv" && lang != "en" {
		lang = "" // the main language
	}
	p, err := h.engine.PreviewDraft(r.Context(), s.tenant.ID, in, engine.PreviewRequest{Language: lang})
	if err != nil {
		d.PreviewErr = explain(s.lang(), err).Message
		return
	}
	d.Preview = &p
}
