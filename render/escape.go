package render

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// markup escapes a value for the Markdown email body, which becomes HTML:
// HTML's special characters become entity references (which Markdown keeps
// as text), and Markdown's inline markup characters get a backslash, so a
// customer named "<script>" or "A*B*C" shows exactly that.
var markup = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;",
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "~", `\~`, "|", `\|`,
)

// urlMarkup escapes a value that is a URL, such as a report's download
// link: the characters that are never valid raw in a URL are percent-encoded
// (so no markup can hide in it) and nothing else is touched, so that the URL
// still works as a link destination, an autolink or a bare, linkified URL.
var urlMarkup = strings.NewReplacer(
	"<", "%3C", ">", "%3E", `"`, "%22", "'", "%27", "`", "%60", `\`, "%5C",
	"(", "%28", ")", "%29", "[", "%5B", "]", "%5D", "|", "%7C", "{", "%7B", "}", "%7D",
)

// isURL reports whether s is a single web or mail address.
func isURL(s string) bool {
	return (hasLowerPrefix(s, "https://") || hasLowerPrefix(s, "http://") ||
		hasLowerPrefix(s, "mailto:")) && !strings.ContainsFunc(s, unicode.IsSpace)
}

// hasLowerPrefix reports whether strings.ToLower(s) starts with prefix, which
// is lower-case ASCII. It lowers only the runes it compares: isURL runs on
// every string of an event, and lowering a whole name with non-ASCII letters
// allocates. ToLower maps rune by rune, so this is the same test.
func hasLowerPrefix(s, prefix string) bool {
	for _, r := range s {
		if prefix == "" {
			return true
		}
		if r = unicode.ToLower(r); r >= utf8.RuneSelf || byte(r) != prefix[0] {
			return false
		}
		prefix = prefix[1:]
	}
	return prefix == ""
}

// escapeString escapes one string for the Markdown email body.
func escapeString(s string) string {
	if isURL(s) {
		return urlMarkup.Replace(s)
	}
	return escapeLineStarts(markup.Replace(s))
}

// escapeLineStarts puts a backslash before what Markdown would read as the
// marker of a block at the start of a line of the value — a heading (#), a
// list item (- + 1. 1)), a setext underline or a rule (= -) — since a value
// may start a line of the template ("3. Trapphuset" as a place name) or hold
// lines of its own. A backslash before punctuation shows the punctuation.
func escapeLineStarts(s string) string {
	var out []byte // nil until something is escaped
	last := 0
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		if k := blockMarkerAt(s, j); k >= 0 {
			out = append(append(out, s[last:k]...), '\\')
			last = k
		}
		nl := strings.IndexByte(s[j:], '\n')
		if nl < 0 {
			break
		}
		i = j + nl + 1
	}
	if out == nil {
		return s
	}
	return string(append(out, s[last:]...))
}

// blockMarkerAt returns the index of the character to escape when s[j:]
// starts with a block marker, else -1.
func blockMarkerAt(s string, j int) int {
	if j >= len(s) {
		return -1
	}
	switch c := s[j]; {
	case c == '#' || c == '-' || c == '+' || c == '=':
		return j
	case c >= '0' && c <= '9':
		d := j
		for d < len(s) && s[d] >= '0' && s[d] <= '9' {
			d++
		}
		if d < len(s) && (s[d] == '.' || s[d] == ')') {
			return d
		}
	}
	return -1
}

// escapeVars returns vars with every string escaped for the HTML part.
// Maps, slices and pointers of any type are followed; numbers, booleans and
// times are kept so that filters still work on them; any other value becomes
// its escaped string form, so nothing reaches the HTML raw.
//
// vars is never changed. A map or slice of JSON's types in which nothing
// needs escaping is shared with vars instead of copied: most values (ids,
// numbers, dates, plain names) hold no markup, Render runs once per
// recipient, and Liquid only reads the variables.
func escapeVars(vars map[string]any) map[string]any {
	out, _ := escapeMap(vars)
	return out
}

// escapeMap escapes the values of m. It returns m itself, and changed false,
// when no value needs escaping; otherwise a copy.
func escapeMap(m map[string]any) (out map[string]any, changed bool) {
	if m == nil { // a copy has always been a map, which Liquid's json prints as {}, not null
		return map[string]any{}, true
	}
	for k, v := range m {
		e, ch := escapeValue(v)
		if !ch {
			continue
		}
		if out == nil { // the first change: copy m, including the keys seen
			out = maps.Clone(m)
		}
		out[k] = e
	}
	if out == nil {
		return m, false
	}
	return out, true
}

// escapeSlice is escapeMap for a list.
func escapeSlice(s []any) (out []any, changed bool) {
	if s == nil { // as in escapeMap: [], not null
		return []any{}, true
	}
	for i, v := range s {
		e, ch := escapeValue(v)
		if !ch {
			continue
		}
		if out == nil {
			out = slices.Clone(s)
		}
		out[i] = e
	}
	if out == nil {
		return s, false
	}
	return out, true
}

// escapeValue escapes one value; see escapeVars. changed false means the
// result is v itself (not a copy, and a string not boxed anew).
func escapeValue(v any) (escaped any, changed bool) {
	switch x := v.(type) {
	case nil, bool, int, int64, float64, time.Time:
		return v, false
	case string:
		if e := escapeString(x); e != x {
			return e, true
		}
		return v, false
	case map[string]any:
		return escapeMap(x)
	case []any:
		return escapeSlice(x)
	}
	// Other types are converted (a struct to its string form, a
	// map[string]string to a map[string]any), so the result always differs.
	return escapeReflect(reflect.ValueOf(v)), true
}

// escapeReflect handles the types that are not JSON's own.
func escapeReflect(rv reflect.Value) any {
	switch rv.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return rv.Interface()
	case reflect.String:
		return escapeString(rv.String())
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil
		}
		e, _ := escapeValue(rv.Elem().Interface())
		return e
	case reflect.Map:
		out := make(map[string]any, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			out[fmt.Sprint(it.Key().Interface())], _ = escapeValue(it.Value().Interface())
		}
		return out
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			out[i], _ = escapeValue(rv.Index(i).Interface())
		}
		return out
	}
	return escapeString(fmt.Sprint(rv.Interface()))
}
