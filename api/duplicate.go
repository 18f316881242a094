package api

import (
	"bytes"
	"cmp"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

// duplicateKey returns the path of the first object member of body, valid
// JSON to be decoded into a value of type t, that repeats a name of its
// object, or "". Names of an object decoded into a struct are compared
// ignoring case, as encoding/json matches them ("id" and "ID" are one
// field); those of free JSON (event data) are not. Only objects up to
// levels deep are looked into (allLevels: all), arrays not counting as a
// level. It scans the bytes itself, without allocating for most bodies:
// json.Decoder's tokens cost more than decoding the body does.
func duplicateKey(body []byte, levels int, t reflect.Type) string {
	var stack [8]frame
	var seen [32]name
	s := scan{body: body, root: t, stack: stack[:0], seen: seen[:0]}
	depth := 0 // objects open
	for i := 0; i < len(body); i++ {
		switch c := body[i]; c {
		case '{', '[':
			if c == '{' {
				depth++
			}
			s.stack = append(s.stack, frame{object: c == '{', atName: c == '{', seenFrom: len(s.seen), typ: s.childType()})
		case '}', ']':
			if c == '}' {
				delete(s.many, len(s.stack))
				depth--
			}
			s.seen = s.seen[:s.stack[len(s.stack)-1].seenFrom]
			s.stack = s.stack[:len(s.stack)-1]
		case ',':
			if top := &s.stack[len(s.stack)-1]; top.object {
				top.atName = true
			} else {
				top.index++
			}
		case '"':
			end := stringEnd(body, i)
			if n := len(s.stack); n > 0 && s.stack[n-1].atName {
				top := &s.stack[n-1]
				top.atName, top.name = false, s.memberName(i, end)
				if (levels < 0 || depth <= levels) && !s.add(top) {
					return s.path()
				}
			}
			i = end
		}
	}
	return ""
}

// scan is duplicateKey's state: the objects and arrays open, and the
// member names seen in the open objects, each object's after the
// enclosing one's. Names are offsets into body, not strings, so that
// collecting them allocates nothing.
type scan struct {
	body    []byte
	root    reflect.Type // what body decodes into
	stack   []frame
	seen    []name
	escaped []string                // the names written with escapes, decoded
	many    map[int]map[string]bool // the names of an object that has many, by its place in stack
}

// frame is an object or array being scanned: for an object the member at
// hand and where its names begin in scan.seen, for an array the element's
// index.
type frame struct {
	object   bool
	atName   bool // an object's next string is a member name
	name     name
	seenFrom int
	index    int
	typ      reflect.Type // what the value decodes into, nil when unknown
}

// fold reports whether the frame's names are compared ignoring case, as
// encoding/json matches a struct's fields.
func (f *frame) fold() bool { return f.typ != nil && f.typ.Kind() == reflect.Struct }

// name is a member name: body[from:to], or escaped[to] when from < 0.
type name struct{ from, to int }

// manyNames is when an object's names move to a map: most objects have
// a few, event data may have hundreds.
const manyNames = 32

// memberName is the name the string body[quote:end+1] stands for
// ("\u0061" is "a").
func (s *scan) memberName(quote, end int) name {
	raw := s.body[quote : end+1]
	if bytes.IndexByte(raw, '\\') < 0 {
		return name{quote + 1, end}
	}
	var decoded string
	_ = json.Unmarshal(raw, &decoded)
	s.escaped = append(s.escaped, decoded)
	return name{-1, len(s.escaped) - 1}
}

func (s *scan) text(n name) string {
	if n.from < 0 {
		return s.escaped[n.to]
	}
	return string(s.body[n.from:n.to])
}

func (s *scan) equal(a, b name, fold bool) bool {
	switch {
	case a.from < 0 || b.from < 0:
		if fold {
			return strings.EqualFold(s.text(a), s.text(b))
		}
		return s.text(a) == s.text(b)
	case fold:
		return bytes.EqualFold(s.body[a.from:a.to], s.body[b.from:b.to])
	}
	return bytes.Equal(s.body[a.from:a.to], s.body[b.from:b.to])
}

// key is a name as the map of an object with many names holds it.
func (s *scan) key(n name, fold bool) string {
	if fold {
		return strings.ToLower(s.text(n))
	}
	return s.text(n)
}

// childType is the type of a value opening now: the root's, an array's
// element type, or the type of an object's member at hand.
func (s *scan) childType() reflect.Type {
	t := s.root
	if len(s.stack) > 0 {
		top := s.stack[len(s.stack)-1]
		t = top.typ
		switch {
		case t == nil:
		case !top.object && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
			t = t.Elem()
		case top.object && t.Kind() == reflect.Map:
			t = t.Elem()
		case top.object && t.Kind() == reflect.Struct:
			f, _ := jsonField(t, s.text(top.name))
			t = f.Type // nil when no field
		default:
			t = nil
		}
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// add adds the name of top, the innermost object, and reports whether it
// was new there.
func (s *scan) add(top *frame) bool {
	if m := s.many[len(s.stack)]; m != nil {
		key := s.key(top.name, top.fold())
		if m[key] {
			return false
		}
		m[key] = true
		return true
	}
	for _, n := range s.seen[top.seenFrom:] {
		if s.equal(n, top.name, top.fold()) {
			return false
		}
	}
	s.seen = append(s.seen, top.name)
	if len(s.seen)-top.seenFrom > manyNames {
		m := make(map[string]bool, 2*manyNames)
		for _, n := range s.seen[top.seenFrom:] {
			m[s.key(n, top.fold())] = true
		}
		if s.many == nil {
			s.many = map[int]map[string]bool{}
		}
		s.many[len(s.stack)] = m
	}
	return true
}

// path names the member at hand as errors do: static[1].user_id (an
// empty name as "", so that the path is never empty).
func (s *scan) path() string {
	var b strings.Builder
	for i, f := range s.stack {
		if !f.object {
			b.WriteString("[" + strconv.Itoa(f.index) + "]")
			continue
		}
		if i > 0 {
			b.WriteString(".")
		}
		b.WriteString(cmp.Or(s.text(f.name), `""`))
	}
	return b.String()
}

// stringEnd returns the index of the quote that ends the string starting
// at body[start].
func stringEnd(body []byte, start int) int {
	for i := start + 1; ; {
		q := bytes.IndexByte(body[i:], '"')
		if q < 0 {
			return len(body) - 1
		}
		i += q
		backslashes := 0
		for j := i - 1; body[j] == '\\'; j-- {
			backslashes++
		}
		if backslashes%2 == 0 { // not an escaped quote
			return i
		}
		i++
	}
}
