package admin

// route is one page of a logged-in admin and the role it needs.
type route struct {
	pattern string
	role    role
	handle  pageFunc
}

// routes lists every page and action of the UI in one place. Report
// readers reach the follow-up report (and their own session) only.
func (h *handler) routes() []route {
	rs := []route{
		{"GET /{$}", roleReader, h.home},
		{"POST /logout", roleReader, h.logout},
		{"POST /language", roleReader, h.switchLanguage},

		{"GET /followup", roleReader, h.followup},
		{"GET /followup/export", roleReader, h.exportDeliveries},
		{"GET /followup/{id}", roleReader, h.delivery},
		{"POST /followup/{id}/resend", roleAdmin, h.resend},

		{"GET /contacts", roleAdmin, h.contacts},
		{"GET /contacts/new", roleAdmin, h.newContact},
		{"POST /contacts", roleAdmin, h.createContact},
		{"GET /contacts/{id}", roleAdmin, h.contact},
		{"POST /contacts/{id}", roleAdmin, h.updateContact},
		{"POST /contacts/{id}/merge", roleAdmin, h.mergeContact},
		{"POST /contacts/{id}/deactivate", roleAdmin, h.setContactActive(false)},
		{"POST /contacts/{id}/activate", roleAdmin, h.setContactActive(true)},

		{"GET /messages", roleAdmin, h.messages},
		{"GET /messages/new", roleAdmin, h.newMessage},
		{"POST /messages", roleAdmin, h.createMessage},
		{"POST /messages/preview", roleAdmin, h.previewMessage},
		{"GET /messages/{id}", roleAdmin, h.message},
		{"POST /messages/{id}", roleAdmin, h.saveMessage},
		{"GET /messages/{id}/diff", roleAdmin, h.diff},
		{"POST /messages/{id}/relink", roleAdmin, h.relinkMessage},
		{"POST /messages/{id}/archive", roleAdmin, h.archiveMessage(true)},
		{"POST /messages/{id}/restore", roleAdmin, h.archiveMessage(false)},

		{"GET /links", roleAdmin, h.linksOverview},
		{"POST /links", roleAdmin, h.createLink},
		{"GET /links/tenant", roleAdmin, h.tenantLinks},
		{"GET /links/object", roleAdmin, h.businessLinks},
		{"POST /links/{id}/relink", roleAdmin, h.relinkLink},
		{"POST /links/{id}/delete", roleAdmin, h.deleteLink},

		{"GET /plans", roleAdmin, h.plans},
		{"GET /plans/{type}/{id}", roleAdmin, h.plan},
		{"POST /plans/{type}/{id}/cancel", roleAdmin, h.cancelPlan},

		{"GET /mailbox", roleAdmin, h.mailbox},
		{"POST /mailbox/clear", roleAdmin, h.clearMailbox},
		{"GET /api-keys", roleAdmin, h.apiKeys},
		{"POST /api-keys", roleAdmin, h.createAPIKey},
		{"POST /api-keys/{id}/revoke", roleAdmin, h.revokeAPIKey},
		{"GET /settings", roleAdmin, h.settings},
		{"POST /settings", roleAdmin, h.saveTenant},
		{"POST /settings/password", roleAdmin, h.changePassword},
		{"POST /settings/logins", roleAdmin, h.createLogin},
		{"POST /settings/logins/{id}/delete", roleAdmin, h.deleteLogin},
		{"GET /webhooks", roleAdmin, h.webhooks},
		{"POST /webhooks/rotate", roleAdmin, h.rotateWebhookSecret},
	}
	for _, k := range kinds() {
		p := "/" + k.Path
		rs = append(rs,
			route{"GET " + p, roleAdmin, h.objectList(k)},
			route{"GET " + p + "/{id}", roleAdmin, h.toContacts(k)},
			route{"GET " + p + "/{id}/contacts", roleAdmin, h.objectContacts(k)},
			route{"POST " + p + "/{id}/contacts", roleAdmin, h.linkContacts(k)},
			route{"POST " + p + "/{id}/contacts/new", roleAdmin, h.createObjectContact(k)},
			route{"POST " + p + "/{id}/contacts/{cid}", roleAdmin, h.setRoles(k)},
			route{"POST " + p + "/{id}/contacts/{cid}/unlink", roleAdmin, h.unlinkContact(k)},
			route{"GET " + p + "/{id}/links", roleAdmin, h.objectLinks(k)})
	}
	return rs
}
