package admin

import (
	"strings"

	"github.com/avisera/avisera/catalog"
)

// varItem is one entry of the editor's variable picker: a heading for an
// object, or a variable with the Liquid text a click inserts.
type varItem struct {
	Name   string
	Label  string
	Insert string // "" for a heading
	Depth  int
}

// varItems lists an event type's variables for the picker, labelled in
// lang. Fields of list elements insert the first element's value; a list
// inserts a loop over its elements.
func varItems(et catalog.EventType, lang string) []varItem {
	lists := map[string]string{} // list name → its first field
	for _, v := range et.Variables {
		if parent := listParent(et, v.Name); parent != "" && lists[parent] == "" {
			lists[parent] = strings.TrimPrefix(v.Name, parent+".")
		}
	}
	items := make([]varItem, 0, len(et.Variables))
	for _, v := range et.Variables {
		it := varItem{Name: v.Name, Label: pick(lang, v.LabelSV, v.LabelEN), Depth: strings.Count(v.Name, ".")}
		it.Insert = insertText(et, v, lists)
		items = append(items, it)
	}
	return items
}

// insertText is the Liquid a picker entry inserts.
func insertText(et catalog.EventType, v catalog.Variable, lists map[string]string) string {
	if parent := listParent(et, v.Name); parent != "" {
		return "{{ " + parent + ".first." + strings.TrimPrefix(v.Name, parent+".") + " }}"
	}
	switch v.Type {
	case catalog.TypeObject:
		return ""
	case catalog.TypeList:
		if f := lists[v.Name]; f != "" {
			return "{% for item in " + v.Name + " %}\n- {{ item." + f + " }}\n{% endfor %}"
		}
		return "{% for item in " + v.Name + " %}\n- {{ item }}\n{% endfor %}"
	case catalog.TypeTime:
		return "{{ " + v.Name + " | date }}"
	}
	return "{{ " + v.Name + " }}"
}

// listParent returns the list variable whose elements name is a field of,
// or "".
func listParent(et catalog.EventType, name string) string {
	for i := strings.LastIndexByte(name, '.'); i > 0; i = strings.LastIndexByte(name[:i], '.') {
		if v, ok := et.Variable(name[:i]); ok && v.Type == catalog.TypeList {
			return name[:i]
		}
	}
	return ""
}
