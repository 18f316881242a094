package admin

import (
	"net/http"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/engine"
	"github.com/avisera/avisera/store"
)

// settingsPage is Inställningar: the tenant's defaults and senders, the
// admin's own password, and the logins of the tenant.
type settingsPage struct {
	Tenant      avisera.Tenant
	Logins      []store.Admin
	NewLogin    NewAdmin
	NewPassword string // a created login's password, shown once
	Self        string
}

// settings shows the settings.
func (h *handler) settings(w http.ResponseWriter, r *http.Request, s *session) {
	h.showSettings(w, r, s, settingsPage{Tenant: s.tenant}, nil)
}

func (h *handler) showSettings(w http.ResponseWriter, r *http.Request, s *session, d settingsPage, err error) {
	logins, lerr := h.store.ListAdmins(r.Context(), s.tenant.ID)
	if err == nil {
		err = lerr
	}
	d.Logins, d.Self = logins, s.admin.ID
	d.Tenant.Settings.SMSPassword = "" // never shown
	if d.NewLogin.Role == "" {
		d.NewLogin.Role = store.AdminRoleReportReader
	}
	h.render(w, r, s, "settings", page{Nav: "settings", Title: "settings.title", Data: d, Err: err})
}

// saveTenant stores the tenant's defaults and sender settings. An empty
// SMS password keeps the stored one.
func (h *handler) saveTenant(w http.ResponseWriter, r *http.Request, s *session) {
	in := engine.TenantUpdate{Name: formText(r, "name"), Region: formText(r, "region"),
		Language: formText(r, "language"), TimeZone: formText(r, "time_zone"),
		Settings: avisera.TenantSettings{SMSProvider: formText(r, "settings.sms_provider"),
			SMSURL: formText(r, "settings.sms_url"), SMSUser: formText(r, "settings.sms_user"),
			SMSPassword: r.PostFormValue("settings.sms_password"), SMSFrom: formText(r, "settings.sms_from"),
			EmailFrom: formText(r, "settings.email_from"), EmailName: formText(r, "settings.email_from_name"),
			LogoURL: formText(r, "settings.logo_url")}}
	if in.Settings.SMSPassword == "" {
		in.Settings.SMSPassword = s.tenant.Settings.SMSPassword
	}
	if _, err := h.engine.UpdateTenant(r.Context(), s.tenant.ID, in); err != nil {
		t := s.tenant
		t.Name, t.Region, t.Language, t.TimeZone, t.Settings = in.Name, in.Region, in.Language, in.TimeZone, in.Settings
		h.showSettings(w, r, s, settingsPage{Tenant: t}, err)
		return
	}
	h.setFlash(w, r, "ok", "flash.settings_saved")
	redirect(w, r, "/settings")
}

// changePassword sets the admin's own password after checking the
// current one; other sessions of the admin end.
func (h *handler) changePassword(w http.ResponseWriter, r *http.Request, s *session) {
	ok, _ := checkPassword(s.admin.PasswordHash, r.PostFormValue("current_password"))
	if !ok {
		h.showSettings(w, r, s, settingsPage{Tenant: s.tenant}, fieldKeyError{"current_password", "error.wrong_password"})
		return
	}
	a, _, err := SetPassword(r.Context(), h.store, s.admin.Email, r.PostFormValue("new_password"))
	if err == nil {
		err = h.startSession(w, r, a)
	}
	if err != nil {
		h.showSettings(w, r, s, settingsPage{Tenant: s.tenant}, err)
		return
	}
	h.setFlash(w, r, "ok", "flash.password_changed")
	redirect(w, r, "/settings")
}

// createLogin adds a login to the tenant and shows its password once.
func (h *handler) createLogin(w http.ResponseWriter, r *http.Request, s *session) {
	in := NewAdmin{TenantID: s.tenant.ID, Email: formText(r, "email"), Name: formText(r, "name"),
		Role: formText(r, "role"), Language: formText(r, "language")}
	a, pw, err := CreateAdmin(r.Context(), h.store, in, h.now())
	if err != nil {
		h.showSettings(w, r, s, settingsPage{Tenant: s.tenant, NewLogin: in}, err)
		return
	}
	h.showSettings(w, r, s, settingsPage{Tenant: s.tenant, NewPassword: pw, NewLogin: NewAdmin{Email: a.Email}}, nil)
}

// deleteLogin removes another login of the tenant.
func (h *handler) deleteLogin(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	if id == s.admin.ID {
		h.setFlash(w, r, "error", "flash.delete_self")
		redirect(w, r, "/settings")
		return
	}
	if err := h.store.DeleteAdmin(r.Context(), s.tenant.ID, id); err != nil {
		h.setFlash(w, r, "error", "flash.failed", explain(s.lang(), err).Message)
	} else {
		h.setFlash(w, r, "ok", "flash.login_deleted")
	}
	redirect(w, r, "/settings")
}
