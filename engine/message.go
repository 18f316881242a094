package engine

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/catalog"
	"github.com/avisera/avisera/render"
	"github.com/avisera/avisera/store"
)

// MessageInput is a message's editable content. EventType is fixed when the
// message is created; an update may repeat it but not change it.
type MessageInput struct {
	EventType    string
	Name         string
	Content      avisera.Content
	Language     string
	Variants     map[string]avisera.Content
	LogoURL      string
	IncludeFiles bool
	Note         string
}

// eventType looks up a catalogue entry, naming field when it is unknown.
func eventType(field, name string) (catalog.EventType, error) {
	et, ok := catalog.Lookup(name)
	if !ok {
		names := []string{}
		for _, t := range catalog.All() {
			names = append(names, t.Name)
		}
		return et, avisera.Invalid(field, "%q is not an event type (%v)", name, names)
	}
	return et, nil
}

// checkContent validates the templates of every language variant.
func checkContent(et catalog.EventType, in MessageInput) error {
	if err := render.Check(et, in.Content); err != nil {
		return err
	}
	langs := make([]string, 0, len(in.Variants))
	for l := range in.Variants {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		if err := checkLanguage("variants", l); err != nil || l == in.Language {
			return avisera.Invalid("variants", "%q must be sv or en and differ from the main language", l)
		}
		if err := render.Check(et, in.Variants[l]); err != nil {
			var e *avisera.Error
			if errors.As(err, &e) {
				e.Field = "variants." + l + "." + e.Field
			}
			return err
		}
	}
	return nil
}

// buildVersion validates input into a version of message m.
func (e *Engine) buildVersion(ctx context.Context, tenantID string, m avisera.Message, in MessageInput, by string) (avisera.MessageVersion, error) {
	if err := required("name", in.Name, 200); err != nil {
		return avisera.MessageVersion{}, err
	}
	et, err := eventType("event_type", m.EventType)
	if err != nil {
		return avisera.MessageVersion{}, err
	}
	if in.Language == "" {
		t, err := e.store.GetTenant(ctx, tenantID)
		if err != nil {
			return avisera.MessageVersion{}, err
		}
		in.Language = t.Language
	}
	if err := first(checkLanguage("language", in.Language), checkLogo(in.LogoURL), checkContent(et, in)); err != nil {
		return avisera.MessageVersion{}, err
	}
	if in.Content == (avisera.Content{}) {
		return avisera.MessageVersion{}, avisera.Invalid("subject", "a message needs a subject, an email body or an SMS body")
	}
	return avisera.MessageVersion{MessageID: m.ID, Version: m.LatestVersion + 1, Content: in.Content,
		Language: in.Language, Variants: in.Variants, LogoURL: in.LogoURL, IncludeFiles: in.IncludeFiles,
		ChangedBy: by, Note: in.Note, CreatedAt: e.Now()}, nil
}

func checkLogo(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return avisera.Invalid("logo_url", "%q is not an http(s) URL", raw)
	}
	return nil
}

// CreateMessage creates a message for an event type with its first version.
// by names who made the change (an API key or an administrator).
func (e *Engine) CreateMessage(ctx context.Context, tenantID string, in MessageInput, by string) (avisera.Message, error) {
	if _, err := eventType("event_type", in.EventType); err != nil {
		return avisera.Message{}, err
	}
	m := avisera.Message{ID: newID(), EventType: in.EventType, Name: in.Name, CreatedAt: e.Now(), UpdatedAt: e.Now()}
	v, err := e.buildVersion(ctx, tenantID, m, in, by)
	if err != nil {
		return m, err
	}
	m.LatestVersion, m.Latest = v.Version, &v
	return m, e.store.CreateMessage(ctx, tenantID, m, v)
}

// UpdateMessage stores the input as a new immutable version. Links keep the
// version they were linked with until they are re-linked (seed rule 3).
func (e *Engine) UpdateMessage(ctx context.Context, tenantID, id string, in MessageInput, by string) (avisera.Message, error) {
	var m avisera.Message
	err := e.store.Tx(ctx, func(s store.Store) error {
		var err error
		if m, err = s.GetMessage(ctx, tenantID, id); err != nil {
			return notFound(err, "message", id)
		}
		if in.EventType != "" && in.EventType != m.EventType {
			return avisera.Invalid("event_type", "a message's event type cannot change (it is %s); create a new message", m.EventType)
		}
		if strings.TrimSpace(in.Name) == "" {
			in.Name = m.Name // an update may leave the name out
		}
		v, err := e.buildVersion(ctx, tenantID, m, in, by)
		if err != nil {
			return err
		}
		m.Name, m.LatestVersion, m.UpdatedAt, m.Latest = in.Name, v.Version, e.Now(), &v
		return s.AddMessageVersion(ctx, tenantID, m, v)
	})
	return m, err
}

// GetMessage returns a message with its latest version.
func (e *Engine) GetMessage(ctx context.Context, tenantID, id string) (avisera.Message, error) {
	m, err := e.store.GetMessage(ctx, tenantID, id)
	if err != nil {
		return m, notFound(err, "message", id)
	}
	v, err := e.store.GetMessageVersion(ctx, tenantID, id, m.LatestVersion)
	m.Latest = &v
	return m, err
}

// ListMessages lists messages, optionally of one event type.
func (e *Engine) ListMessages(ctx context.Context, tenantID string, f store.MessageFilter, p avisera.Page) (List[avisera.Message], error) {
	p = p.Normalize()
	if f.EventType != "" {
		if _, err := eventType("event_type", f.EventType); err != nil {
			return List[avisera.Message]{}, err
		}
	}
	items, err := e.store.ListMessages(ctx, tenantID, f, ahead(p))
	return page(items, p, func(m avisera.Message) string { return m.ID }), err
}

// SetMessageArchived archives or restores a message. The links of an
// archived message stay but send nothing, and no new link can use it.
func (e *Engine) SetMessageArchived(ctx context.Context, tenantID, id string, archived bool) (avisera.Message, error) {
	var at *avisera.Message
	now := e.Now()
	err := e.store.Tx(ctx, func(s store.Store) error {
		when := &now
		if !archived {
			when = nil
		}
		if err := s.SetMessageArchived(ctx, tenantID, id, when); err != nil {
			return notFound(err, "message", id)
		}
		m, err := s.GetMessage(ctx, tenantID, id)
		at = &m
		return err
	})
	if err != nil {
		return avisera.Message{}, err
	}
	return *at, nil
}

// MessageVersions lists a message's versions, newest first.
func (e *Engine) MessageVersions(ctx context.Context, tenantID, id string) ([]avisera.MessageVersion, error) {
	if _, err := e.store.GetMessage(ctx, tenantID, id); err != nil {
		return nil, notFound(err, "message", id)
	}
	return e.store.ListMessageVersions(ctx, tenantID, id)
}

// MessageVersion returns one version of a message.
func (e *Engine) MessageVersion(ctx context.Context, tenantID, id string, version int) (avisera.MessageVersion, error) {
	v, err := e.store.GetMessageVersion(ctx, tenantID, id, version)
	return v, notFound(err, "message version", fmt.Sprintf("%s/%d", id, version))
}
