package render

import (
	"strconv"
	"strings"
)

// This file reads the variable references out of a Liquid expression, the
// text inside {{ … }} or a tag such as {% if … %}. Liquid's parser compiles
// expressions to closures and keeps no syntax tree, so Check scans them
// itself. It only ever sees expressions that Liquid has already parsed, so it
// can be lenient about malformed input: it never fails, it only reports what
// it finds. The token rules mirror Liquid's own scanner (expressions/scanner.rl).

// tokenKind classifies an expression token.
type tokenKind int

const (
	tokIdent    tokenKind = iota // a name: customer, p, reversed
	tokKeyword                   // a name followed by a colon: date:, limit:
	tokProperty                  // .name after an expression
	tokString                    // 'text' or "text"
	tokNumber                    // 12, -3, 1.5
	tokLiteral                   // true, false, nil
	tokOperator                  // == != < > <= >= .. and or contains in
	tokPunct                     // any other character: [ ] ( ) | , = :
)

// token is one lexeme of an expression; start and end are byte offsets.
type token struct {
	kind       tokenKind
	text       string // the name for identifiers, keywords and properties
	start, end int
}

// is reports whether the token is the punctuation or operator s.
func (t token) is(s string) bool {
	return (t.kind == tokPunct || t.kind == tokOperator) && t.text == s
}

// lex splits an expression into tokens.
func lex(src string) []token {
	var toks []token
	for i := 0; i < len(src); {
		if isSpace(src[i]) {
			i++
			continue
		}
		t := lexOne(src, i)
		toks = append(toks, t)
		i = t.end
	}
	return toks
}

// lexOne reads the token starting at i.
func lexOne(src string, i int) token {
	c := src[i]
	switch {
	case c == '\'' || c == '"':
		end := strings.IndexByte(src[i+1:], c)
		if end < 0 {
			return token{tokString, src[i+1:], i, len(src)}
		}
		return token{tokString, src[i+1 : i+1+end], i, i + end + 2}
	case isDigit(c) || (c == '-' && i+1 < len(src) && isDigit(src[i+1])):
		return lexNumber(src, i)
	case isNameStart(c):
		return lexName(src, i)
	case c == '.' && i+1 < len(src) && src[i+1] == '.':
		return token{tokOperator, "..", i, i + 2}
	case c == '.' && i+1 < len(src) && isNameStart(src[i+1]):
		end := nameEnd(src, i+1)
		return token{tokProperty, src[i+1 : end], i, end}
	}
	for _, op := range []string{"==", "!=", ">=", "<=", "<>", "<", ">"} {
		if strings.HasPrefix(src[i:], op) {
			return token{tokOperator, op, i, i + len(op)}
		}
	}
	return token{tokPunct, src[i : i+1], i, i + 1}
}

// lexNumber reads an integer or a decimal number.
func lexNumber(src string, i int) token {
	end := i + 1
	for end < len(src) && isDigit(src[end]) {
		end++
	}
	if end+1 < len(src) && src[end] == '.' && isDigit(src[end+1]) {
		end += 2
		for end < len(src) && isDigit(src[end]) {
			end++
		}
	}
	return token{tokNumber, src[i:end], i, end}
}

// lexName reads an identifier, a keyword (name:) or a word operator.
func lexName(src string, i int) token {
	end := nameEnd(src, i)
	name := src[i:end]
	if end < len(src) && src[end] == ':' {
		return token{tokKeyword, name, i, end + 1}
	}
	switch name {
	case "true", "false", "nil":
		return token{tokLiteral, name, i, end}
	case "and", "or", "contains", "in":
		return token{tokOperator, name, i, end}
	}
	return token{tokIdent, name, i, end}
}

// nameEnd returns the end of the name starting at i: letters, digits, '_'
// and '-', optionally ending in '?'.
func nameEnd(src string, i int) int {
	end := i + 1
	for end < len(src) && (isNameStart(src[end]) || isDigit(src[end]) || src[end] == '-') {
		end++
	}
	if end < len(src) && src[end] == '?' {
		end++
	}
	return end
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}
func isDigit(c byte) bool     { return '0' <= c && c <= '9' }
func isNameStart(c byte) bool { return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }

// reference is one variable read in an expression, such as order.number or
// performers[0].name. Path holds its segments; a dynamic index (p[i]) is "*".
type reference struct {
	path  []string
	text  string // as written, for error messages
	start int    // byte offset in the expression
}

// usage is what an expression reads: its variables and filter names.
type usage struct {
	refs    []reference
	filters []token
}

// scan collects the references and filters of the tokens.
func scan(src string, toks []token) usage {
	var u usage
	for i := 0; i < len(toks); {
		switch {
		case toks[i].is("|"):
			if i+1 < len(toks) {
				u.filters = append(u.filters, toks[i+1])
			}
			i += 2
		case toks[i].kind == tokIdent:
			i = readPath(src, toks, i, &u)
		default:
			i++
		}
	}
	return u
}

// readPath reads the variable starting at toks[i], its properties and
// indexes, records it (and anything used inside its indexes) in u and
// returns the index of the token after it.
func readPath(src string, toks []token, i int, u *usage) int {
	ref := reference{path: []string{toks[i].text}, start: toks[i].start}
	at := len(u.refs)
	u.refs = append(u.refs, ref)
	end := toks[i].end
	for i++; i < len(toks); i++ {
		switch {
		case toks[i].kind == tokProperty:
			ref.path = append(ref.path, toks[i].text)
		case toks[i].is("["):
			j := closing(toks, i)
			ref.path = append(ref.path, indexSegment(src, toks[i+1:j], u))
			i = j
		default:
			ref.text = src[ref.start:end]
			u.refs[at] = ref
			return i
		}
		end = toks[i].end
	}
	ref.text = src[ref.start:end]
	u.refs[at] = ref
	return i
}

// closing returns the index of the ']' matching the '[' at toks[i], or the
// last token if it is missing.
func closing(toks []token, i int) int {
	depth := 0
	for j := i; j < len(toks); j++ {
		switch {
		case toks[j].is("["):
			depth++
		case toks[j].is("]"):
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return len(toks) - 1
}

// indexSegment turns the tokens inside [ … ] into a path segment: a literal
// key or number as itself, anything else "*" after recording what it reads.
func indexSegment(src string, inner []token, u *usage) string {
	if len(inner) == 1 && inner[0].kind == tokString {
		return inner[0].text
	}
	if len(inner) == 1 && inner[0].kind == tokNumber {
		if _, err := strconv.Atoi(inner[0].text); err == nil {
			return inner[0].text
		}
	}
	sub := scan(src, inner)
	u.refs = append(u.refs, sub.refs...)
	u.filters = append(u.filters, sub.filters...)
	return "*"
}
