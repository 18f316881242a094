package render

import (
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode"
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
	lower := strings.ToLower(s)
	return (strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://") ||
		strings.HasPrefix(lower, "mailto:")) && !strings.ContainsFunc(s, unicode.IsSpace)
}

// escapeString escapes one string for the Markdown email body.
func escapeString(s string) string {
	if isURL(s) {
		return urlMarkup.Replace(s)
	}
	return markup.Replace(s)
}

// escapeVars returns a deep copy of vars with every string escaped for the
// HTML part. Maps, slices and pointers of any type are followed; numbers,
// booleans and times are kept so that filters still work on them; any other
// value becomes its escaped string form, so nothing reaches the HTML raw.
func escapeVars(vars map[string]any) map[string]any {
	out := make(map[string]any, len(vars))
	for k, v := range vars {
		out[k] = escapeValue(v)
	}
	return out
}

// escapeValue escapes one value; see escapeVars.
func escapeValue(v any) any {
	switch v := v.(type) {
	case nil, bool, int, int64, float64, time.Time:
		return v
	case string:
		return escapeString(v)
	case map[string]any:
		return escapeVars(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = escapeValue(e)
		}
		return out
	}
	return escapeReflect(reflect.ValueOf(v))
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
		return escapeValue(rv.Elem().Interface())
	case reflect.Map:
		out := make(map[string]any, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			out[fmt.Sprint(it.Key().Interface())] = escapeValue(it.Value().Interface())
		}
		return out
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = escapeValue(rv.Index(i).Interface())
		}
		return out
	}
	return escapeString(fmt.Sprint(rv.Interface()))
}
