package admin

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/catalog"
	"github.com/avisera/avisera/store"
)

// views are the parsed templates: per language, per screen, a set of the
// layout, the shared partials and the screen's own file. Each language has
// its own set so that {{t "key"}} needs no language argument.
type views map[string]map[string]*template.Template

// mustParseViews parses every screen in every language.
func mustParseViews() views {
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	v := views{}
	for _, lang := range languages {
		v[lang] = map[string]*template.Template{}
		for _, f := range files {
			screen := strings.TrimSuffix(path.Base(f), ".html")
			if screen == "layout" || screen == "partials" {
				continue
			}
			v[lang][screen] = template.Must(template.New("layout.html").Funcs(funcs(lang)).
				ParseFS(templateFS, "templates/layout.html", "templates/partials.html", f))
		}
	}
	return v
}

// funcs are the template functions bound to one language.
func funcs(lang string) template.FuncMap {
	return template.FuncMap{
		"t":      func(key string, args ...any) string { return translate(lang, key, args...) },
		"pick":   func(sv, en string) string { return pick(lang, sv, en) },
		"dt":     func(loc *time.Location, v any) string { return formatTime(loc, v, "2006-01-02 15:04") },
		"date":   func(loc *time.Location, v any) string { return formatTime(loc, v, "2006-01-02") },
		"status": func(s string) string { return translate(lang, "status."+s) },
		"via":    func(s string) string { return reachedVia(lang, s) },
		"group":  statusGroup,
		"has":    func(list []string, v string) bool { return slices.Contains(list, v) },
		"join":   strings.Join,
		"inc":    func(i int) int { return i + 1 },
		"dec":    func(i int) int { return i - 1 },
		"dict":   dict,
		"trig":   func(et, tr string) string { return triggerLabel(lang, et, tr) },
		"kindof": func(typ string) string { return kindLabel(lang, typ) },
	}
}

// kindLabel names a target or object type: a master-data kind from the
// tables, an event type (a business object) from the catalogue.
func kindLabel(lang, typ string) string {
	if et, ok := catalog.Lookup(typ); ok {
		return pick(lang, et.LabelSV, et.LabelEN)
	}
	return translate(lang, "target.kind."+typ)
}

// triggerLabel names an event type's trigger in lang: "Order – Utförd".
func triggerLabel(lang, eventType, trigger string) string {
	et, ok := catalog.Lookup(eventType)
	if !ok {
		return eventType + "." + trigger
	}
	label := pick(lang, et.LabelSV, et.LabelEN)
	if tr, ok := et.Trigger(trigger); ok {
		return label + " – " + pick(lang, tr.LabelSV, tr.LabelEN)
	}
	return label + " – " + trigger
}

// dict builds a map from key, value pairs, to pass several values to a
// shared template.
func dict(kv ...any) map[string]any {
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].(string)
		m[k] = kv[i+1]
	}
	return m
}

// formatTime formats a time.Time or *time.Time in loc; nil and zero show
// a dash.
func formatTime(loc *time.Location, v any, layout string) string {
	var t time.Time
	switch v := v.(type) {
	case time.Time:
		t = v
	case *time.Time:
		if v != nil {
			t = *v
		}
	}
	if t.IsZero() {
		return "–"
	}
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(layout)
}

// statusGroup sorts a delivery status into the colour of its chip.
func statusGroup(s string) string {
	switch s {
	case avisera.StatusSent, avisera.StatusDelivered, avisera.StatusOpened, avisera.StatusClicked, avisera.StatusDownloaded:
		return "ok"
	case avisera.StatusSuppressed:
		return "skipped"
	case avisera.StatusBounced, avisera.StatusRejected, avisera.StatusInvalidAddress, avisera.StatusFailed, avisera.StatusExpired:
		return "failed"
	}
	return "pending"
}

// page is what every template gets; Data is the screen's own.
type page struct {
	Status      int
	Nav         string // the active navigation item
	Title       string // a translation key
	Lang        string
	CSRF        string
	Admin       *store.Admin
	IsAdmin     bool
	TenantName  string
	Loc         *time.Location
	Path        string // the request URI, where the language switch returns
	Flash       *flashMsg
	Err         error // a failed action: shown on top and at its field
	Error       string
	FieldErrors map[string]string
	Data        any
}

// flashMsg is a message carried over a redirect: a translation key and
// its arguments, shown once.
type flashMsg struct {
	Kind string   `json:"k"` // ok, warn or error
	Key  string   `json:"m"`
	Args []string `json:"a,omitempty"`
	Text string   `json:"-"`
}

// fill completes p for the session and request; a whole page also shows
// (and clears) the flash message.
func (h *handler) fill(w http.ResponseWriter, r *http.Request, s *session, p *page, whole bool) {
	p.Lang, p.Path = h.requestLang(r, s), r.URL.RequestURI()
	if s != nil {
		p.CSRF, p.Admin, p.IsAdmin, p.TenantName, p.Loc = s.csrf, &s.admin, s.isAdmin(), s.tenant.Name, s.loc
	}
	if f := h.flash(w, r, whole); f != nil {
		args := make([]any, len(f.Args))
		for i, a := range f.Args {
			args[i] = a
		}
		f.Text = translate(p.Lang, f.Key, args...)
		p.Flash = f
	}
	if p.Err != nil {
		ue := explain(p.Lang, p.Err)
		p.Error = ue.Message
		if ue.Field != "" {
			p.FieldErrors = map[string]string{ue.Field: ue.Message}
		}
		if p.Status == 0 {
			p.Status = errorStatus(p.Err)
		}
		if internal(p.Err) {
			h.log.ErrorContext(r.Context(), "admin: request failed", "path", r.URL.Path, "err", p.Err)
		}
	}
}

// errorStatus is the HTTP status a failed action answers with.
func errorStatus(err error) int {
	if !internal(err) && avisera.ErrorCode(err) == avisera.EINTERNAL {
		return http.StatusUnprocessableEntity // a keyError of the UI
	}
	switch avisera.ErrorCode(err) {
	case avisera.EINVALID, avisera.EBADREQUEST:
		return http.StatusUnprocessableEntity
	case avisera.ENOTFOUND:
		return http.StatusNotFound
	case avisera.ECONFLICT:
		return http.StatusConflict
	case avisera.EFORBIDDEN:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

// internal reports whether err is a bug or an outage rather than a
// mistake of the user: its cause is logged.
func internal(err error) bool {
	var ke keyError
	var fe fieldKeyError
	if errors.As(err, &ke) || errors.As(err, &fe) {
		return false
	}
	return avisera.ErrorCode(err) == avisera.EINTERNAL
}

// requestLang is the session's language, or for anonymous pages the
// language cookie's.
func (h *handler) requestLang(r *http.Request, s *session) string {
	if s != nil {
		return s.lang()
	}
	if c, err := r.Cookie(langCookie); err == nil {
		return language(c.Value)
	}
	return languages[0]
}

// render writes a whole page of screen.
func (h *handler) render(w http.ResponseWriter, r *http.Request, s *session, screen string, p page) {
	h.execute(w, r, s, screen, "layout.html", p)
}

// fragment writes one named template of screen (an htmx partial update).
func (h *handler) fragment(w http.ResponseWriter, r *http.Request, s *session, screen, name string, p page) {
	h.execute(w, r, s, screen, name, p)
}

func (h *handler) execute(w http.ResponseWriter, r *http.Request, s *session, screen, name string, p page) {
	h.fill(w, r, s, &p, name == "layout.html")
	tpl, ok := h.views[p.Lang][screen]
	if !ok {
		panic("admin: no template " + screen)
	}
	var buf bytes.Buffer
	if err := tpl.ExecuteTemplate(&buf, name, &p); err != nil {
		h.log.ErrorContext(r.Context(), "admin: render", "screen", screen, "err", err)
		http.Error(w, translate(p.Lang, "error.internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if p.Status != 0 {
		w.WriteHeader(p.Status)
	}
	_, _ = buf.WriteTo(w)
}

// flash takes the flash message for a whole page; fragments leave it.
func (h *handler) flash(w http.ResponseWriter, r *http.Request, whole bool) *flashMsg {
	if !whole {
		return nil
	}
	return h.takeFlash(w, r)
}

// setFlash carries a message to the next page.
func (h *handler) setFlash(w http.ResponseWriter, r *http.Request, kind, key string, args ...string) {
	b, _ := json.Marshal(flashMsg{Kind: kind, Key: key, Args: args})
	h.setCookie(w, r, flashCookie, base64.RawURLEncoding.EncodeToString(b), time.Minute)
}

// takeFlash reads and clears the flash message. Only known keys are shown,
// so a forged cookie can say nothing the UI would not.
func (h *handler) takeFlash(w http.ResponseWriter, r *http.Request) *flashMsg {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	h.setCookie(w, r, flashCookie, "", 0)
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	var f flashMsg
	if err != nil || json.Unmarshal(b, &f) != nil || translate("en", f.Key) == f.Key || !strings.HasPrefix(f.Key, "flash.") {
		return nil
	}
	if f.Kind != "ok" && f.Kind != "warn" && f.Kind != "error" {
		f.Kind = "ok"
	}
	return &f
}

// redirect answers a finished action with 303 See Other to target.
func redirect(w http.ResponseWriter, r *http.Request, target string) {
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// notFound is the page for unknown paths.
func (h *handler) notFound(w http.ResponseWriter, r *http.Request, s *session) {
	h.render(w, r, s, "notice", page{Status: http.StatusNotFound, Title: "notfound.title",
		Data: noticePage{Text: "notfound.text"}})
}

// forbidden is the page for actions the session may not take.
func (h *handler) forbidden(w http.ResponseWriter, r *http.Request, s *session, key string) {
	h.render(w, r, s, "notice", page{Status: http.StatusForbidden, Title: "forbidden.title",
		Data: noticePage{Text: key}})
}

// noticePage is a page that only says something.
type noticePage struct {
	Text string // a translation key
}
