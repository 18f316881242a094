package admin

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/avisera/avisera"
)

// formList returns the trimmed, non-empty values of a repeated field.
func formList(r *http.Request, name string) []string {
	var out []string
	for _, v := range r.PostForm[name] {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// formText returns a trimmed form value.
func formText(r *http.Request, name string) string {
	return strings.TrimSpace(r.PostFormValue(name))
}

// parseDate reads a yyyy-mm-dd value as midnight in loc; empty is nil.
// field names the engine's field in the error.
func parseDate(v, field string, loc *time.Location) (*time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	t, err := time.ParseInLocation("2006-01-02", v, loc)
	if err != nil {
		return nil, avisera.Invalid(field, "%q is not a date such as 2026-03-01", v)
	}
	t = t.UTC()
	return &t, nil
}

// back is the local page an action returns to: the form's "back" field, or
// fallback.
func back(r *http.Request, fallback string) string {
	return localPath(r.PostFormValue("back"), fallback)
}

// pageQuery reads the list paging of a GET request.
func pageQuery(r *http.Request) avisera.Page {
	q := r.URL.Query()
	return avisera.Page{Q: strings.TrimSpace(q.Get("q")), After: q.Get("cursor"), Limit: 50}
}

// pager is the paging of a list page: the next page's cursor.
type pager struct {
	Q      string
	Next   string // the cursor of the next page, "" on the last
	Paged  bool   // this is not the first page
	Search string // the path of the list
}

// listPager is the paging of the list at path, read with p.
func listPager(path string, p avisera.Page, next string) pager {
	return pager{Q: p.Q, Next: next, Paged: p.After != "", Search: path}
}

// padded returns values and at least one empty entry, n entries at
// least, so that a form offers a field to type a new value in.
func padded(values []string, n int) []string {
	out := append(append([]string{}, values...), "")
	for len(out) < n {
		out = append(out, "")
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// atoi reads a whole number; anything else is 0.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
