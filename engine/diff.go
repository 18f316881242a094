package engine

import (
	"context"
	"strings"

	"github.com/avisera/avisera"
)

// DiffLine is one line of a line diff: Op is " " (same), "-" (only in the
// older version) or "+" (only in the newer).
type DiffLine struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// FieldDiff is the diff of one field of two message versions.
type FieldDiff struct {
	Field string     `json:"field"`
	Lines []DiffLine `json:"lines"`
}

// VersionDiff compares two versions of a message.
type VersionDiff struct {
	From    int         `json:"from"`
	To      int         `json:"to"`
	Changed []FieldDiff `json:"changed"`
}

// DiffVersions compares versions from and to of a message, field by field;
// unchanged fields are left out.
func (e *Engine) DiffVersions(ctx context.Context, tenantID, id string, from, to int) (VersionDiff, error) {
	a, err := e.MessageVersion(ctx, tenantID, id, from)
	if err != nil {
		return VersionDiff{}, err
	}
	b, err := e.MessageVersion(ctx, tenantID, id, to)
	if err != nil {
		return VersionDiff{}, err
	}
	d := VersionDiff{From: from, To: to, Changed: []FieldDiff{}}
	for _, f := range diffFields(a, b) {
		if f.old != f.new {
			d.Changed = append(d.Changed, FieldDiff{Field: f.name, Lines: diffLines(f.old, f.new)})
		}
	}
	return d, nil
}

type fieldPair struct{ name, old, new string }

// diffFields lists the comparable text of two versions.
func diffFields(a, b avisera.MessageVersion) []fieldPair {
	fields := []fieldPair{
		{"subject", a.Subject, b.Subject}, {"email_body", a.EmailBody, b.EmailBody},
		{"sms_body", a.SMSBody, b.SMSBody}, {"language", a.Language, b.Language},
		{"logo_url", a.LogoURL, b.LogoURL}, {"include_files", boolText(a.IncludeFiles), boolText(b.IncludeFiles)},
	}
	for _, l := range []string{"sv", "en"} {
		va, vb := a.Variants[l], b.Variants[l]
		fields = append(fields, fieldPair{"variants." + l + ".subject", va.Subject, vb.Subject},
			fieldPair{"variants." + l + ".email_body", va.EmailBody, vb.EmailBody},
			fieldPair{"variants." + l + ".sms_body", va.SMSBody, vb.SMSBody})
	}
	return fields
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// diffLines is a longest-common-subsequence line diff; message texts are
// short, so the quadratic table is fine.
func diffLines(old, new string) []DiffLine {
	a, b := strings.Split(old, "\n"), strings.Split(new, "\n")
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []DiffLine
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out = append(out, DiffLine{" ", a[i]})
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, DiffLine{"-", a[i]})
			i++
		default:
			out = append(out, DiffLine{"+", b[j]})
			j++
		}
	}
	return out
}
