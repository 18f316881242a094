package render

import (
	"fmt"
	"strconv"

	"github.com/osteele/liquid/parser"
)

// This file holds the token-level helpers of the checker's binding rules:
// what a loop iterates and which filters keep a list's elements.

// splitLoop splits the tokens after "in" into the collection and the
// modifiers (reversed, limit:, offset:, cols:). "reversed" is dropped: it is
// a word, not a variable.
func splitLoop(toks []token) (coll, mods []token) {
	for i, t := range toks {
		if i == 0 || !endsValue(toks[i-1]) {
			continue
		}
		if t.kind == tokKeyword || (t.kind == tokIdent && t.text == "reversed") {
			coll, mods = toks[:i], toks[i:]
			break
		}
	}
	if coll == nil {
		return toks, nil
	}
	var kept []token
	for _, t := range mods {
		if !(t.kind == tokIdent && t.text == "reversed") {
			kept = append(kept, t)
		}
	}
	return coll, kept
}

// endsValue reports whether a token can end a value, so that a name or
// keyword after it starts a loop modifier rather than continuing a filter.
func endsValue(t token) bool {
	switch t.kind {
	case tokIdent, tokProperty, tokString, tokNumber, tokLiteral:
		return true
	}
	return t.is(")") || t.is("]")
}

// pathAndFilters reads tokens of the form path | f1 | f2: args … and
// returns the path and the filter names; ok is false for anything else.
func pathAndFilters(src string, toks []token) (path []string, filters []string, ok bool) {
	if len(toks) == 0 || toks[0].kind != tokIdent {
		return nil, nil, false
	}
	var u usage
	i := readPath(src, toks, 0, &u)
	for i < len(toks) {
		if !toks[i].is("|") || i+1 >= len(toks) {
			return nil, nil, false
		}
		filters = append(filters, toks[i+1].text)
		i += 2
		for i < len(toks) && !toks[i].is("|") {
			i++ // the filter's arguments
		}
	}
	return u.refs[0].path, filters, true
}

// keepElements reports whether a chain of filters leaves a list made of the
// same elements, so that a loop over it binds the list's element fields.
func keepElements(filters []string) bool {
	for _, f := range filters {
		switch f {
		case "sort", "sort_natural", "reverse", "uniq", "compact":
		default:
			return false
		}
	}
	return true
}

// filterNames are the filters of the engine: Liquid's standard filters (the
// date filter replaced). TestFilterNamesDefined keeps this list honest.
var filterNames = map[string]bool{
	"abs": true, "append": true, "capitalize": true, "ceil": true, "compact": true, "concat": true,
	"date": true, "default": true, "divided_by": true, "downcase": true, "escape": true,
	"escape_once": true, "first": true, "floor": true, "inspect": true, "join": true, "json": true,
	"last": true, "lstrip": true, "map": true, "minus": true, "modulo": true, "newline_to_br": true,
	"plus": true, "prepend": true, "remove": true, "remove_first": true, "replace": true,
	"replace_first": true, "reverse": true, "round": true, "rstrip": true, "size": true, "slice": true,
	"sort": true, "sort_natural": true, "split": true, "strip": true, "strip_html": true,
	"strip_newlines": true, "times": true, "truncate": true, "truncatewords": true, "type": true,
	"uniq": true, "upcase": true, "url_decode": true, "url_encode": true,
}

// knownFilter reports whether the engine defines the filter.
func knownFilter(name string) bool { return filterNames[name] }

// Limits on literal ranges. Liquid builds a range's whole list when a filter
// reads it, so {{ (1..2000000000) | join }} would take the server's memory,
// and nested loops over ranges multiply. Lists from the data are bounded by
// the data and not limited here.
const (
	maxRange = 1000   // numbers in one literal range
	maxRuns  = 10_000 // runs of the innermost body of nested range loops
)

// rangeSize returns the length of toks if they are exactly a range with
// literal bounds, (1..10).
func rangeSize(toks []token) (int, bool) {
	if len(toks) != 5 || !toks[0].is("(") || !toks[2].is("..") || !toks[4].is(")") {
		return 0, false
	}
	from, err1 := strconv.Atoi(toks[1].text)
	to, err2 := strconv.Atoi(toks[3].text)
	if toks[1].kind != tokNumber || toks[3].kind != tokNumber {
		return 0, false
	}
	if err1 != nil || err2 != nil {
		return maxRange + 1, true // not an integer Go can hold: too large anyway
	}
	return max(to-from+1, 0), true
}

// ranges checks every range of an expression: each bound is an integer or a
// variable of the event (never a value the template computed), and a range
// with two integer bounds holds at most maxRange numbers.
func (ch *checker) ranges(tok parser.Token, toks []token) error {
	for i, t := range toks {
		if !t.is("..") {
			continue
		}
		open, end := rangeBounds(toks, i)
		if size, ok := rangeSize(toks[open : end+1]); ok && size > maxRange {
			return fmt.Errorf("line %d: a range may hold at most %d numbers", line(tok, t.start), maxRange)
		}
		for _, bound := range [][]token{toks[open+1 : i], toks[i+1 : end]} {
			if !ch.fixedBound(tok.Args, bound) {
				return fmt.Errorf("line %d: a range bound must be a whole number or a variable of the event",
					line(tok, t.start))
			}
		}
	}
	return nil
}

// rangeBounds returns the indexes of the parentheses around the range
// whose ".." is toks[i].
func rangeBounds(toks []token, i int) (open, end int) {
	open, end = i, i
	for open > 0 && !toks[open].is("(") {
		open--
	}
	for end < len(toks)-1 && !toks[end].is(")") {
		end++
	}
	return open, end
}

// fixedBound reports whether a range bound is an integer literal or a
// variable the event provides, so that the template cannot make it huge.
func (ch *checker) fixedBound(src string, bound []token) bool {
	if len(bound) == 1 && bound[0].kind == tokNumber {
		return true
	}
	path, filters, ok := pathAndFilters(src, bound)
	return ok && len(filters) == 0 && ch.resolve(path).path != nil
}
