package render

import (
	"reflect"
	"strings"
	"testing"
)

func TestScan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr    string
		refs    []string // each as its dotted path, then its text after " = "
		filters []string
	}{
		{"customer.name", []string{"customer.name = customer.name"}, nil},
		{"  order.number  ", []string{"order.number = order.number"}, nil},
		{`"quoted.string" | upcase`, nil, []string{"upcase"}},
		{"'single' | append: customer.name", []string{"customer.name = customer.name"}, []string{"append"}},
		{"true and false or nil", nil, nil},
		{"1.5 | plus: -2", nil, []string{"plus"}},
		{"a-b_c? | f", []string{"a-b_c? = a-b_c?"}, []string{"f"}},
		{`a.b[c.d]["e"][0]`, []string{"a.b.*.e.0 = a.b[c.d][\"e\"][0]", "c.d = c.d"}, nil},
		{"a[b[c]]", []string{"a.* = a[b[c]]", "b.* = b[c]", "c = c"}, nil},
		{"a[-1].x", []string{"a.-1.x = a[-1].x"}, nil},
		{"x contains 'y' and z.w", []string{"x = x", "z.w = z.w"}, nil},
		{"x == empty", []string{"x = x", "empty = empty"}, nil},
		{"(1..n.size)", []string{"n.size = n.size"}, nil},
		{"orders and order or andy", []string{"orders = orders", "order = order", "andy = andy"}, nil},
		{"list | map: 'name' | join: ', ' | default: fallback", []string{"list = list", "fallback = fallback"},
			[]string{"map", "join", "default"}},
		{"d | date: '%Y' | default", []string{"d = d"}, []string{"date", "default"}},
		{"a.b | f: c, d.e", []string{"a.b = a.b", "c = c", "d.e = d.e"}, []string{"f"}},
		{"", nil, nil},
	}
	for _, tt := range tests {
		u := scan(tt.expr, lex(tt.expr))
		var refs, filters []string
		for _, r := range u.refs {
			refs = append(refs, strings.Join(r.path, ".")+" = "+r.text)
		}
		for _, f := range u.filters {
			filters = append(filters, f.text)
		}
		if !reflect.DeepEqual(refs, tt.refs) {
			t.Errorf("scan(%q) refs = %q, want %q", tt.expr, refs, tt.refs)
		}
		if !reflect.DeepEqual(filters, tt.filters) {
			t.Errorf("scan(%q) filters = %q, want %q", tt.expr, filters, tt.filters)
		}
	}
}

func TestSplitLoop(t *testing.T) {
	t.Parallel()
	tests := []struct {
		after      string // the loop's arguments after "in"
		coll, mods string
	}{
		{"performers", "performers", ""},
		{"performers reversed", "performers", ""},
		{"performers reversed limit: 2 offset: n", "performers", "limit: 2 offset: n"},
		{"performers limit: 2 reversed", "performers", "limit: 2"},
		{"list | sort: 'name' limit: 3", "list | sort: 'name'", "limit: 3"},
		{"list | sort: key reversed", "list | sort: key", ""},
		{"(1..5) limit: 2", "(1..5)", "limit: 2"},
		{"reversed", "reversed", ""},
	}
	for _, tt := range tests {
		coll, mods := splitLoop(lex(tt.after))
		if got := join(tt.after, coll); got != tt.coll {
			t.Errorf("splitLoop(%q) collection = %q, want %q", tt.after, got, tt.coll)
		}
		if got := join(tt.after, mods); got != tt.mods {
			t.Errorf("splitLoop(%q) modifiers = %q, want %q", tt.after, got, tt.mods)
		}
	}
}

// join returns the source text the tokens span.
func join(src string, toks []token) string {
	if len(toks) == 0 {
		return ""
	}
	return src[toks[0].start:toks[len(toks)-1].end]
}

func TestPathAndFilters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr    string
		path    string
		filters []string
		ok      bool
	}{
		{"performers", "performers", nil, true},
		{"order.activities | sort: 'name' | reverse", "order.activities", []string{"sort", "reverse"}, true},
		{"performers | first", "performers", []string{"first"}, true},
		{"'text'", "", nil, false},
		{"a == b", "", nil, false},
		{"(1..3)", "", nil, false},
	}
	for _, tt := range tests {
		path, filters, ok := pathAndFilters(tt.expr, lex(tt.expr))
		if ok != tt.ok || strings.Join(path, ".") != tt.path || !reflect.DeepEqual(filters, tt.filters) {
			t.Errorf("pathAndFilters(%q) = %q, %q, %v, want %q, %q, %v",
				tt.expr, path, filters, ok, tt.path, tt.filters, tt.ok)
		}
	}
}

// TestFilterNamesDefined keeps filterNames in step with the engine: every
// name in it is defined, and an unknown one is reported as undefined.
func TestFilterNamesDefined(t *testing.T) {
	t.Parallel()
	undefined := func(name string) bool {
		_, err := engine().ParseAndRenderString("{{ 'x' | "+name+" }}", nil)
		return err != nil && strings.Contains(err.Error(), "undefined filter")
	}
	for name := range filterNames {
		if undefined(name) {
			t.Errorf("filter %q is listed but not defined", name)
		}
	}
	if !undefined("no_such_filter") {
		t.Errorf("filter %q is defined, want undefined", "no_such_filter")
	}
}
