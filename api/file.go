package api

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"time"

	"github.com/avisera/avisera"
)

func (h *handler) uploadFile(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	r.Body = http.MaxBytesReader(w, r.Body, h.maxFile+1<<20) // the form's own bytes on top
	file, header, err := formFile(r)
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		h.writeError(w, r, avisera.Errorf(avisera.ETOOLARGE, "a file may be at most %d bytes", h.maxFile))
		return
	case err != nil:
		h.writeError(w, r, &avisera.Error{Code: avisera.EBADREQUEST, Field: "file",
			Message: "send the report as multipart/form-data in the field \"file\""})
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, h.maxFile+1))
	if errors.As(err, &maxErr) || int64(len(data)) > h.maxFile {
		h.writeError(w, r, avisera.Errorf(avisera.ETOOLARGE, "a file may be at most %d bytes", h.maxFile))
		return
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	f, err := h.engine.UploadFile(r.Context(), t.ID, header.Filename, data)
	h.respond(w, r, http.StatusCreated, f, err)
}

func (h *handler) getFile(w http.ResponseWriter, r *http.Request, t avisera.Tenant) {
	f, err := h.engine.GetFile(r.Context(), t.ID, r.PathValue("id"))
	h.respond(w, r, http.StatusOK, f, err)
}

// download serves GET /d/{token}: the file a signed link names, with
// range requests; an expired link gets a friendly page (410), a forged or
// altered one 404. A HEAD request is answered but not recorded as a
// download.
func (h *handler) download(w http.ResponseWriter, r *http.Request) {
	f, data, err := h.engine.Download(r.Context(), r.PathValue("token"), r.Method != http.MethodHead)
	if err != nil {
		status, body := h.errorOf(r, err)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		_ = downloadPage.Execute(w, body)
		return
	}
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`,
		asciiName(f.Name), url.PathEscape(f.Name)))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, no-store")
	http.ServeContent(w, r, "", f.CreatedAt.Truncate(time.Second), bytes.NewReader(data))
}

// asciiName is the file name for old clients: non-ASCII becomes _.
func asciiName(name string) string {
	b := []byte(name)
	out := make([]byte, 0, len(b))
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			out = append(out, '_')
			continue
		}
		out = append(out, byte(r))
	}
	return string(out)
}

var downloadPage = template.Must(template.New("download").Parse(`<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Avisera</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}p{line-height:1.5}</style></head>
<body>
{{if eq .Code "gone"}}
<h1>Länken har gått ut</h1>
<p>Nedladdningslänken gäller inte längre. Kontakta avsändaren om du behöver rapporten igen.</p>
<h1 lang="en">This link has expired</h1>
<p lang="en">The download link is no longer valid. Please ask the sender for the report again.</p>
{{else}}
<h1>Filen finns inte</h1>
<p>Länken är ogiltig. Kontrollera att hela länken kom med från e-postmeddelandet.</p>
<h1 lang="en">File not found</h1>
<p lang="en">The link is not valid. Check that the whole link was copied from the email.</p>
{{end}}
</body></html>
`))

// formFile returns the upload in the field "file", or else the only file
// of the form whatever its field is called.
func formFile(r *http.Request) (multipart.File, *multipart.FileHeader, error) {
	f, h, err := r.FormFile("file")
	if !errors.Is(err, http.ErrMissingFile) || r.MultipartForm == nil {
		return f, h, err
	}
	for _, hs := range r.MultipartForm.File {
		if len(hs) == 1 {
			f, err := hs[0].Open()
			return f, hs[0], err
		}
	}
	return nil, nil, http.ErrMissingFile
}
