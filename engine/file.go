package engine

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/store"
)

// UploadFile stores a report; it is committed before any event can refer
// to it, so its download links work the moment an email goes out (seed
// rule 9).
func (e *Engine) UploadFile(ctx context.Context, tenantID, name string, data []byte) (avisera.File, error) {
	name = cleanFileName(name)
	if name == "" {
		return avisera.File{}, avisera.Invalid("file", "the file needs a name")
	}
	if len(data) == 0 {
		return avisera.File{}, avisera.Invalid("file", "the file is empty")
	}
	sum := sha256.Sum256(data)
	f := avisera.File{ID: newID(), Name: name, ContentType: sniff(name, data), Size: int64(len(data)),
		SHA256: hex.EncodeToString(sum[:]), CreatedAt: e.Now()}
	return f, e.store.PutFile(ctx, tenantID, f, data)
}

// cleanFileName keeps the base name without control characters or quotes,
// which would break the Content-Disposition header.
func cleanFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' {
			return -1
		}
		return r
	}, name)
	if name == "." || name == "/" {
		return ""
	}
	return name
}

// sniff detects the content type from the bytes, as browsers will.
func sniff(name string, data []byte) string {
	ct := http.DetectContentType(data)
	if ct == "application/octet-stream" && strings.HasSuffix(strings.ToLower(name), ".pdf") {
		return "application/pdf"
	}
	return ct
}

// GetFile returns a file's metadata.
func (e *Engine) GetFile(ctx context.Context, tenantID, id string) (avisera.File, error) {
	f, _, err := e.store.GetFile(ctx, tenantID, id, false)
	return f, notFound(err, "file", id)
}

// checkFiles refuses an event naming files that were never uploaded.
func (e *Engine) checkFiles(ctx context.Context, tenantID string, ids []string) ([]avisera.File, error) {
	files := make([]avisera.File, 0, len(ids))
	for i, id := range ids {
		if err := checkID(fmt.Sprintf("files[%d]", i), id); err != nil {
			return nil, err
		}
		f, _, err := e.store.GetFile(ctx, tenantID, id, false)
		if err != nil {
			return nil, mustExist(ctx, fmt.Sprintf("files[%d]", i), "file", id, func(context.Context) error { return err })
		}
		files = append(files, f)
	}
	return files, nil
}

// newSecret returns 32 random bytes as hex.
func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// linkToken signs (tenant, file, delivery, expiry) with the tenant's link
// secret: base64url(payload) "." base64url(HMAC-SHA256).
func linkToken(t avisera.Tenant, fileID, deliveryID string, expires time.Time) string {
	payload := strings.Join([]string{t.ID, fileID, deliveryID, strconv.FormatInt(expires.Unix(), 10)}, "\x1f")
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(sign(t.LinkSecret, payload))
}

func sign(secret, payload string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// downloadLink is a verified token's content.
type downloadLink struct {
	tenant, file, delivery string
	expires                time.Time
}

// parseToken verifies a token; anything forged or altered is ENOTFOUND, so
// that a guesser learns nothing.
func (e *Engine) parseToken(ctx context.Context, token string) (downloadLink, error) {
	gone := avisera.Errorf(avisera.ENOTFOUND, "no such download")
	enc := base64.RawURLEncoding
	p, m, ok := strings.Cut(token, ".")
	payload, err1 := enc.DecodeString(p)
	mac, err2 := enc.DecodeString(m)
	parts := strings.Split(string(payload), "\x1f")
	if !ok || err1 != nil || err2 != nil || len(parts) != 4 {
		return downloadLink{}, gone
	}
	t, err := e.store.GetTenant(ctx, parts[0])
	if err != nil || t.LinkSecret == "" || !hmac.Equal(mac, sign(t.LinkSecret, string(payload))) {
		return downloadLink{}, gone
	}
	unix, err := strconv.ParseInt(parts[3], 10, 64)
	if err != nil {
		return downloadLink{}, gone
	}
	return downloadLink{tenant: parts[0], file: parts[1], delivery: parts[2], expires: time.Unix(unix, 0)}, nil
}

// Download returns the file a signed link names and, when record is set,
// records the download on the delivery (a HEAD request only asks what is
// there). An expired link is EGONE; a forged one ENOTFOUND.
func (e *Engine) Download(ctx context.Context, token string, record bool) (avisera.File, []byte, error) {
	l, err := e.parseToken(ctx, token)
	if err != nil {
		return avisera.File{}, nil, err
	}
	if e.Now().After(l.expires) {
		return avisera.File{}, nil, avisera.Errorf(avisera.EGONE, "this download link expired on %s", l.expires.UTC().Format("2006-01-02"))
	}
	f, data, err := e.store.GetFile(ctx, l.tenant, l.file, true)
	if err != nil {
		return f, nil, notFound(err, "file", l.file)
	}
	if !record {
		return f, data, nil
	}
	err = e.store.Tx(ctx, func(s store.Store) error {
		if err := s.RecordDownload(ctx, l.tenant, l.file, l.delivery, e.Now()); err != nil {
			return err
		}
		return e.applyStatus(ctx, s, l.tenant, l.delivery, avisera.StatusChange{Status: avisera.StatusDownloaded,
			At: e.Now(), Detail: "downloaded " + f.Name})
	})
	return f, data, err
}
