package engine

import (
	"context"
	"maps"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/render"
)

// Preview is a rendered message as a recipient would see it.
type Preview struct {
	render.Output
	Language    string `json:"language"`
	Version     int    `json:"version,omitempty"`
	SMSSegments int    `json:"sms_segments"`
}

// PreviewRequest asks for a preview: of a stored version (0 = latest), in
// a language ("" = the main one), with data merged over the catalogue's
// sample values.
type PreviewRequest struct {
	Version  int
	Language string
	Data     map[string]any
}

// PreviewMessage renders a stored message version with sample or given data.
func (e *Engine) PreviewMessage(ctx context.Context, tenantID, id string, req PreviewRequest) (Preview, error) {
	m, err := e.store.GetMessage(ctx, tenantID, id)
	if err != nil {
		return Preview{}, notFound(err, "message", id)
	}
	if req.Version == 0 {
		req.Version = m.LatestVersion
	}
	v, err := e.MessageVersion(ctx, tenantID, id, req.Version)
	if err != nil {
		return Preview{}, err
	}
	return previewVersion(m.EventType, v, req)
}

// PreviewDraft renders unsaved content (the editor's live preview); the
// templates are checked first so errors name the field and line.
func (e *Engine) PreviewDraft(ctx context.Context, tenantID string, in MessageInput, req PreviewRequest) (Preview, error) {
	et, err := eventType("event_type", in.EventType)
	if err != nil {
		return Preview{}, err
	}
	if in.Language == "" {
		t, err := e.store.GetTenant(ctx, tenantID)
		if err != nil {
			return Preview{}, err
		}
		in.Language = t.Language
	}
	if err := checkContent(et, in); err != nil {
		return Preview{}, err
	}
	v := avisera.MessageVersion{Content: in.Content, Language: in.Language, Variants: in.Variants, LogoURL: in.LogoURL}
	return previewVersion(in.EventType, v, req)
}

func previewVersion(eventTypeName string, v avisera.MessageVersion, req PreviewRequest) (Preview, error) {
	et, err := eventType("event_type", eventTypeName)
	if err != nil {
		return Preview{}, err
	}
	if err := checkLanguage("language", req.Language); err != nil {
		return Preview{}, err
	}
	vars := mergeVars(et.Samples(), req.Data)
	content, lang := v.ContentFor(req.Language)
	if r, ok := vars["recipient"].(map[string]any); ok {
		r["language"] = lang
	}
	out, err := render.Render(content, vars, render.Options{LogoURL: v.LogoURL, Language: lang})
	if err != nil {
		return Preview{}, err
	}
	return Preview{Output: out, Language: lang, Version: v.Version, SMSSegments: out.SMSInfo.Segments}, nil
}

// mergeVars overlays data on base, recursively for nested objects.
func mergeVars(base, data map[string]any) map[string]any {
	out := maps.Clone(base)
	for k, v := range data {
		bm, ok1 := out[k].(map[string]any)
		dm, ok2 := v.(map[string]any)
		if ok1 && ok2 {
			out[k] = mergeVars(bm, dm)
			continue
		}
		out[k] = v
	}
	return out
}

// PreviewLink renders what a link sends: its pinned message version.
func (e *Engine) PreviewLink(ctx context.Context, tenantID, id string, req PreviewRequest) (Preview, error) {
	l, err := e.GetLink(ctx, tenantID, id)
	if err != nil {
		return Preview{}, err
	}
	req.Version = l.MessageVersion
	return e.PreviewMessage(ctx, tenantID, l.MessageID, req)
}
