package render

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/osteele/liquid"
	liquidrender "github.com/osteele/liquid/render"
	"github.com/osteele/liquid/values"
	"github.com/osteele/tuesday"

	"github.com/avisera/avisera"
)

// defaultDateFormat is what {{ x | date }} prints: unambiguous and the
// Swedish convention.
const defaultDateFormat = "%Y-%m-%d %H:%M"

// errInclude is returned when a template reaches for a file: templates are
// stored text and must never read the server's disk.
var errInclude = errors.New("the include tag is not supported")

// engine is the one Liquid engine: standard tags and filters, a date filter
// that prints nothing for missing dates, and no include.
var engine = sync.OnceValue(func() *liquid.Engine {
	e := liquid.NewEngine()
	e.RegisterFilter("date", dateFilter)
	e.RegisterTag("include", func(liquidrender.Context) (string, error) { return "", errInclude })
	return e
})

// dateFilter formats a time or a date string with strftime directives. A
// missing date prints nothing (Liquid's own prints year 1), an unparsable one
// prints as it is.
func dateFilter(v any, format func(string) string) (string, error) {
	var t time.Time
	switch v := v.(type) {
	case nil:
		return "", nil
	case time.Time:
		t = v
	case string:
		if strings.TrimSpace(v) == "" {
			return "", nil
		}
		parsed, err := values.ParseDate(v)
		if err != nil {
			return v, nil
		}
		t = parsed
	default:
		return fmt.Sprint(v), nil
	}
	return tuesday.Strftime(format(defaultDateFormat), t)
}

// cacheSize bounds the parsed-template cache; a tenant has a few hundred
// message versions at most, and a full cache simply starts over.
const cacheSize = 1024

// templates caches parsed templates by kind and source: Render runs per
// recipient, and parsing (and deriving the plain-text template) costs more
// than rendering.
var templates = struct {
	sync.Mutex
	m map[templateKey]*liquid.Template
}{m: map[templateKey]*liquid.Template{}}

// templateKey identifies a cached template: its source, and whether it is
// the plain-text variant derived from it.
type templateKey struct {
	src   string
	plain bool
}

// parse compiles a template; a syntax error becomes an EINVALID error on
// field naming the line.
func parse(field, src string) (*liquid.Template, error) {
	return cached(field, templateKey{src: src})
}

// parsePlain compiles the plain-text variant of a Markdown template.
func parsePlain(field, src string) (*liquid.Template, error) {
	return cached(field, templateKey{src: src, plain: true})
}

// cached returns the template for key, parsing it on a miss.
func cached(field string, key templateKey) (*liquid.Template, error) {
	templates.Lock()
	tpl, ok := templates.m[key]
	templates.Unlock()
	if ok {
		return tpl, nil
	}
	src := key.src
	if key.plain {
		src = plainSource(src)
	}
	tpl, err := compile(field, src)
	if err != nil {
		return nil, err
	}
	templates.Lock()
	if len(templates.m) >= cacheSize {
		clear(templates.m)
	}
	templates.m[key] = tpl
	templates.Unlock()
	return tpl, nil
}

// compile parses src. Liquid panics on some input (an integer literal too
// large for int64), so a panic is an invalid template too.
func compile(field, src string) (tpl *liquid.Template, err error) {
	defer func() {
		if r := recover(); r != nil {
			tpl, err = nil, avisera.Invalid(field, "the template cannot be parsed: %v", r)
		}
	}()
	tpl, serr := engine().ParseTemplateLocation([]byte(src), "", 1)
	if serr != nil {
		return nil, avisera.Invalid(field, "%s", sourceMessage(serr))
	}
	return tpl, nil
}

// liquidPrefix is how Liquid starts its messages; the line is told our way.
var liquidPrefix = regexp.MustCompile(`^(Liquid error(?: \(line \d+\))?: )+`)

// sourceMessage turns a Liquid error into "line 3: what went wrong".
func sourceMessage(err liquid.SourceError) string {
	msg := liquidPrefix.ReplaceAllString(err.Error(), "")
	if cause := err.Cause(); cause != nil {
		msg = liquidPrefix.ReplaceAllString(cause.Error(), "")
	}
	if err.LineNumber() > 0 {
		return fmt.Sprintf("line %d: %s", err.LineNumber(), msg)
	}
	return msg
}
