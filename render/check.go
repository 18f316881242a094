package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/osteele/liquid/parser"
	liquidrender "github.com/osteele/liquid/render"

	"github.com/avisera/avisera"
	"github.com/avisera/avisera/catalog"
)

// Check validates a message's templates for an event type when they are
// saved: each must parse, use only known filters, and read only variables the
// event type declares (catalog.EventType.Known). The error is an EINVALID
// *avisera.Error whose Field is "subject", "email_body" or "sms_body" and
// whose message names the line. Empty templates are valid.
//
// The check is static: every branch of {% if %} and {% case %} and every
// loop body is checked, whatever the data. Loop variables and {% assign %}ed
// names stand for what they were bound to, so {{ p.nope }} inside
// {% for p in performers %} is caught.
func Check(et catalog.EventType, c Content) error {
	for _, f := range fields(c) {
		tpl, err := parse(f.name, f.src)
		if err != nil {
			return err
		}
		ch := checker{et: et, scopes: []scope{{}}, runs: 1}
		if err := ch.nodes([]liquidrender.Node{tpl.GetRoot()}); err != nil {
			return avisera.Invalid(f.name, "%s", err)
		}
	}
	return nil
}

// binding is what a template-defined name stands for: a catalogue path, or
// nothing checkable (free) such as a capture or a computed value.
type binding struct {
	path []string // nil: free
}

// free is the binding of a name whose content cannot be checked.
var free = binding{}

// scope maps the names a template defines to their bindings.
type scope map[string]binding

// checker walks a parsed template.
type checker struct {
	et     catalog.EventType
	scopes []scope // [0] holds assigns, which Liquid keeps global; loops push
	runs   int     // how often the current body runs, counting literal ranges
}

// nodes checks a sequence of nodes in document order.
func (ch *checker) nodes(ns []liquidrender.Node) error {
	for _, n := range ns {
		if err := ch.node(n); err != nil {
			return err
		}
	}
	return nil
}

// node checks one node.
func (ch *checker) node(n liquidrender.Node) error {
	switch n := n.(type) {
	case *liquidrender.SeqNode:
		return ch.nodes(n.Children)
	case *liquidrender.ObjectNode:
		return ch.expr(n.Token, lex(n.Args))
	case *liquidrender.TagNode:
		return ch.tag(n.Token)
	case *liquidrender.BlockNode:
		return ch.block(n)
	case *liquidrender.TextNode:
		return unclosed(n.Token)
	}
	return nil // raw and trim nodes read no variables
}

// unclosed reports markup Liquid took for text: an object or a tag whose
// closing delimiter is missing, or an object spanning lines, which this
// Liquid does not accept.
func unclosed(tok parser.Token) error {
	for _, d := range []struct{ open, msg string }{
		{"{{", `"{{" is not closed on its line`},
		{"{%", `"{%" is not closed`},
	} {
		if i := strings.Index(tok.Source, d.open); i >= 0 {
			return fmt.Errorf("line %d: %s", tok.SourceLoc.LineNo+strings.Count(tok.Source[:i], "\n"), d.msg)
		}
	}
	return nil
}

// tag checks a tag without a body.
func (ch *checker) tag(tok parser.Token) error {
	switch tok.Name {
	case "include":
		return fmt.Errorf("line %d: %w", tok.SourceLoc.LineNo, errInclude)
	case "assign":
		return ch.assign(tok)
	}
	return nil // cycle takes string literals only; break and continue nothing
}

// assign checks {% assign name = value %} and binds name from here on.
func (ch *checker) assign(tok parser.Token) error {
	toks := lex(tok.Args)
	if len(toks) < 3 || toks[0].kind != tokIdent || !toks[1].is("=") {
		return nil // Liquid has parsed it; nothing else can be here
	}
	if err := ch.expr(tok, toks[2:]); err != nil {
		return err
	}
	b := free
	if path, filters, ok := pathAndFilters(tok.Args, toks[2:]); ok {
		switch {
		case len(filters) == 0:
			b = ch.resolve(path)
		case len(filters) == 1 && (filters[0] == "first" || filters[0] == "last"):
			b = ch.resolve(append(path, filters[0]))
		}
	}
	ch.scopes[0][toks[0].text] = b
	return nil
}

// block checks a tag with a body and its clauses.
func (ch *checker) block(n *liquidrender.BlockNode) error {
	switch n.Name {
	case "comment":
		return nil
	case "for", "tablerow":
		return ch.loop(n)
	case "if", "unless", "case":
		if err := ch.expr(n.Token, lex(n.Args)); err != nil {
			return err
		}
	}
	if err := ch.nodes(n.Body); err != nil {
		return err
	}
	for _, c := range n.Clauses {
		if c.Name == "elsif" || c.Name == "when" {
			if err := ch.expr(c.Token, lex(c.Args)); err != nil {
				return err
			}
		}
		if err := ch.nodes(c.Body); err != nil {
			return err
		}
	}
	if n.Name == "capture" {
		ch.scopes[0][strings.Trim(strings.TrimSpace(n.Args), `'"`)] = free
	}
	return nil
}

// loop checks {% for x in collection modifiers %}: the collection and the
// modifiers outside, the body with x bound to an element of the collection.
func (ch *checker) loop(n *liquidrender.BlockNode) error {
	toks := lex(n.Args)
	if len(toks) < 3 || toks[0].kind != tokIdent || !toks[1].is("in") {
		return nil
	}
	coll, mods := splitLoop(toks[2:])
	if err := ch.expr(n.Token, append(slices.Clip(coll), mods...)); err != nil {
		return err
	}
	runs := ch.runs
	defer func() { ch.runs = runs }()
	if err := ch.countRuns(n.SourceLoc.LineNo, coll); err != nil {
		return err
	}
	elem := ch.element(n.Args, coll)
	ch.scopes = append(ch.scopes, scope{toks[0].text: elem, "forloop": free, "tablerowloop": free})
	err := ch.nodes(n.Body)
	ch.scopes = ch.scopes[:len(ch.scopes)-1]
	if err != nil {
		return err
	}
	for _, c := range n.Clauses { // else: rendered when the collection is empty
		if err := ch.nodes(c.Body); err != nil {
			return err
		}
	}
	return nil
}

// countRuns multiplies the runs of the loop body by the length of a literal
// range it iterates, and rejects nesting that would run too often.
func (ch *checker) countRuns(line int, coll []token) error {
	if size, ok := rangeSize(coll); ok {
		if ch.runs *= size; ch.runs > maxRuns {
			return fmt.Errorf("line %d: loops over ranges would run more than %d times", line, maxRuns)
		}
	}
	return nil
}

// element returns the binding of a loop variable: an element of the
// catalogue list the collection names (possibly sorted or reversed), or free
// for anything computed.
func (ch *checker) element(src string, coll []token) binding {
	if path, filters, ok := pathAndFilters(src, coll); ok && keepElements(filters) {
		if b := ch.resolve(path); b.path != nil {
			return binding{append(b.path, "*")}
		}
	}
	return free
}

// expr checks the variables and filters an expression of tok uses.
func (ch *checker) expr(tok parser.Token, toks []token) error {
	if err := ch.ranges(tok, toks); err != nil {
		return err
	}
	u := scan(tok.Args, toks)
	for _, r := range u.refs {
		if !ch.known(r.path) {
			return fmt.Errorf("unknown variable %q on line %d", r.text, line(tok, r.start))
		}
	}
	for _, f := range u.filters {
		if !knownFilter(f.text) {
			return fmt.Errorf("unknown filter %q on line %d", f.text, line(tok, f.start))
		}
	}
	return nil
}

// known reports whether a variable path is declared, following the names
// the template itself binds.
func (ch *checker) known(path []string) bool {
	b := ch.resolve(path)
	switch {
	case b.path == nil:
		return true
	case len(b.path) == 1 && (b.path[0] == "empty" || b.path[0] == "blank"):
		return true // Liquid's emptiness literals, read as names by this Liquid
	}
	return ch.et.Known(b.path)
}

// resolve replaces a template-bound root name by what it stands for.
func (ch *checker) resolve(path []string) binding {
	for i := len(ch.scopes) - 1; i >= 0; i-- {
		b, ok := ch.scopes[i][path[0]]
		if !ok {
			continue
		}
		if b.path == nil {
			return free
		}
		return binding{append(slices.Clip(b.path), path[1:]...)}
	}
	return binding{path}
}

// line returns the source line of the byte offset in tok's arguments.
func line(tok parser.Token, offset int) int {
	at := strings.Index(tok.Source, tok.Args)
	if at < 0 || tok.Args == "" {
		return tok.SourceLoc.LineNo
	}
	return tok.SourceLoc.LineNo + strings.Count(tok.Source[:at+offset], "\n")
}
