package catalog

import (
	"strconv"
	"strings"
)

// Variable types, as shown in the template editor.
const (
	TypeString = "string"
	TypeTime   = "time" // an RFC 3339 string; format it with the date filter
	TypeNumber = "number"
	TypeBool   = "bool"
	TypeList   = "list"   // iterate with {% for %}; fields are declared under its name
	TypeObject = "object" // a group; its fields are declared under its name
)

// Variable is one template variable of an event type. Name is a dotted path
// ("order.number"). A variable declared under a list variable names a field of
// each element: "performers.name" is {{ p.name }} in
// {% for p in performers %} or {{ performers.first.name }}.
type Variable struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	LabelSV string `json:"label_sv"`
	LabelEN string `json:"label_en"`
	// Sample is a realistic value used by previews. List samples hold the
	// whole list; their field variables carry the first element's value.
	Sample any `json:"sample,omitempty"`
}

// freeRoot is the one top-level name whose content is never checked: the
// event's own data, passed through from the host.
const freeRoot = "data"

// Known reports whether a variable path, such as ["order", "number"], is
// declared by the event type. A prefix of a declared path (an object such as
// ["customer"]) is known; anything under "data" is known. After a list, one
// index segment may follow: a number, "first", "last" or "*" (any index, as a
// loop variable has). "*" after anything else stands for a key that cannot be
// known before rendering, so the rest of the path is accepted. "size" is known
// as the last segment after any known path.
func (et EventType) Known(path []string) bool {
	if len(path) == 0 || path[0] == "" {
		return false
	}
	if path[0] == freeRoot {
		return true
	}
	w := walker{et: et}
	for i, seg := range path {
		ok, done := w.step(seg, i == len(path)-1)
		if !ok || done {
			return ok
		}
	}
	return true
}

// walker follows a path through the declared variables.
type walker struct {
	et      EventType
	cur     string // the dotted name reached so far; "" at the root
	kind    string // the type of cur
	indexed bool   // cur is a list and an index has been applied
}

// step applies one segment; done means the rest of the path needs no check.
func (w *walker) step(seg string, last bool) (ok, done bool) {
	if w.cur == "" && seg == "*" {
		return false, true
	}
	if w.cur != "" && seg == "size" && last {
		return true, true
	}
	list := w.kind == TypeList && !w.indexed
	if list && isIndex(seg) {
		w.indexed = true
		return true, false
	}
	if seg == "*" || list {
		// A dynamic key into an object is unknowable; a field straight on
		// a list (no index) is always nil in Liquid.
		return !list, true
	}
	next := seg
	if w.cur != "" {
		next = w.cur + "." + seg
	}
	kind, ok := w.et.kindOf(next)
	if !ok {
		return false, true
	}
	w.cur, w.kind, w.indexed = next, kind, false
	return true, false
}

// isIndex reports whether seg selects one element of a list.
func isIndex(seg string) bool {
	if seg == "first" || seg == "last" || seg == "*" {
		return true
	}
	_, err := strconv.Atoi(seg)
	return err == nil
}

// kindOf returns the type of a declared name, or TypeObject for a prefix of
// declared names.
func (et EventType) kindOf(name string) (string, bool) {
	prefix := false
	for _, v := range et.Variables {
		if v.Name == name {
			return v.Type, true
		}
		prefix = prefix || strings.HasPrefix(v.Name, name+".")
	}
	return TypeObject, prefix
}

// Samples returns the nested variable map built from the sample values, such
// as {"customer": {"name": …}, "performers": [{…}, …]}: what previews render
// with. The map is a fresh copy each call, so the caller may change it.
func (et EventType) Samples() map[string]any {
	root := map[string]any{}
	for _, v := range et.Variables {
		if v.Sample == nil || et.underList(v.Name) {
			continue
		}
		setPath(root, strings.Split(v.Name, "."), deepCopy(v.Sample))
	}
	return root
}

// underList reports whether name is a field of a list variable's elements.
func (et EventType) underList(name string) bool {
	for i := strings.LastIndexByte(name, '.'); i > 0; i = strings.LastIndexByte(name[:i], '.') {
		if v, ok := et.Variable(name[:i]); ok && v.Type == TypeList {
			return true
		}
	}
	return false
}

// setPath stores value at the dotted path, creating the objects above it.
func setPath(m map[string]any, path []string, value any) {
	for _, key := range path[:len(path)-1] {
		child, ok := m[key].(map[string]any)
		if !ok {
			child = map[string]any{}
			m[key] = child
		}
		m = child
	}
	m[path[len(path)-1]] = value
}

// deepCopy copies the maps and slices of a sample so callers cannot change
// the catalogue through Samples.
func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = deepCopy(e)
		}
		return out
	default:
		return v
	}
}
